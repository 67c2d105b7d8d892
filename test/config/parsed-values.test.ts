// ConfigDocumentSet.parsedValues: the documents' values as a parse of the set's text would give
// them, read without parsing; undefined whenever a parse could give something else (the saved
// where_data copy then parses the text). test/config/property.test.ts checks the values after
// generated edits; here, the cases where it must decline.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.ts";

const TWO = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Secret\n";

const parsed = (text: string) => parseConfig(text).documents.map((document) => document.toJS());

describe("ConfigDocumentSet.parsedValues", () => {
  it("gives the values a parse of the edited text gives, empty documents left out as a parse does", () => {
    const set = parseConfig("# only a comment\n---\n" + TWO);
    set.documents[0]!.setValue("metadata.name", "b");
    set.documents[1]!.setValue("kind", "ConfigMap");
    expect(set.parsedValues()).toEqual(parsed(set.toString()));
    expect(set.parsedValues()).toHaveLength(2);
  });

  it("declines a document whose value is empty (a parse may leave such a document out)", () => {
    // The editor never empties a document, but a merge key makes one whose value is {}: whether a
    // parse keeps it depends on its text, not its value, so only a parse can tell.
    const set = parseConfig("<<: {}\n---\nb: 2\n");
    set.documents[1]!.setValue("b", 3);
    expect(set.parsedValues()).toBeUndefined();
  });

  it("declines values at the depth limit, which a parse may refuse", () => {
    const set = parseConfig("a: 1\n", { maxDepth: 3 });
    expect(set.parsedValues()).toEqual([{ a: 1 }]);
    set.documents[0]!.setValue("a", { b: { c: 1 } });
    expect(set.parsedValues()).toBeUndefined();
  });

  it("declines text over the size limit, which a parse refuses", () => {
    const set = parseConfig("a: 1\n", { maxBytes: 16 });
    set.documents[0]!.setValue("a", "x".repeat(32));
    expect(() => parseConfig(set.toString(), { maxBytes: 16 })).toThrow();
    expect(set.parsedValues()).toBeUndefined();
  });

  it("declines a native toolchain's text (its documents are a YAML view of it)", () => {
    const set = parseConfig("a=1\n", { toolchain: "AppConfig/Properties" });
    expect(set.isNative).toBe(true);
    expect(set.parsedValues()).toBeUndefined();
  });
});

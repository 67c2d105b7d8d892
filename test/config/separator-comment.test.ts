// `---# comment`: a document separator followed directly by a comment. YAML wants white space after
// `---`; ConfigHub inserts a newline there (spec §0, multi-document parsing step 2), and so do we,
// without changing a byte of what is not edited.
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/index.ts";
import { thrown } from "../support/thrown.ts";

const APPROVER = [
  "apiVersion: v1",
  "kind: ConfigMap",
  "metadata:",
  "  name: settings",
  "data:",
  "  mode: fast",
  "---# Permission to approve changes in this Space",
  "apiVersion: rbac.authorization.k8s.io/v1",
  "kind: Role",
  "metadata:",
  "  name: approver # who may approve",
  "  namespace: prod",
  "",
].join("\n");

describe("a --- separator followed directly by a comment", () => {
  it("separates two documents, the comment belonging to the second", () => {
    const set = parseConfig(APPROVER);
    expect(set.documents.map((d) => d.identity().name)).toEqual(["/settings", "prod/approver"]);
    expect(set.documents[1]!.toJS()).toEqual({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "approver", namespace: "prod" },
    });
    // ConfigHub's document text: the chunk after the inserted newline, comment first.
    expect(set.documents[1]!.toString()).toBe(APPROVER.slice(APPROVER.indexOf("# Permission")));
    expect(set.toString()).toBe(APPROVER);
  });

  // One request must not stall the server: each token's offset used to be moved back by scanning
  // every separator (30,000 of them took over 10 s); now by binary search.
  it("handles 16,000 such separators in one pass, with every position mapped back", () => {
    const unit = "---# c\nkind: A\nmetadata:\n  name: x\n";
    const text = unit.repeat(16_000);
    const set = parseConfig(text, { maxBytes: 4 * text.length });
    expect(set.documents).toHaveLength(16_000);
    expect(set.toString()).toBe(text);
    const last = set.documents.at(-1)!;
    expect(last.toString()).toBe(unit.slice("---".length));
    const error = thrown<ConfigError>(() =>
      parseConfig(text + "---# c\nkind: [\n", { maxBytes: 4 * text.length }),
    );
    // At the end of the text, where the flow sequence is still open.
    expect(error).toMatchObject({ code: "SYNTAX", line: 16_000 * 4 + 3 });
  }, 20_000);

  it("is accepted on the first line too", () => {
    const set = parseConfig("---# header\nkind: A\nmetadata:\n  name: x\n");
    expect(set.documents.map((d) => d.toJS())).toEqual([{ kind: "A", metadata: { name: "x" } }]);
    expect(set.toString()).toBe("---# header\nkind: A\nmetadata:\n  name: x\n");
  });

  it("changes only the edited line, in the document after the separator and before it", () => {
    const set = parseConfig(APPROVER);
    set.documents[1]!.set("metadata.namespace", "staging");
    set.documents[0]!.set("data.mode", "safe");
    expect(set.toString()).toBe(
      APPROVER.replace("namespace: prod", "namespace: staging").replace("fast", "safe"),
    );
    // The edited document parses again from its own text (`---#` line included).
    set.documents[1]!.set("metadata.labels.team", "platform", { upsert: true });
    expect(set.documents[1]!.toJS()).toMatchObject({ metadata: { labels: { team: "platform" } } });
    expect(set.toString()).toContain("---# Permission to approve changes in this Space\napiVersion:");
  });

  it("survives structural edits: replace keeps a separator, append takes a ---# text", () => {
    const replaced = parseConfig(APPROVER);
    replaced.replace(1, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\n");
    expect(replaced.toString()).toBe(
      `${APPROVER.slice(0, APPROVER.indexOf("---#"))}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: token\n`,
    );
    const appended = parseConfig(APPROVER);
    appended.append("---# added\napiVersion: v1\nkind: Secret\nmetadata:\n  name: token\n");
    expect(appended.documents.map((d) => d.identity().name)).toEqual([
      "/settings",
      "prod/approver",
      "/token",
    ]);
    expect(appended.toString()).toBe(
      `${APPROVER}---# added\napiVersion: v1\nkind: Secret\nmetadata:\n  name: token\n`,
    );
    const removed = parseConfig(APPROVER);
    removed.remove(0);
    expect(removed.toString()).toBe(APPROVER.slice(APPROVER.indexOf("---#")));
  });

  it("reports errors after the separator at the input's own line and column", () => {
    let error: unknown;
    try {
      parseConfig(`${APPROVER}  namespace: again\n`);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      'duplicate key "namespace" at line 13, column 3 (document 1)',
    );
  });
});

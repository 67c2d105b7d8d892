import { describe, expect, it } from "vitest";
import { parseConfig, type ConfigError } from "../../src/config/index.ts";

const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
const names = (text: string) =>
  parseConfig(text).documents.map((d) => (d.toJS() as { metadata: { name: string } }).metadata.name);

describe("ConfigDocumentSet structure edits", () => {
  it("appends with a --- separator and keeps everything before it", () => {
    const set = parseConfig(`# header\n${ns("a")}# end comment\n`);
    const added = set.append(ns("b"));
    expect(added.index).toBe(1);
    expect(set.toString()).toBe(`# header\n${ns("a")}# end comment\n---\n${ns("b")}`);
    expect(names(set.toString())).toEqual(["a", "b"]);
  });

  it("appends to an empty or comment-only unit without a leading separator", () => {
    const empty = parseConfig("");
    empty.append(ns("a"));
    expect(empty.toString()).toBe(ns("a"));
    const comments = parseConfig("# only comments");
    comments.append(ns("a"));
    expect(comments.toString()).toBe(`# only comments\n${ns("a")}`);
  });

  it("adds the missing final newline before appending", () => {
    const set = parseConfig("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a");
    set.append("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: b");
    expect(set.toString()).toBe(`${ns("a")}---\n${ns("b")}`);
  });

  it("inserts before the first document after the file header and gives it a separator", () => {
    const set = parseConfig(`# header\n${ns("b")}`);
    set.insert(0, ns("a"));
    expect(set.toString()).toBe(`# header\n${ns("a")}---\n${ns("b")}`);
    expect(set.documents.map((d) => d.index)).toEqual([0, 1]);
    expect(names(set.toString())).toEqual(["a", "b"]);
  });

  it("inserts between documents and at the end", () => {
    const set = parseConfig(`${ns("a")}---\n${ns("c")}`);
    set.insert(1, ns("b"));
    set.insert(3, ns("d"));
    expect(names(set.toString())).toEqual(["a", "b", "c", "d"]);
    expect(set.toString()).toBe(`${ns("a")}---\n${ns("b")}---\n${ns("c")}---\n${ns("d")}`);
  });

  it("replaces a document keeping its separator line and its neighbours", () => {
    const set = parseConfig(`${ns("a")}--- # keep me\n${ns("b")}---\n${ns("c")}`);
    const doc = set.replace(1, ns("B"));
    expect(doc).toBe(set.documents[1]);
    expect(set.toString()).toBe(`${ns("a")}--- # keep me\n${ns("B")}---\n${ns("c")}`);
  });

  it("replaces with text that brings its own separator without doubling it", () => {
    const set = parseConfig(`${ns("a")}---\n${ns("b")}`);
    set.replace(1, `---\n${ns("x")}`);
    expect(set.toString()).toBe(`${ns("a")}---\n${ns("x")}`);
  });

  it("removes a document and its separator, keeping hidden documents and comments", () => {
    const set = parseConfig(`${ns("a")}---\n# comment-only\n---\n${ns("b")}---\n${ns("c")}`);
    const removed = set.documents[1]!;
    set.remove(1);
    expect(removed.index).toBe(-1);
    expect(set.toString()).toBe(`${ns("a")}---\n# comment-only\n---\n${ns("c")}`);
    set.remove(0);
    expect(names(set.toString())).toEqual(["c"]);
  });

  it("keeps CRLF line endings in inserted documents", () => {
    const set = parseConfig("a: 1\r\n");
    set.append("b: 2\n");
    expect(set.toString()).toBe("a: 1\r\n---\r\nb: 2\r\n");
  });

  it("rejects out-of-range indices and texts that are not one document", () => {
    const set = parseConfig(ns("a"));
    const codes = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as ConfigError).code;
      }
      return "no error";
    };
    expect(codes(() => set.remove(1))).toBe("DOCUMENT_INDEX");
    expect(codes(() => set.insert(-1, ns("x")))).toBe("DOCUMENT_INDEX");
    expect(codes(() => set.replace(0.5, ns("x")))).toBe("DOCUMENT_INDEX");
    expect(codes(() => set.append(""))).toBe("INVALID_DOCUMENT");
    expect(codes(() => set.append("# nothing\n"))).toBe("INVALID_DOCUMENT");
    expect(codes(() => set.append(`${ns("x")}---\n${ns("y")}`))).toBe("INVALID_DOCUMENT");
    expect(codes(() => set.append("a: [\n"))).toBe("SYNTAX");
    expect(set.toString()).toBe(ns("a"));
  });

  it("keeps a clone independent of structural edits on either side", () => {
    const set = parseConfig(`${ns("a")}---\n${ns("b")}`);
    const copy = set.clone();
    copy.remove(0);
    set.append(ns("c"));
    expect(names(set.toString())).toEqual(["a", "b", "c"]);
    expect(names(copy.toString())).toEqual(["b"]);
  });
});

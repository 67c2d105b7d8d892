import { describe, expect, it } from "vitest";
import { parseConfig, type ConfigError, type ConfigDocumentSet } from "../../src/config/index.ts";
import { lineChanges } from "./line-diff.ts";
import { thrown } from "../support/thrown.ts";

function edit(text: string, change: (set: ConfigDocumentSet) => unknown) {
  const set = parseConfig(text);
  const result = change(set);
  const after = set.toString();
  // Whatever an edit produced must parse again, and the composed view must agree with a fresh parse.
  const reparsed = parseConfig(after);
  expect(set.documents.map((d) => d.toJS())).toEqual(reparsed.documents.map((d) => d.toJS()));
  return { result, after, changes: lineChanges(text, after), js: set.documents[0]?.toJS() };
}

const errorOf = (fn: () => unknown) => thrown<ConfigError>(fn);

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web # the name
  labels:
    app: web
spec:
  replicas: 3 # Line comment on replicas
  paused: false
  strategy: {}
  template:
    spec:
      containers:
        - name: nginx
          image: 'nginx:1.14.2'
        - name: otel
          image: "otel/col:latest"
          args: [--a, --b]
`;

describe("set: scalars in place", () => {
  it.each([
    [
      "spec.replicas",
      5,
      "  replicas: 3 # Line comment on replicas",
      "  replicas: 5 # Line comment on replicas",
    ],
    [
      "spec.replicas",
      "5",
      "  replicas: 3 # Line comment on replicas",
      '  replicas: "5" # Line comment on replicas',
    ],
    ["spec.paused", true, "  paused: false", "  paused: true"],
    ["metadata.name", "api", "  name: web # the name", "  name: api # the name"],
    ["metadata.name", "yes", "  name: web # the name", '  name: "yes" # the name'],
    ["metadata.name", "", "  name: web # the name", '  name: "" # the name'],
    ["metadata.name", "a: b", "  name: web # the name", '  name: "a: b" # the name'],
    [
      "spec.template.spec.containers.0.image",
      "nginx:1.25",
      "          image: 'nginx:1.14.2'",
      "          image: 'nginx:1.25'",
    ],
    [
      "spec.template.spec.containers.1.image",
      "otel/col:v2",
      '          image: "otel/col:latest"',
      '          image: "otel/col:v2"',
    ],
    [
      "spec.template.spec.containers.1.args.1",
      "--c",
      "          args: [--a, --b]",
      "          args: [--a, --c]",
    ],
    [
      "spec.template.spec.containers.1.args.1",
      "x, y",
      "          args: [--a, --b]",
      '          args: [--a, "x, y"]',
    ],
  ])("%s = %j changes only its line", (path, value, before, after) => {
    const { result, changes } = edit(deployment, (set) => set.documents[0]!.set(path, value));
    expect(result).toBe(true);
    expect(changes).toEqual({ removed: [before], added: [after] });
  });

  it("returns false and changes nothing when the value is already there", () => {
    const { result, after } = edit(deployment, (set) => set.documents[0]!.set("spec.replicas", 3));
    expect(result).toBe(false);
    expect(after).toBe(deployment);
  });

  it("writes multi-line strings as a literal block, and keeps a folded block folded", () => {
    const { changes } = edit(deployment, (set) => set.documents[0]!.set("metadata.name", "a\nb"));
    expect(changes).toEqual({
      removed: ["  name: web # the name"],
      added: ["  name: |- # the name", "    a", "    b"],
    });
    const folded = edit("k: >\n  one\n  two\nn: 1\n", (set) => set.documents[0]!.set("k", "x y\n"));
    expect(folded.after).toBe("k: >\n  x y\nn: 1\n");
  });

  it("drops an explicit core tag that contradicts the new type and keeps anchors", () => {
    const { after, js } = edit("a: !!str &x 1\nb: *x\n", (set) => set.documents[0]!.set("a", 2));
    expect(after).toBe("a: &x 2\nb: *x\n");
    expect(js).toEqual({ a: 2, b: 2 });
    expect(edit("a: !!str 1\n", (set) => set.documents[0]!.set("a", "2")).after).toBe("a: !!str 2\n");
  });

  it("keeps CRLF line endings", () => {
    const { after } = edit("a: 1\r\nb: x\r\n", (set) => set.documents[0]!.set("b", "z"));
    expect(after).toBe("a: 1\r\nb: z\r\n");
  });

  it("writes multi-line values with CRLF in a CRLF document", () => {
    const { after } = edit("a: x\r\nb: |\r\n  old\r\nc: 1\r\n", (set) => {
      set.documents[0]!.set("a", "multi\nline");
      set.documents[0]!.set("b", "new\nblock");
      set.documents[0]!.setValue("d", { k: "v\nw" });
    });
    expect(after).toBe(
      "a: |-\r\n  multi\r\n  line\r\nb: |-\r\n  new\r\n  block\r\nc: 1\r\nd:\r\n  k: |-\r\n    v\r\n    w\r\n",
    );
  });

  it("writes every match of a pattern", () => {
    const { changes } = edit(deployment, (set) =>
      set.documents[0]!.set("spec.template.spec.containers.*.image", "x:1"),
    );
    expect(changes.added).toEqual(["          image: 'x:1'", '          image: "x:1"']);
  });

  it("does not create missing keys without upsert", () => {
    const { result, after } = edit(deployment, (set) => set.documents[0]!.set("metadata.namespace", "prod"));
    expect(result).toBe(false);
    expect(after).toBe(deployment);
  });
});

describe("set with upsert: new keys follow their neighbours", () => {
  it("appends a key at the end of its block map, before trailing comments", () => {
    const text = "metadata:\n  name: x\n  # about metadata\n\n# about spec\nspec: {}\n";
    const { after } = edit(text, (set) =>
      set.documents[0]!.set("metadata.namespace", "prod", { upsert: true }),
    );
    expect(after).toBe(
      "metadata:\n  name: x\n  namespace: prod\n  # about metadata\n\n# about spec\nspec: {}\n",
    );
  });

  it("creates missing parents with the document's indentation step", () => {
    const text = "metadata:\n    name: x\nspec:\n    replicas: 1\n";
    const { changes } = edit(text, (set) =>
      set.documents[0]!.set("metadata.annotations.example~1com/owner", "team-a", { upsert: true }),
    );
    expect(changes).toEqual({
      removed: [],
      added: ["    annotations:", "        example.com/owner: team-a"],
    });
  });

  it("creates keys under containers for every wildcard match (golden set-bool-path-upsert-wildcard)", () => {
    const { changes } = edit(deployment, (set) =>
      set.documents[0]!.set("spec.template.spec.containers.*.securityContext.runAsNonRoot", true, {
        upsert: true,
      }),
    );
    expect(changes.removed).toEqual([]);
    expect(changes.added).toEqual([
      "          securityContext:",
      "            runAsNonRoot: true",
      "          securityContext:",
      "            runAsNonRoot: true",
    ]);
  });

  it("stays flow inside a flow map", () => {
    const flow = (text: string, path: string) =>
      edit(text, (set) => set.documents[0]!.set(path, "v", { upsert: true })).after;
    expect(flow("m: {a: 1}\n", "m.b")).toBe("m: {a: 1, b: v}\n");
    expect(flow("m: {}\n", "m.b")).toBe("m: {b: v}\n");
    expect(flow("m: {a: 1, b: 2}\n", "m.c~1d")).toBe("m: {a: 1, b: 2, c.d: v}\n");
    expect(flow("m: {\n  a: 1,\n  b: 2,\n}\n", "m.c")).toBe("m: {\n  a: 1,\n  b: 2,\n  c: v,\n}\n");
    expect(flow("m: {a: 1}\n", "m.x.z")).toBe("m: {a: 1, x: {z: v}}\n");
    // `y` is a YAML 1.1 bool, so a key spelled y is quoted for kubectl's sake.
    expect(flow("m: {a: 1}\n", "m.x.y")).toBe('m: {a: 1, x: {"y": v}}\n');
  });

  it("turns an empty value into a map", () => {
    expect(edit("a:\nb: 1\n", (set) => set.documents[0]!.set("a.x", 1, { upsert: true })).after).toBe(
      "a:\n  x: 1\nb: 1\n",
    );
    expect(edit("a: null # c\n", (set) => set.documents[0]!.set("a.x", 1, { upsert: true })).after).toBe(
      "a: # c\n  x: 1\n",
    );
    expect(edit("a: ~\n", (set) => set.documents[0]!.set("a", "v")).after).toBe("a: v\n");
    expect(edit("a:\nb: 1\n", (set) => set.documents[0]!.set("a", "v")).after).toBe("a: v\nb: 1\n");
  });

  it("quotes new keys and values that need it", () => {
    const { after } = edit("m:\n  a: 1\n", (set) => {
      set.documents[0]!.set("m.on", "off", { upsert: true });
      set.documents[0]!.set('m."x: y"', "z", { upsert: true });
    });
    expect(after).toBe('m:\n  a: 1\n  "on": "off"\n  "x: y": z\n');
  });

  it("keeps a missing final newline missing", () => {
    expect(edit("a: 1", (set) => set.documents[0]!.set("b", 2, { upsert: true })).after).toBe("a: 1\nb: 2");
  });

  it("uses CRLF for inserted lines in a CRLF document", () => {
    expect(edit("a:\r\n  b: 1\r\n", (set) => set.documents[0]!.set("a.c.d", 2, { upsert: true })).after).toBe(
      "a:\r\n  b: 1\r\n  c:\r\n    d: 2\r\n",
    );
  });

  it("creates a local override for a key inherited through <<", () => {
    const { after, js } = edit("base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n", (set) =>
      set.documents[0]!.set("m.x", 5, { upsert: true }),
    );
    expect(after).toBe("base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n  x: 5\n");
    expect(js).toEqual({ base: { x: 1 }, m: { x: 5, y: 2 } });
  });

  it("replaces an alias value instead of writing through it", () => {
    const { after } = edit("a: &x 1\nb: *x\n", (set) => set.documents[0]!.set("b", 2));
    expect(after).toBe("a: &x 1\nb: 2\n");
  });
});

describe("set errors", () => {
  const doc = () => parseConfig(deployment).documents[0]!;
  it.each([
    [
      "spec.template.spec.containers.5.image",
      "OUT_OF_BOUNDS",
      /index 5 out of bounds at spec.template.spec.containers \(length 2\)/,
    ],
    ["spec.template.spec.containers.first.image", "INVALID_ARRAY_INDEX", /invalid array index "first"/],
    ["spec.replicas.deeper", "UNEXPECTED_NODE_KIND", /unexpected node kind scalar at spec.replicas/],
    ["spec.template", "UNEXPECTED_NODE_KIND", /unexpected node kind map at spec.template/],
  ])("%s fails with %s", (path, code, message) => {
    const error = errorOf(() => doc().set(path, "x", { upsert: true }));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it("refuses to write through an alias", () => {
    const error = errorOf(() => parseConfig("a: &x {k: 1}\nb: *x\n").documents[0]!.set("b.k", 2));
    expect(error.code).toBe("ALIAS_WRITE");
  });

  it("rejects values that are not scalars", () => {
    const set = parseConfig(deployment);
    expect(errorOf(() => set.documents[0]!.set("spec.replicas", null as never)).code).toBe("INVALID_VALUE");
    expect(errorOf(() => set.documents[0]!.set("spec.replicas", Number.NaN)).code).toBe("INVALID_VALUE");
    expect(set.toString()).toBe(deployment);
  });
});

describe("setValue", () => {
  it("replaces a flow {} with a block map in the document's style, keeping the line comment", () => {
    const text = "spec:\n  resources: {} # none yet\n  other: 1\n";
    const { after } = edit(text, (set) =>
      set.documents[0]!.setValue("spec.resources", { limits: { cpu: "500m", memory: "1Gi" } }),
    );
    expect(after).toBe(
      "spec:\n  resources: # none yet\n    limits:\n      cpu: 500m\n      memory: 1Gi\n  other: 1\n",
    );
  });

  it.each([
    [
      "not indented",
      "spec:\n  items:\n  - a\n  x: 1\n",
      "spec:\n  items:\n  - a\n  x: 1\n  new:\n  - p\n  - q\n",
    ],
    [
      "indented",
      "spec:\n  items:\n    - a\n  x: 1\n",
      "spec:\n  items:\n    - a\n  x: 1\n  new:\n    - p\n    - q\n",
    ],
  ])("follows the document's list indentation (%s)", (_style, text, expected) => {
    expect(edit(text, (set) => set.documents[0]!.setValue("spec.new", ["p", "q"])).after).toBe(expected);
  });

  it("writes lists of maps, nulls and empty collections", () => {
    const { js } = edit("a: 1\n", (set) =>
      set.documents[0]!.setValue("b", [{ name: "x", value: "1" }, { name: "y", on: null }, {}, []]),
    );
    expect(js).toEqual({ a: 1, b: [{ name: "x", value: "1" }, { name: "y", on: null }, {}, []] });
  });

  it("replaces a list element and a flow list element", () => {
    const { js } = edit("l:\n  - a\n  - b\nf: [1, 2]\n", (set) => {
      set.documents[0]!.setValue("l.1", { k: "v" });
      set.documents[0]!.setValue("f.0", { k: 1 });
    });
    expect(js).toEqual({ l: ["a", { k: "v" }], f: [{ k: 1 }, 2] });
  });

  it("returns false when the value is already equal", () => {
    expect(edit("a: {b: [1, 2]}\n", (set) => set.documents[0]!.setValue("a", { b: [1, 2] })).result).toBe(
      false,
    );
  });

  it("rejects values that are not plain data", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const doc = parseConfig("a: 1\n").documents[0]!;
    expect(errorOf(() => doc.setValue("b", cyclic)).code).toBe("INVALID_VALUE");
    expect(errorOf(() => doc.setValue("b", new Date())).code).toBe("INVALID_VALUE");
    expect(errorOf(() => doc.setValue("b", () => 1)).code).toBe("INVALID_VALUE");
    let deep: unknown = "leaf";
    for (let i = 0; i < 10_000; i++) deep = { k: deep };
    expect(errorOf(() => doc.setValue("b", deep)).message).toMatch(/nested deeper than 128 levels/);
    const shared = { x: 1 };
    expect(doc.setValue("b", { p: shared, q: shared })).toBe(true);
  });
});

describe("delete", () => {
  it.each([
    ["middle key", "m:\n  a: 1\n  b: 2\n  c: 3\n", "m.b", "m:\n  a: 1\n  c: 3\n"],
    ["first key", "m:\n  a: 1\n  b: 2\n", "m.a", "m:\n  b: 2\n"],
    ["first key before a comment", "m:\n  a: 1\n\n  # b\n  b: 2\n", "m.a", "m:\n\n  # b\n  b: 2\n"],
    ["last key", "m:\n  a: 1\n  b: 2\nn: 1\n", "m.b", "m:\n  a: 1\nn: 1\n"],
    ["only key", "m:\n  a: 1\nn: 1\n", "m.a", "m: {}\nn: 1\n"],
    ["key with head comment", "a: 1\n# about b\nb: 2\nc: 3\n", "b", "a: 1\nc: 3\n"],
    ["first key of a list item", "l:\n  - a: 1\n    b: 2\n", "l.0.a", "l:\n  - b: 2\n"],
    ["list element", "l:\n  - x\n  - y\n  - z\n", "l.1", "l:\n  - x\n  - z\n"],
    ["first list element", "l:\n  - x\n  - y\n", "l.0", "l:\n  - y\n"],
    ["only list element", "l:\n- x\nn: 1\n", "l.0", "l: []\nn: 1\n"],
    ["flow entry", "m: {a: 1, b: 2, c: 3}\n", "m.b", "m: {a: 1, c: 3}\n"],
    ["first flow entry", "m: {a: 1, b: 2}\n", "m.a", "m: {b: 2}\n"],
    ["flow list element", "l: [x, y]\n", "l.1", "l: [x]\n"],
    ["last line without newline", "a: 1\nb: 2", "b", "a: 1"],
  ])("%s", (_name, text, path, expected) => {
    const { result, after } = edit(text, (set) => set.documents[0]!.delete(path));
    expect(result).toBe(true);
    expect(after).toBe(expected);
  });

  it("deletes every match, later ones first", () => {
    const { after } = edit("l:\n  - {n: a, x: 1}\n  - {n: b}\n  - {n: c, x: 2}\n", (set) =>
      set.documents[0]!.delete("l.*.x"),
    );
    expect(after).toBe("l:\n  - {n: a}\n  - {n: b}\n  - {n: c}\n");
    const all = edit("l:\n  - a\n  - b\n  - c\nk: 1\n", (set) => set.documents[0]!.delete("l.*"));
    expect(all.after).toBe("l: []\nk: 1\n");
  });

  it("returns false for missing paths and inherited keys", () => {
    const doc = parseConfig("base: &b {x: 1}\nm:\n  <<: *b\nl: [a]\n").documents[0]!;
    expect(doc.delete("m.x")).toBe(false);
    expect(doc.delete("nope.deeper")).toBe(false);
    expect(doc.delete("l.4")).toBe(false);
  });
});

describe("line comments", () => {
  it.each([
    ["replace", "a: 1 # old\n", "a", "new", "a: 1 # new\n"],
    ["add", "a: 1\nb: 2\n", "a", "# note", "a: 1 # note\nb: 2\n"],
    ["remove", "a: 1   # old\nb: 2\n", "a", "", "a: 1\nb: 2\n"],
    ["on a map value", "a:\n  b: 1\n", "a", "section", "a: # section\n  b: 1\n"],
    ["on an empty value", "a:\nb: 1\n", "a", "empty", "a: # empty\nb: 1\n"],
    ["on a block scalar", "a: |\n  x\n", "a", "text", "a: | # text\n  x\n"],
    ["on a flow map value", "a: {b: 1}\n", "a", "flow", "a: {b: 1} # flow\n"],
    ["on a list element", "l:\n  - x\n", "l.0", "first", "l:\n  - x # first\n"],
    ["without a final newline", "a: 1", "a", "end", "a: 1 # end"],
  ])("%s", (_name, text, path, comment, expected) => {
    expect(edit(text, (set) => set.documents[0]!.setLineComment(path, comment)).after).toBe(expected);
  });

  it("refuses comments inside flow collections and multi-line comments", () => {
    const doc = parseConfig("a: {b: 1}\n").documents[0]!;
    expect(errorOf(() => doc.setLineComment("a.b", "x")).code).toBe("UNEXPECTED_NODE_KIND");
    expect(errorOf(() => doc.setLineComment("a", "x\ny")).code).toBe("INVALID_VALUE");
  });

  it("is what get() reports as the comment, with head comments", () => {
    const doc = parseConfig("# about a\na: 1 # line\n\n# not about b\n\nb: 2\n").documents[0]!;
    expect(doc.get("a")).toEqual({ value: 1, kind: "scalar", type: "int", comment: "# about a\n# line" });
    expect(doc.get("b")).toEqual({ value: 2, kind: "scalar", type: "int" });
  });
});

describe("get", () => {
  const doc = parseConfig("s: text\ni: 0x10\nf: 1.0\nb: false\nn:\nm: {k: v}\nl: [1, two]\nq: '3'\n")
    .documents[0]!;
  it.each([
    ["s", { value: "text", kind: "scalar", type: "string" }],
    ["i", { value: 16, kind: "scalar", type: "int" }],
    ["f", { value: 1, kind: "scalar", type: "float" }],
    ["b", { value: false, kind: "scalar", type: "bool" }],
    ["n", { value: null, kind: "scalar", type: "null" }],
    ["q", { value: "3", kind: "scalar", type: "string" }],
    ["m", { value: { k: "v" }, kind: "map" }],
    ["l", { value: [1, "two"], kind: "seq" }],
    ["l.1", { value: "two", kind: "scalar", type: "string" }],
    ["missing", undefined],
    ["l.9", undefined],
    ["s.deeper", undefined],
  ])("%s", (path, expected) => {
    expect(doc.get(path)).toEqual(expected);
  });
});

describe("editing keeps documents independent", () => {
  const two = "a: 1\n---\nb: 2\n";

  it("edits only the addressed document of a multi-document unit", () => {
    const { after } = edit(two, (set) => set.documents[1]!.set("b", 3));
    expect(after).toBe("a: 1\n---\nb: 3\n");
  });

  it("keeps a clone and its source apart (copy-on-write)", () => {
    const set = parseConfig(two);
    const copy = set.clone();
    copy.documents[0]!.set("a", 10);
    expect(set.toString()).toBe(two);
    set.documents[1]!.set("c", 1, { upsert: true });
    expect(copy.toString()).toBe("a: 10\n---\nb: 2\n");
    expect(set.toString()).toBe("a: 1\n---\nb: 2\nc: 1\n");
    expect(copy.documents[0]!.toJS()).toEqual({ a: 10 });
  });

  it("clones an edited set, and clones of clones, without sharing later edits", () => {
    const set = parseConfig("a: 1\nm: {}\n---\nb: 2\n");
    set.documents[0]!.set("m.k", "v", { upsert: true });
    const first = set.clone();
    const second = first.clone();
    first.documents[0]!.delete("a");
    second.documents[1]!.setLineComment("b", "second");
    set.documents[1]!.set("b", 3);
    expect(set.toString()).toBe("a: 1\nm: {k: v}\n---\nb: 3\n");
    expect(first.toString()).toBe("m: {k: v}\n---\nb: 2\n");
    expect(second.toString()).toBe("a: 1\nm: {k: v}\n---\nb: 2 # second\n");
    expect(second.documents[0]!.toJS()).toEqual({ a: 1, m: { k: "v" } });
  });

  it("invalidates the cached toJS after every kind of edit", () => {
    const doc = parseConfig("a: 1\nm: {}\n").documents[0]!;
    expect(doc.toJS()).toEqual({ a: 1, m: {} });
    doc.set("a", 2);
    expect(doc.toJS()).toEqual({ a: 2, m: {} });
    doc.set("m.k", "v", { upsert: true });
    expect(doc.toJS()).toEqual({ a: 2, m: { k: "v" } });
    doc.delete("a");
    expect(doc.toJS()).toEqual({ m: { k: "v" } });
  });
});

describe("appendItem", () => {
  it.each([
    [
      "block list",
      "env:\n  - name: A # first\n    value: '1'\nx: 1\n",
      { name: "B", value: "2" },
      "env:\n  - name: A # first\n    value: '1'\n  - name: B\n    value: \"2\"\nx: 1\n",
    ],
    ["list not indented", "l:\n- a\nx: 1\n", "b", "l:\n- a\n- b\nx: 1\n"],
    ["flow list", "l: [a, b] # c\n", "c", "l: [a, b, c] # c\n"],
    ["empty flow list", "l: []\n", { k: 1 }, "l: [{k: 1}]\n"],
    ["last line without newline", "l:\n  - a", "b", "l:\n  - a\n  - b"],
  ])("%s", (_name, text, value, expected) => {
    const { result, after } = edit(text, (set) =>
      set.documents[0]!.appendItem(Object.keys(parseConfig(text).documents[0]!.toJS() as object)[0]!, value),
    );
    expect(result).toBe(true);
    expect(after).toBe(expected);
  });

  it("returns false for a missing path and rejects what is not a list", () => {
    const doc = parseConfig("m: {a: 1}\n").documents[0]!;
    expect(doc.appendItem("nope", 1)).toBe(false);
    expect(errorOf(() => doc.appendItem("m", 1)).code).toBe("UNEXPECTED_NODE_KIND");
  });
});

import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/index.ts";

function parseError(text: string, options?: Parameters<typeof parseConfig>[1]): ConfigError {
  try {
    parseConfig(text, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected parseConfig to fail");
}

describe("parseConfig documents", () => {
  it("exposes resource documents and hides empty, null, {}, [] and comment-only ones", () => {
    const set = parseConfig(
      "# only a comment\n---\n---\nnull\n---\n{}\n---\n[]\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n# c\n---\nkind: Other\n",
    );
    expect(set.documents.map((d) => d.toJS())).toEqual([
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } },
      { kind: "Other" },
    ]);
    expect(set.documents.map((d) => d.index)).toEqual([0, 1]);
  });

  it("reads values with the YAML 1.2 core schema and applies merge keys", () => {
    const set = parseConfig("a: 0x1F\nb: yes\nc: ~\nd: 1.5\nbase: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n");
    expect(set.documents[0]!.toJS()).toEqual({
      a: 31,
      b: "yes",
      c: null,
      d: 1.5,
      base: { x: 1 },
      m: { x: 1, y: 2 },
    });
  });

  it("caches toJS and freezes it so callers cannot corrupt the cache", () => {
    const doc = parseConfig("a: {b: 1}\n").documents[0]!;
    const value = doc.toJS() as { a: { b: number } };
    expect(doc.toJS()).toBe(value);
    expect(() => {
      value.a.b = 2;
    }).toThrow(TypeError);
  });

  it("identifies Kubernetes resources", () => {
    const [deployment, namespace] = parseConfig(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: prod\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n",
    ).documents;
    expect(deployment!.identity()).toEqual({
      type: "apps/v1/Deployment",
      name: "prod/web",
      nameWithoutScope: "web",
      category: "Resource",
    });
    expect(namespace!.identity()).toEqual({
      type: "v1/Namespace",
      name: "/prod",
      nameWithoutScope: "prod",
      category: "Resource",
    });
  });

  it("reports a missing type or name as an identity error naming the document", () => {
    const [noKind, noName] = parseConfig(
      "apiVersion: v1\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: A\n",
    ).documents;
    expect(noKind!.tryIdentity()).toBeUndefined();
    expect(() => noKind!.identity()).toThrow(
      /resource type is missing: no string kind \(document 0, line 1\)/,
    );
    expect(() => noName!.identity()).toThrow(/v1\/A has no string metadata.name \(document 1, line 4\)/);
    try {
      noName!.identity();
    } catch (error) {
      expect((error as ConfigError).code).toBe("IDENTITY");
      expect((error as ConfigError).documentIndex).toBe(1);
    }
  });

  it("rejects an unknown toolchain", () => {
    expect(parseError("a: 1\n", { toolchain: "Nope/X" }).code).toBe("UNKNOWN_TOOLCHAIN");
  });
});

describe("parseConfig errors", () => {
  it("reports duplicate keys with the key, line, column and document", () => {
    const error = parseError("a: 1\n---\nmetadata:\n  name: x\n  name: y\n");
    expect(error.code).toBe("DUPLICATE_KEY");
    expect(error.message).toBe('duplicate key "name" at line 5, column 3 (document 1)');
    expect([error.line, error.column, error.documentIndex]).toEqual([5, 3, 1]);
  });

  it("names quoted and spaced duplicate keys", () => {
    expect(parseError('"a: b": 1\n"a: b": 2\n').message).toBe(
      'duplicate key ""a: b"" at line 2, column 1 (document 0)',
    );
    expect(parseError("k  : 1\nk: 2\n").message).toBe('duplicate key "k" at line 2, column 1 (document 0)');
  });

  it("reports tab indentation with its position", () => {
    const error = parseError("a:\n\tb: 1\n");
    expect(error.code).toBe("TAB_INDENT");
    expect([error.line, error.column]).toEqual([2, 1]);
  });

  it.each([
    ["unterminated quote", 'a: "open\n', 2],
    ["stray flow end", "a: 1\n---\n]\n", 3],
    ["nested compact mapping", "key: value: x\n", 1],
    ["unclosed flow sequence", "a: [1, 2\n", 2],
    ["unresolved alias", "a: *nothing\n", 1],
  ])("reports %s as a syntax error with a line", (_name, text, line) => {
    const error = parseError(text);
    expect(error.code).toBe("SYNTAX");
    expect(error.line).toBe(line);
    expect(error.message).toMatch(/at line \d+, column \d+ \(document \d+\)$/);
  });

  it("rejects text over maxBytes", () => {
    const error = parseError("a: 1234567890\n", { maxBytes: 10 });
    expect(error.code).toBe("TOO_LARGE");
    expect(error.message).toBe("config data is 14 bytes, more than the limit of 10 bytes");
  });

  it("counts maxBytes in UTF-8 bytes", () => {
    expect(parseError("a: ééééé\n", { maxBytes: 10 }).code).toBe("TOO_LARGE");
    expect(parseConfig("a: é\n", { maxBytes: 10 }).documents).toHaveLength(1);
  });

  it("stops a billion-laughs document with an alias-limit error", () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`);
    }
    const error = parseError(lines.join("\n") + "\n");
    expect(error.code).toBe("ALIAS_LIMIT");
    expect(error.documentIndex).toBe(0);
  });

  // One request must not stall the server: checking each alias used to walk the whole document
  // again (16,000 aliases in 80 KB took minutes; now the whole file takes well under a second).
  it("checks 64,000 aliases in one walk, then stops them at the alias budget", () => {
    const error = parseError("- &a x\n" + "- *a\n".repeat(64_000));
    expect(error.code).toBe("ALIAS_LIMIT");
    const unresolved = parseError("- &a x\n" + "- *a\n".repeat(64_000) + "- *b\n");
    expect(unresolved).toMatchObject({ code: "SYNTAX", line: 64_002 });
    expect(unresolved.message).toContain("alias *b has no matching anchor &b before it");
  }, 20_000);

  it("refuses an alias inside the collection its anchor names (a value that contains itself)", () => {
    for (const text of ["a: &x [1, *x]\n", "a: &x {b: {c: *x}}\n"]) {
      const error = parseError(text);
      expect(error.code).toBe("SYNTAX");
      expect(error.message).toMatch(
        /alias \*x names the collection it is inside \(&x\), so the value would contain itself at line 1, column \d+ \(document 0\)$/,
      );
    }
    // The same name anchored again later, or an alias after its collection closed, is no cycle.
    expect(parseConfig("a: &x {b: 1}\nc: [*x, &x 2, *x]\n").documents[0]!.toJS()).toEqual({
      a: { b: 1 },
      c: [{ b: 1 }, 2, 2],
    });
  });

  it("accepts a few aliases within the budget", () => {
    expect(parseConfig("a: &x {k: v}\nb: *x\nc: *x\n").documents[0]!.toJS()).toEqual({
      a: { k: "v" },
      b: { k: "v" },
      c: { k: "v" },
    });
  });

  it.each([
    ["flow", (n: number) => "[".repeat(n) + "]".repeat(n)],
    ["block", (n: number) => Array.from({ length: n }, (_, i) => " ".repeat(i) + "a:").join("\n") + " 1\n"],
  ])("rejects %s nesting deeper than maxDepth instead of overflowing the stack", (_kind, make) => {
    const error = parseError(make(5000));
    expect(error.code).toBe("TOO_DEEP");
    expect(error.line).toBeGreaterThan(0);
    expect(parseConfig(make(50)).documents).toHaveLength(1);
  });

  it("validates its limit options", () => {
    expect(parseError("a: 1\n", { maxBytes: 0 }).code).toBe("INVALID_VALUE");
  });
});

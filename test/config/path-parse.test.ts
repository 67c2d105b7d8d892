import { describe, expect, it } from "vitest";
import {
  formatKey,
  formatPath,
  formatSegments,
  parsePath,
  parsePathPrefix,
  pathNodes as n,
  type ConfigError,
  type PathSegment,
} from "../../src/config/index.ts";
import { thrown } from "../support/thrown.ts";

const segments = (path: string) => parsePath(path).segments;

const pathError = (fn: () => unknown) => thrown<ConfigError>(fn);

describe("parsePath segment forms", () => {
  it.each<[string, PathSegment[]]>([
    ["key", [n.key("key")]],
    ["a.b.c", [n.key("a"), n.key("b"), n.key("c")]],
    ["items.0", [n.key("items"), n.key("0")]],
    ["*", [n.wildcard()]],
    ["*?name", [n.wildcardField("name", undefined)]],
    ["*?name:container-name", [n.wildcardField("name", "container-name")]],
    ["*@:key-param", [n.wildcardKey("key-param")]],
    ["?name=nginx", [n.match("name", undefined, "nginx")]],
    ["?name:container-name=nginx", [n.match("name", "container-name", "nginx")]],
    ["?containerPort=8080", [n.match("containerPort", undefined, "8080")]],
    ["?name=*", [n.wildcardField("name", undefined)]],
    ["?name:p=*", [n.wildcardField("name", "p")]],
    ['?name="*"', [n.match("name", undefined, "*")]],
    ["?k=a=b", [n.match("k", undefined, "a=b")]],
    ["?k=", [n.match("k", undefined, "")]],
    ["@key", [n.boundKey("key", undefined)]],
    ["@key:param", [n.boundKey("key", "param")]],
    ["|key", [n.split("key", undefined)]],
    ["|@key:param", [n.split("key", "param")]],
    ['"a.b#c"', [n.key("a.b#c")]],
    ['"with \\"quote\\" and \\\\"', [n.key('with "quote" and \\')]],
    ["app~1kubernetes~1io/name", [n.key("app.kubernetes.io/name")]],
    ["a~2b", [n.key("a/b")]],
    ["a~0b", [n.key("a~b")]],
    ["a~3b~", [n.key("a~3b~")]],
    ["a..b.", [n.key("a"), n.key("b")]],
    ["with spaces and: colons", [n.key("with spaces and: colons")]],
    ["%s", [n.key("%s")]],
  ])("%s", (path, expected) => {
    expect(segments(path)).toEqual(expected);
  });

  it("reads the #accessor suffix", () => {
    expect(parsePath("spec.containers.?name=a.image#uri")).toEqual(
      n.path([n.key("spec"), n.key("containers"), n.match("name", undefined, "a"), n.key("image")], "uri"),
    );
  });

  it("builds frozen nodes", () => {
    const expression = parsePath("a.*?b:c");
    expect(Object.isFrozen(expression)).toBe(true);
    expect(Object.isFrozen(expression.segments)).toBe(true);
    expect(Object.isFrozen(expression.segments[1])).toBe(true);
  });

  it.each([
    ["", "EMPTY_PATH", undefined],
    ["..", "EMPTY_PATH", undefined],
    ["*x", "PATH_SYNTAX", 1],
    ["a.?name", "PATH_SYNTAX", 3],
    ["a.@k:p:q", "PATH_SYNTAX", 3],
    ['a."open', "PATH_SYNTAX", 3],
    ["a#b#c", "PATH_SYNTAX", 4],
    ["a#", "PATH_SYNTAX", 3],
    ["*?:p", "PATH_SYNTAX", 1],
  ])("rejects %j with %s at column %s", (path, code, column) => {
    const error = pathError(() => parsePath(path));
    expect(error.code).toBe(code);
    expect(error.pathColumn).toBe(column);
    expect(error.path).toBe(path);
    expect(error.message).toContain(JSON.stringify(path));
  });

  it("names the map-parameter rule in its error", () => {
    expect(pathError(() => parsePath("@a:b:c")).message).toMatch(/invalid map parameter expression/);
  });

  it("refuses a path over 4,096 characters before parsing it, naming the limit", () => {
    const longest = Array.from({ length: 1024 }, () => "abc")
      .join(".")
      .slice(0, 4096);
    expect(parsePath(longest).segments.length).toBe(1024);
    const tooLong = Array.from({ length: 50_000 }, (_, i) => `k${i}`).join(".");
    const error = pathError(() => parsePath(tooLong));
    expect(error.code).toBe("PATH_TOO_LONG");
    expect(error.message).toMatch(/is \d+ characters long, more than the limit of 4096$/);
  });
});

describe("parsePathPrefix (where-filter form)", () => {
  it.each<[string, number, PathSegment[], string | undefined]>([
    ["spec.replicas > 1", 13, [n.key("spec"), n.key("replicas")], undefined],
    ["a.b='x'", 3, [n.key("a"), n.key("b")], undefined],
    ["c.1.image IN ('a')", 9, [n.key("c"), n.key("1"), n.key("image")], undefined],
    ["c.?name=main = 'x'", 12, [n.key("c"), n.match("name", undefined, "main")], undefined],
    ["c.?name=main='x'", 12, [n.key("c"), n.match("name", undefined, "main")], undefined],
    ["c.?name:p=*.image#uri = 'x'", 21, [n.key("c"), n.wildcardField("name", "p"), n.key("image")], "uri"],
    ["c.*?name:p.image!='x'", 16, [n.key("c"), n.wildcardField("name", "p"), n.key("image")], undefined],
    ["m.*@:k.v<3", 8, [n.key("m"), n.wildcardKey("k"), n.key("v")], undefined],
    [
      "a.@confighub~1com/key:annotation-key='v'",
      36,
      [n.key("a"), n.boundKey("confighub.com/key", "annotation-key")],
      undefined,
    ],
    [
      "c.*.|securityContext.runAsNonRoot != true",
      33,
      [n.key("c"), n.wildcard(), n.split("securityContext", undefined), n.key("runAsNonRoot")],
      undefined,
    ],
  ])("%s", (input, end, expected, accessor) => {
    const result = parsePathPrefix(input);
    expect(result.end).toBe(end);
    expect(result.path.segments).toEqual(expected);
    expect(result.path.accessor).toBe(accessor);
  });

  it("parses at an offset and reports columns in the whole input", () => {
    expect(parsePathPrefix("x AND spec.replicas > 1", 6).end).toBe(19);
    const error = pathError(() => parsePathPrefix("x AND = 1", 6));
    expect(error.code).toBe("PATH_SYNTAX");
    expect(error.pathColumn).toBe(7);
  });

  it("requires where-filter keys to start with a letter", () => {
    expect(pathError(() => parsePathPrefix("-a = 1")).code).toBe("PATH_SYNTAX");
  });
});

describe("formatting paths", () => {
  it.each([
    ["plain", "plain"],
    ["app.kubernetes.io/name", "app~1kubernetes~1io/name"],
    ["a~1b", "a~01b"],
    ["a~b", "a~b"],
    ["*", '"*"'],
    ["?x", '"?x"'],
    ["has#hash", '"has#hash"'],
    ["", '""'],
  ])("formatKey(%j) = %s and reads back", (key, text) => {
    expect(formatKey(key)).toBe(text);
    expect(parsePath(text).segments).toEqual([n.key(key)]);
  });

  it("formats indices as numbers", () => {
    expect(formatSegments(["spec", "containers", 0, "a.b"])).toBe("spec.containers.0.a~1b");
  });

  it.each([
    "a.b.0",
    "c.*?name:container-name.image#uri",
    "c.?name:p=v.x",
    '?name="*"',
    "*@:k",
    "m.@confighub~1com/key:k",
    "x.|y.z",
    "x.|@k:p",
    '"a:b".?"k:1"=v',
  ])("formatPath(parsePath(%s)) reads back the same expression", (path) => {
    const expression = parsePath(path);
    expect(parsePath(formatPath(expression))).toEqual(expression);
  });
});

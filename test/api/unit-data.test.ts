import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/api/errors.ts";
import { checkConfigData, decodeDataText } from "../../src/api/unit-data.ts";

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

function failure(run: () => unknown): { status: number; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return { status: error.statusCode, message: error.message };
    throw error;
  }
  throw new Error("expected an ApiError");
}

describe("decodeDataText", () => {
  it("round-trips UTF-8 text, empty included", () => {
    expect(decodeDataText(b64("name: café ☕\n"))).toBe("name: café ☕\n");
    expect(decodeDataText("")).toBe("");
  });

  it("rejects non-canonical base64 with a 400 naming the field", () => {
    for (const bad of ["abc", "ab$=", "YQ", "YQ==\n", "Y Q=="]) {
      expect(failure(() => decodeDataText(bad, "body/Data"))).toEqual({
        status: 400,
        message: "body/Data is not valid base64 (standard alphabet, with padding)",
      });
    }
  });

  it("rejects bytes that are not text with a 422", () => {
    expect(failure(() => decodeDataText(Buffer.from([0xc3, 0x28]).toString("base64"))).status).toBe(422);
    expect(failure(() => decodeDataText(b64("a\u0000b")))).toEqual({
      status: 422,
      message: "body/Data contains a NUL byte at offset 1: config data must be text",
    });
  });
});

describe("checkConfigData", () => {
  it("accepts YAML streams, comments and empty data", () => {
    for (const text of ["", "# only a comment\n", "a: 1\n---\nb: [1, 2]\n", "---\n---\n"]) {
      expect(() => checkConfigData(text, "Kubernetes/YAML")).not.toThrow();
    }
  });

  it("names the document, line and column of the first YAML error", () => {
    expect(failure(() => checkConfigData("a: 1\n---\nb:\n  c: 1\n  c: 2\n", "Kubernetes/YAML"))).toEqual({
      status: 422,
      message: "body/Data is not valid YAML: document 2, line 5, column 3: Map keys must be unique",
    });
    const unclosed = failure(() => checkConfigData('a: "open\n', "Kubernetes/YAML"));
    expect(unclosed.status).toBe(422);
    expect(unclosed.message).toBe(
      'body/Data is not valid YAML: document 1, line 2, column 1: Missing closing "quote',
    );
    const tab = failure(() => checkConfigData("a:\n\t- b\n", "Kubernetes/YAML"));
    expect(tab.message).toMatch(/document 1, line 2, column 1: /);
  });

  it("refuses what the engine's parser would refuse later: deep nesting, alias bombs, unknown aliases", () => {
    const deep = `x: ${"[".repeat(200)}${"]".repeat(200)}\n`;
    expect(failure(() => checkConfigData(deep, "Kubernetes/YAML"))).toEqual({
      status: 422,
      message:
        "body/Data is not accepted: document 1, line 1, column 132: collections nested deeper than 128 levels",
    });
    // 10 x 10 x 10 expansions of one alias: a "billion laughs" in miniature, over the alias budget.
    const ten = (alias: string) => `[${Array(10).fill(alias).join(", ")}]`;
    const bomb = `a: &a [1]\nb: &b ${ten("*a")}\nc: &c ${ten("*b")}\nd: ${ten("*c")}\n`;
    expect(failure(() => checkConfigData(bomb, "Kubernetes/YAML")).message).toMatch(
      /^body\/Data is not accepted: document 1, line 1: expands too many aliases/,
    );
    expect(failure(() => checkConfigData("---\na: 1\n---\nb: *nope\n", "Kubernetes/YAML"))).toEqual({
      status: 422,
      message:
        "body/Data is not valid YAML: document 2, line 4, column 4: alias *nope has no matching anchor &nope before it",
    });
    // A value that contains itself: no JSON can hold it (this was a 500 on create).
    const cycle = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: &x [1, *x]\n";
    expect(failure(() => checkConfigData(cycle, "Kubernetes/YAML"))).toEqual({
      status: 422,
      message:
        "body/Data is not valid YAML: document 1, line 5, column 14: alias *x names the collection it is inside (&x), so the value would contain itself",
    });
  });

  it("stores data of toolchains functions do not run on as text, unchecked", () => {
    expect(() => checkConfigData("[section\nkey: [", "AppConfig/INI")).not.toThrow();
    expect(() => checkConfigData("{", "AppConfig/JSON")).not.toThrow();
  });
});

// yamlTokens: the yaml package's tokens, with process.env swapped for a plain object only while it
// tokenises (its Parser reads process.env.LOG_TOKENS for every token). The real process.env must be
// back afterwards, whatever happened, and the package's own switch must still work.
import { afterEach, describe, expect, it, vi } from "vitest";
import { Parser } from "yaml";
import { yamlTokens } from "../../src/config/parse/yaml-tokens.ts";

describe("yamlTokens", () => {
  afterEach(() => {
    delete process.env.LOG_TOKENS;
    vi.restoreAllMocks();
  });

  it("gives the tokens the yaml package's Parser gives", () => {
    const text = "a: 1\nb: [x, {c: d}]\n---\n- e # note\n";
    expect(yamlTokens(text)).toEqual(Array.from(new Parser().parse(text)));
    const lines: number[] = [];
    yamlTokens(text, (offset) => lines.push(offset));
    const expected: number[] = [];
    Array.from(new Parser((offset) => expected.push(offset)).parse(text));
    expect(lines).toEqual(expected);
    expect(lines).toEqual([0, 5, 20, 24, 35]);
  });

  it("puts the real process.env back, also when a callback throws", () => {
    const env = process.env;
    yamlTokens("a: 1\n");
    expect(process.env).toBe(env);
    expect(() =>
      yamlTokens("a: 1\nb: 2\n", (offset) => {
        if (offset > 0) throw new Error("stop");
      }),
    ).toThrow("stop");
    expect(process.env).toBe(env);
    process.env.CONFN_YAML_TOKENS_TEST = "still the real environment";
    expect(env.CONFN_YAML_TOKENS_TEST).toBe("still the real environment");
    delete process.env.CONFN_YAML_TOKENS_TEST;
  });

  it("still honours the package's LOG_TOKENS switch", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    yamlTokens("a: 1\n");
    expect(log).not.toHaveBeenCalled();
    process.env.LOG_TOKENS = "1";
    yamlTokens("a: 1\n");
    expect(log).toHaveBeenCalled();
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { renderYamlValue } from "../../src/engine/mutations/mutation-value-text.ts";

const full = (value: unknown) => stringify(value, { indent: 2, indentSeq: false, lineWidth: 0 });

describe("YAML rendering of mutation values", () => {
  it("renders scalars and collections like the yaml package", () => {
    for (const value of [
      10,
      -3,
      true,
      "nginx:latest",
      "registry:5000/app@sha256:ab",
      "true",
      "010",
      "a: b",
      "",
      null,
      1.5,
    ]) {
      expect(renderYamlValue(value), JSON.stringify(value)).toBe(full(value));
    }
    expect(renderYamlValue({ requests: { cpu: "100m" }, l: [1] })).toBe("requests:\n  cpu: 100m\nl:\n- 1\n");
  });

  it("renders every string so that it reads back as the same string", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."aZ09_-./:@+= #\"'~*&!|>%,[]{}?".split("")) }),
        (text) => {
          expect(parse(renderYamlValue(text))).toBe(text);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("YAML rendering of maps", () => {
  const scalar = fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.constantFrom(
      "a",
      "nginx:1.2",
      "true",
      "1",
      "x y",
      "a: b",
      "",
      "~",
      "null",
      "500m",
      "256Mi",
      "app.kubernetes.io/name",
    ),
  );
  const key = fc.constantFrom("a", "b", "app.kubernetes.io/name", "1", "true", "x y", "k:", "cpu");
  const tree = fc.letrec((tie) => ({
    map: fc.dictionary(key, fc.oneof({ depthSize: "small" }, scalar, tie("map")), { maxKeys: 4 }),
  })).map;

  it("writes maps of scalars byte-identical to the yaml package", () => {
    fc.assert(
      fc.property(tree, (value) => {
        expect(renderYamlValue(value)).toBe(full(value));
      }),
      { numRuns: 2000 },
    );
  });
});

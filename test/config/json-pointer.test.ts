// JSON pointers (RFC 6901) into path segments: the one parser the engine's mutation diff, jsonpath
// and strict schema validation share.
import { describe, expect, it } from "vitest";
import { formatSegments, pointerSegments, pointerTokens } from "../../src/config/index.ts";

describe("pointerTokens", () => {
  it("unescapes ~1 to / and ~0 to ~, ~01 to ~1 (not /)", () => {
    expect(pointerTokens("")).toEqual([]);
    expect(pointerTokens("/")).toEqual([""]);
    expect(pointerTokens("/metadata/labels/app.kubernetes.io~1name")).toEqual([
      "metadata",
      "labels",
      "app.kubernetes.io/name",
    ]);
    expect(pointerTokens("/a~01/b~0")).toEqual(["a~1", "b~"]);
  });
});

describe("pointerSegments", () => {
  const tree = { spec: { containers: [{ name: "web" }], "0": { x: 1 } } };

  it("reads array indices as numbers and digit keys of maps as keys", () => {
    expect(pointerSegments(tree, "/spec/containers/0/name")).toEqual(["spec", "containers", 0, "name"]);
    expect(pointerSegments(tree, "/spec/0/x")).toEqual(["spec", "0", "x"]);
    expect(formatSegments(pointerSegments(tree, "/spec/containers/0/name"))).toBe("spec.containers.0.name");
  });

  it("keeps going past a missing node (a removed or added value) and ignores inherited keys", () => {
    expect(pointerSegments(tree, "/spec/gone/1")).toEqual(["spec", "gone", "1"]);
    expect(pointerSegments({}, "/constructor/0")).toEqual(["constructor", "0"]);
  });
});

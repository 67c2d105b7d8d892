import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyMergePatch, type Json } from "../../src/api/merge-patch.ts";

describe("applyMergePatch (RFC 7396)", () => {
  // The examples of RFC 7396, Appendix A.
  it.each<[Json, Json, Json]>([
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [
      ["a", "b"],
      ["c", "d"],
      ["c", "d"],
    ],
    [{ a: "b" }, ["c"], ["c"]],
    [{ a: "foo" }, null, null],
    [{ a: "foo" }, "bar", "bar"],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: "b", c: null }, { a: "b" }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])("%j + %j = %j", (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });

  it("never mutates its inputs, and a patch without nulls is idempotent", () => {
    const json = fc.jsonValue() as fc.Arbitrary<Json>;
    fc.assert(
      fc.property(json, json, (target, patch) => {
        const before = [JSON.stringify(target), JSON.stringify(patch)];
        const once = applyMergePatch(target, patch);
        expect([JSON.stringify(target), JSON.stringify(patch)]).toEqual(before);
        if (!JSON.stringify(patch).includes("null")) expect(applyMergePatch(once, patch)).toEqual(once);
      }),
    );
  });
});

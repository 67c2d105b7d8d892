// Kubernetes quantities: parse, compare by value, multiply, canonical format.
import { describe, expect, it } from "vitest";
import {
  compareQuantities,
  formatQuantity,
  multiplyQuantity,
  parseQuantity,
  quantityToNumber,
  type Quantity,
} from "../../src/filter/quantity.ts";

function q(text: string): Quantity {
  const parsed = parseQuantity(text);
  if (!parsed) throw new Error(`not a quantity: ${text}`);
  return parsed;
}

describe("Kubernetes quantities", () => {
  it.each([
    ["1", 1],
    ["500m", 0.5],
    ["1.5", 1.5],
    ["0.1", 0.1],
    [".5", 0.5],
    ["2.", 2],
    ["-250m", -0.25],
    ["+3", 3],
    ["100n", 1e-7],
    ["10u", 1e-5],
    ["1k", 1000],
    ["1M", 1e6],
    ["1G", 1e9],
    ["1T", 1e12],
    ["1P", 1e15],
    ["1E", 1e18],
    ["1Ki", 1024],
    ["256Mi", 256 * 1024 ** 2],
    ["1Gi", 1024 ** 3],
    ["1Ti", 1024 ** 4],
    ["1e3", 1000],
    ["1E3", 1000],
    ["5e-3", 0.005],
    ["1.5Gi", 1.5 * 1024 ** 3],
  ])("reads %s as %d", (text, value) => {
    expect(quantityToNumber(q(text))).toBeCloseTo(value, 12);
  });

  it.each([
    "",
    "abc",
    "1.2.3",
    "Mi",
    "1Mb",
    "1 Gi",
    "1mi",
    "1KI",
    "--1",
    "1e",
    "1e999",
    "1e-999",
    "0x10",
    "∞",
  ])("rejects %j", (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  it("compares by value across suffixes and formats", () => {
    expect(compareQuantities(q("1Gi"), q("256Mi"))).toBe(1);
    expect(compareQuantities(q("256Mi"), q("1Gi"))).toBe(-1);
    expect(compareQuantities(q("1Gi"), q("1024Mi"))).toBe(0);
    expect(compareQuantities(q("500m"), q("0.5"))).toBe(0);
    expect(compareQuantities(q("1k"), q("1Ki"))).toBe(-1);
    expect(compareQuantities(q("1e3"), q("1k"))).toBe(0);
    expect(compareQuantities(q("-1"), q("1m"))).toBe(-1);
    // Exact where floats are not: 0.1 + 0.2 style errors cannot happen.
    expect(compareQuantities(q("300m"), q("0.3"))).toBe(0);
    expect(compareQuantities(q("9007199254740993"), q("9007199254740992"))).toBe(1);
  });

  it.each([
    ["500m", 2, "1"],
    ["256Mi", 2, "512Mi"],
    ["1Gi", "1.5", "1536Mi"],
    ["1Gi", 2, "2Gi"],
    ["100Mi", 0.5, "50Mi"],
    ["1Ki", 0.5, "512"],
    ["1Ki", "0.001", "1024m"],
    ["100m", 3, "300m"],
    ["1", 1500, "1500"],
    ["1", 3000, "3k"],
    ["2k", 500, "1M"],
    ["1e3", 2, "2e3"],
    ["1e3", 1500, "1500e3"],
    ["1", "0.0000000001", "1n"],
    ["-500m", 2, "-1"],
    ["500m", 0, "0"],
    ["3", "1e-3", "3m"],
    ["1Gi", 10n, "10Gi"],
  ] as const)("%s × %s = %s", (text, factor, expected) => {
    expect(formatQuantity(multiplyQuantity(q(text), factor))).toBe(expected);
  });

  it.each([
    ["1000m", "1"],
    ["1500m", "1500m"],
    ["0.5", "500m"],
    ["1024Mi", "1Gi"],
    ["1536Mi", "1536Mi"],
    ["1000", "1k"],
    ["1048576", "1048576"],
    ["12345678", "12345678"],
    ["1000Ki", "1000Ki"],
    ["0.5Ki", "512"],
    ["1.5Ki", "1536"],
    ["1000E", "1000E"],
    ["0", "0"],
    ["-0", "0"],
    ["0.0000000001", "1n"],
    ["-0.0000000001", "-1n"],
  ])("formats %s canonically as %s", (text, expected) => {
    expect(formatQuantity(q(text))).toBe(expected);
  });

  it("refuses non-numeric factors", () => {
    expect(() => multiplyQuantity(q("1"), "two")).toThrow(RangeError);
    expect(() => multiplyQuantity(q("1"), Number.NaN)).toThrow(RangeError);
    expect(() => multiplyQuantity(q("1"), "1Gi")).toThrow(RangeError);
  });
});

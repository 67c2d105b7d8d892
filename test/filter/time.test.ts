// Time literals: RFC 3339 with or without a zone (no zone = UTC), normalised to microseconds.
import { describe, expect, it } from "vitest";
import { instantOf, parseInstant } from "../../src/filter/time.ts";

describe("time literals", () => {
  it.each([
    ["2025-02-18T23:16:34Z", "2025-02-18T23:16:34.000000Z"],
    ["2025-02-18T23:16:34", "2025-02-18T23:16:34.000000Z"],
    ["2025-02-18 23:16", "2025-02-18T23:16:00.000000Z"],
    ["2025-02-18", "2025-02-18T00:00:00.000000Z"],
    ["2025-02-18t23:16:34.5z", "2025-02-18T23:16:34.500000Z"],
    ["2025-02-18T23:16:34.123456789+02:00", "2025-02-18T21:16:34.123456Z"],
    ["2025-02-18T01:00:00-0530", "2025-02-18T06:30:00.000000Z"],
    ["2024-02-29T00:00:00+01", "2024-02-28T23:00:00.000000Z"],
    ["0050-01-01", "0050-01-01T00:00:00.000000Z"],
    ["9999-12-31T23:59:59.999999Z", "9999-12-31T23:59:59.999999Z"],
  ])("reads %s as %s", (text, iso) => {
    expect(parseInstant(text)?.iso).toBe(iso);
  });

  it.each([
    "2025-02-29",
    "2025-13-01",
    "2025-00-10",
    "2025-04-31",
    "2025-02-18T24:00:00Z",
    "2025-02-18T23:60",
    "2025-02-18T23:16:61",
    "2025-02-18T23:16:34+24:00",
    "0000-01-01",
    "0001-01-01T00:00:00+01:00",
    "25-02-18",
    "yesterday",
    "2025-02-18T23:16:34.Z",
    "",
  ])("rejects %j", (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });

  it("orders instants by microseconds across zones", () => {
    const a = parseInstant("2025-02-18T23:16:34.000001Z")?.epochMicros ?? 0n;
    const b = parseInstant("2025-02-19T00:16:34.000002+01:00")?.epochMicros ?? 0n;
    expect(b - a).toBe(1n);
  });

  it("reads stored values from strings and Dates", () => {
    expect(instantOf(new Date("2025-02-18T23:16:34.250Z"))?.iso).toBe("2025-02-18T23:16:34.250000Z");
    expect(instantOf(new Date("invalid"))).toBeUndefined();
    expect(instantOf(1739920594)).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { parsePrinted } from "./golden.ts";

describe("reading printed fctl output", () => {
  it("splits SUCCESS, ERRORMESSAGES, CONFIGDATA and OUTPUT", () => {
    expect(
      parsePrinted(
        "SUCCESS    false    \nERRORMESSAGES    a; b c; \nCONFIGDATA\n---------\nx: 1\nOUTPUT\n------\n[]",
        false,
      ),
    ).toEqual({ success: false, errorMessages: ["a", "b c"], configData: "x: 1\n", output: "[]" });
    expect(parsePrinted("SUCCESS    true    \n", false)).toEqual({
      success: true,
      errorMessages: undefined,
      configData: undefined,
      output: undefined,
    });
  });

  it("takes a data-only print as the data", () => {
    expect(parsePrinted("a: 1\n", true).configData).toBe("a: 1\n");
  });

  it("rejects text that is not fctl output", () => {
    expect(() => parsePrinted("hello\n", false)).toThrow(/SUCCESS line/);
    expect(() => parsePrinted("SUCCESS    true    \nsurprise\n", false)).toThrow(/unexpected printed text/);
  });
});

// Tables fit the terminal: free-text columns give way first, nothing is cut off a terminal.
import { describe, expect, it } from "vitest";
import { fitTable, terminalWidth } from "../../src/cli/output/fit-table.ts";

const columns = [{ header: "SLUG" }, { header: "DESCRIPTION", flexible: true }, { header: "ID" }];
const rows = [["web", "scales the web tier to three replicas for the launch", "0123456789"]];

describe("fitTable", () => {
  it("prints every character when there is room, or no width to fit", () => {
    const full =
      "SLUG  DESCRIPTION                                           ID\n" +
      "web   scales the web tier to three replicas for the launch  0123456789\n";
    expect(fitTable(columns, rows, undefined)).toBe(full);
    expect(fitTable(columns, rows, 200)).toBe(full);
  });

  it("cuts the flexible column first, marking the cut", () => {
    const text = fitTable(columns, rows, 40);
    expect(text).toBe("SLUG  DESCRIPTION             ID\n" + "web   scales the web tier t…  0123456789\n");
    expect(Math.max(...text.split("\n").map((line) => line.length))).toBe(40);
  });

  it("then the others, never narrower than their header or 6, and cells lose tabs and newlines", () => {
    expect(fitTable(columns, [["a-very-long-slug", "two\nlines", "0123456789"]], 20)).toBe(
      "SLUG    DESCRIPTION  ID\n" + "a-ver…  two lines    01234…\n",
    );
  });

  it("fits a terminal's width and none off a terminal", () => {
    expect(terminalWidth({ isTTY: true, columns: 80 })).toBe(80);
    expect(terminalWidth({ isTTY: false, columns: 80 })).toBeUndefined();
    expect(terminalWidth({})).toBeUndefined();
  });
});

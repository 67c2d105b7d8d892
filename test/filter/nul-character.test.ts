// A NUL in a `where` or `contains` text is refused by the filter compilers themselves, pointing at
// it, whichever caller hands them the text (the API refuses it earlier, at its edge).
import { describe, expect, it } from "vitest";
import { catalogueFor } from "../../src/filter/catalogue/index.ts";
import { FilterError, FilterErrorCode } from "../../src/filter/errors.ts";
import { listFilters } from "../../src/filter/list-filters.ts";
import { parseWhere } from "../../src/filter/where/index.ts";

function filterError(run: () => unknown): FilterError {
  try {
    run();
  } catch (error) {
    if (error instanceof FilterError) return error;
    throw error;
  }
  throw new Error("expected a FilterError");
}

describe("NUL characters in filters", () => {
  it("refuses a NUL in a where literal at its column", () => {
    const error = filterError(() => parseWhere("Slug = 'a\u0000b'"));
    expect(error.code).toBe(FilterErrorCode.NulCharacter);
    expect(error.column).toBe(10);
    expect(error.message).toBe(
      "where: the text contains a NUL character (U+0000) at column 10 (remove it: it cannot be stored or compared)",
    );
  });

  it("refuses a NUL in a contains text", () => {
    const error = filterError(() => listFilters(catalogueFor("Space")!, { contains: "ab\u0000" }));
    expect(error.code).toBe(FilterErrorCode.NulCharacter);
    expect(error.message).toMatch(/^contains: the text contains a NUL character \(U\+0000\) at column 3/);
  });
});

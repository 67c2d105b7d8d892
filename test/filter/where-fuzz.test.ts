// Fuzzing `where`: random strings and mutations of valid expressions either compile (to SQL and for
// in-memory evaluation) or fail with a FilterError (a 400 with a message). No other exception
// escapes, and no parse takes over 50 ms of CPU time (an explicit safety bound of the issue).
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { expectUnderCpuMs } from "../support/cpu-bound.ts";
import { mutate, textEdit } from "../support/text-edits.ts";
import { unitCatalogue } from "../../src/filter/catalogue/index.ts";
import { FilterError } from "../../src/filter/errors.ts";
import { evaluateWhere, prepareWhere, toSqlExpression } from "../../src/filter/where/index.ts";
import { selectWhere } from "./_postgres-compiler.ts";

const CORPUS = [
  "Labels.tier = 'backend' AND HeadRevisionNum > LiveRevisionNum",
  "LEN(ApprovedBy) > 0 AND ApprovedBy ? '7c61626f-ddbe-41af-93f6-b69f4ab6d308'",
  "Slug IN ('a', 'b') AND Slug NOT IN ('c') AND Slug NOT LIKE 'x%'",
  "Slug ~* '^web-[0-9]+$' AND DisplayName !~ '(a+)+$'",
  "CreatedAt >= '2025-01-07' AND Slug = 'test' AND Labels.mykey = 'myvalue'",
  "TargetID = '7c61626f-ddbe-41af-93f6-b69f4ab6d308' IS NOT FALSE AND Labels.x IS NULL",
  "ApplyGates.p/no-critical-cves/vet-celexpr = true AND Values.Replicas/replicas > '3'",
  "UpdatedAt < '2025-02-18T23:16:34.5+02:00' AND DisplayName = 'it''s'",
];

const TOKENS = [
  "'",
  "''",
  "(",
  ")",
  ",",
  ".",
  " AND ",
  " OR ",
  " IS ",
  " NOT ",
  " NULL",
  " IN ",
  "LEN(",
  "?",
  "=",
  "!=",
  "~*",
  "\\",
  "%",
  "*",
  "+",
  "{999}",
  "\n",
  "\u0000",
  "😀",
  "Labels.",
  "HeadRevisionNum",
  "-",
  "99999999999999999999",
  "' OR 1=1 --",
  "'; DROP TABLE units; --",
];

const edit = textEdit(TOKENS);

const sampleUnit = {
  Slug: "web",
  DisplayName: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
  Labels: { tier: "backend", x: "1" },
  ApprovedBy: [],
  HeadRevisionNum: 3,
  LiveRevisionNum: 1,
  CreatedAt: "2025-01-08T00:00:00Z",
  UpdatedAt: "2025-01-08T00:00:00Z",
};

/** Compiles `source` every way there is; returns "ok" or the FilterError's message. */
function attempt(source: string): string {
  try {
    const checked = prepareWhere(source, unitCatalogue);
    evaluateWhere(checked, sampleUnit);
    const { sql } = selectWhere("units", toSqlExpression(checked));
    // Nothing the user wrote reaches the SQL text: it is all in parameters.
    expect(sql).not.toContain("DROP");
    return "ok";
  } catch (error) {
    if (!(error instanceof FilterError)) throw error;
    expect(error.message).toMatch(/^where: \S/);
    return error.message;
  }
}

/** `attempt` under 50 ms of CPU time (test/support/cpu-bound.ts). */
function boundedAttempt(source: string): string {
  return expectUnderCpuMs(() => attempt(source), 50);
}

describe("where fuzzing", () => {
  // The grammar compiles at first use; time parses, not that one-off compilation.
  beforeAll(() => {
    prepareWhere("Slug = 'warm-up'", unitCatalogue);
  });

  it("every corpus expression is valid to begin with", () => {
    for (const source of CORPUS) expect(boundedAttempt(source)).toBe("ok");
  });

  it("5,000 random strings parse or fail with a FilterError", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 120, unit: "binary" }),
          fc.array(fc.constantFrom(...TOKENS), { maxLength: 20 }).map((t) => t.join("")),
        ),
        (source) => {
          boundedAttempt(source);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it("5,000 mutations of valid expressions parse or fail with a FilterError", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CORPUS),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        (source, edits) => {
          boundedAttempt(mutate(source, edits));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it("parses the longest allowed expression well within the bound", () => {
    const relation = "Labels.tier = 'backend' AND ";
    const source = `${relation.repeat(Math.floor(4000 / relation.length))}Slug = 'x'`;
    expect(boundedAttempt(source)).toBe("ok");
  });

  it("keeps injection attempts literal or rejects them", () => {
    expect(attempt("Slug = '' OR 1=1 --'")).toMatch(/^where: unexpected 'OR'/);
    expect(attempt("Slug = ''; DROP TABLE units; --'")).toMatch(/^where: unexpected ';'/);
    expect(attempt("Slug = ''' OR 1=1 --'")).toBe("ok");
    expect(attempt("Slug = '''; DROP TABLE units; --'")).toBe("ok");
    expect(attempt("Labels.x'; DROP TABLE units; -- = 'a'")).toMatch(/^where: unexpected/);
    expect(attempt("Slug; DROP TABLE units = 'a'")).toMatch(/^where: unexpected ';'/);
  });
});

// The RE2 -> PostgreSQL ARE translation, checked against both engines: for random RE2 patterns and
// inputs, PostgreSQL's `~` (after translation) answers exactly as re2js does, and PostgreSQL never
// rejects a translated pattern. Runs on PGlite, and on PostgreSQL when CONFN_TEST_DATABASE_URL is set.
import fc from "fast-check";
import { sql, type Kysely } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { toPostgresRegex } from "../../src/filter/regex/postgres.ts";
import { compileRe2 } from "../../src/filter/regex/re2.ts";
import type { DatabaseSchema } from "../../src/store/schema.ts";
import { testDatabases } from "../support/databases.ts";

const INPUTS = [
  "",
  "a",
  "ab",
  "aB",
  "a\nb",
  "b-a",
  "A.b",
  "xa1_",
  " a",
  "é",
  "😀a",
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
];

const atom: fc.Arbitrary<string> = fc.constantFrom(
  "a",
  "b",
  "A",
  "-",
  "é",
  "😀",
  ".",
  "\\.",
  "\\-",
  "\\d",
  "\\D",
  "\\w",
  "\\W",
  "\\s",
  "\\S",
  "\\n",
  "\\x41",
  "\\x{e9}",
  "\\141",
  "[ab]",
  "[^a]",
  "[a-c]",
  "[^a-z]",
  "[[:alpha:]]",
  "[[:^digit:]]",
  "[\\d.]",
  "[\\W]",
  "[]a]",
  "[a-]",
  "\\Qa.b\\E",
  "{",
  "}",
  "x{2",
);

const anchor = fc.constantFrom("^", "$", "\\A", "\\z", "\\b", "\\B");
const quantifier = fc.constantFrom("*", "+", "?", "*?", "+?", "??", "{2}", "{1,}", "{0,3}", "{1,2}?");

const pattern: fc.Arbitrary<string> = fc.letrec<{ expr: string; term: string }>((tie) => ({
  term: fc.oneof(
    { depthSize: "small" },
    { weight: 5, arbitrary: atom },
    { weight: 2, arbitrary: fc.tuple(atom, quantifier).map(([a, q]) => a + q) },
    { weight: 1, arbitrary: anchor },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom("(", "(?:", "(?P<g>", "(?<h>"), tie("expr"), fc.option(quantifier))
        .map(([open, inner, q]) => `${open}${inner})${q ?? ""}`),
    },
  ),
  expr: fc.oneof(
    { weight: 3, arbitrary: fc.array(tie("term"), { minLength: 1, maxLength: 4 }).map((t) => t.join("")) },
    { weight: 1, arbitrary: fc.tuple(tie("term"), tie("term")).map(([a, b]) => `${a}|${b}`) },
  ),
})).expr;

const flagged = fc
  .tuple(fc.constantFrom("", "", "(?i)", "(?s)", "(?m)", "(?is)", "(?U)"), pattern)
  .map(([flags, body]) => flags + body);

async function postgresMatches(
  db: Kysely<DatabaseSchema>,
  translated: string,
  caseInsensitive: boolean,
): Promise<boolean[]> {
  const op = sql.raw(caseInsensitive ? "~*" : "~");
  const columns = INPUTS.map((input, i) => sql`${input} ${op} ${translated} as ${sql.ref(`m${i}`)}`);
  const { rows } = await sql<Record<string, boolean>>`select ${sql.join(columns)}`.execute(db);
  const row = rows[0] ?? {};
  return INPUTS.map((_, i) => row[`m${i}`] === true);
}

describe.each(testDatabases())("RE2 patterns translated for $name", (target) => {
  let db: Kysely<DatabaseSchema>;
  beforeAll(async () => {
    db = (await target.open()).db;
  });

  it("match exactly what re2js matches, for 300 random patterns", async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(flagged, fc.boolean(), async (source, caseInsensitive) => {
        const re2 = compileRe2(source, { caseInsensitive });
        if (!re2.ok) return;
        const translated = toPostgresRegex(source);
        if (!translated.ok) {
          // Only documented refusals, each with a reason.
          expect(translated.reason).toMatch(/anchor|flag groups|Unicode|repeat counts|escape|class/);
          return;
        }
        const expected = INPUTS.map((input) => re2.regex.test(input));
        expect(await postgresMatches(db, translated.pattern, caseInsensitive)).toEqual(expected);
        compared++;
      }),
      { numRuns: 300 },
    );
    // The generator must exercise the comparison, not only refusals.
    expect(compared).toBeGreaterThan(150);
  });

  it.each([
    ["a.b", "a\nb", false],
    ["(?s)a.b", "a\nb", true],
    ["^b$", "a\nb", false],
    ["(?m)^b$", "a\nb", true],
    ["\\bfoo\\b", "a foo b", true],
    ["\\bfoo\\b", "afoob", false],
    ["\\d", "٣", false],
    ["\\w", "é", false],
    ["[[:alpha:]]", "é", false],
    ["x{2", "x{2", true],
    ["a{,3}", "a{,3}", true],
    ["\\Qa.b\\E", "axb", false],
    ["(?i)straße", "STRASSE", false],
  ] as const)("%s on %j is %s on both engines", async (source, input, expected) => {
    const re2 = compileRe2(source);
    const translated = toPostgresRegex(source);
    if (!re2.ok || !translated.ok) throw new Error(`${source} should be accepted`);
    expect(re2.regex.test(input)).toBe(expected);
    const { rows } = await sql<{ m: boolean }>`select ${input} ~ ${translated.pattern} as m`.execute(db);
    expect(rows[0]?.m).toBe(expected);
  });

  it("keeps counted repeats of groups fast: groups become non-capturing", async () => {
    const translated = toPostgresRegex("(\\w{1,100}){1,10}!");
    if (!translated.ok) throw new Error("should translate");
    expect(translated.pattern).toBe("(?:[0-9A-Z\\_a-z]{1,100}){1,10}!");
    const { rows } = await sql<{
      m: boolean;
    }>`select ${"a".repeat(3000)} ~ ${translated.pattern} as m`.execute(db);
    expect(rows[0]?.m).toBe(false);
  });
});

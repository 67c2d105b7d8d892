// Compiled SQL for `where` (text + parameters), in the style of kysely's own tests: every operator
// on every attribute type, maps, arrays, LEN, IS NULL, truth tests, times and UUIDs. User values
// only ever appear as parameters.
import { describe, expect, it } from "vitest";
import { spaceCatalogue, unitCatalogue } from "../../src/filter/catalogue/index.ts";
import { FilterError, FilterErrorCode } from "../../src/filter/errors.ts";
import { compileWhere, containsToSql } from "../../src/filter/where/index.ts";
import { selectWhere } from "./_postgres-compiler.ts";

const PREFIX = 'select "unit_id" from "units" where ';

function compiled(where: string): { sql: string; parameters: readonly unknown[] } {
  return selectWhere("units", compileWhere(where, unitCatalogue).expression);
}

describe("where compiled to SQL", () => {
  it.each([
    ["Slug = 'web'", '("slug" = $1)', ["web"]],
    ["Slug != 'web'", '("slug" <> $1)', ["web"]],
    ["Slug < 'm'", '("slug" < $1 collate "C")', ["m"]],
    ["Slug <= 'm'", '("slug" <= $1 collate "C")', ["m"]],
    ["Slug > 'm'", '("slug" > $1 collate "C")', ["m"]],
    ["Slug >= 'm'", '("slug" >= $1 collate "C")', ["m"]],
    ["Slug LIKE 'web-%'", '("slug" like $1)', ["web-%"]],
    ["Slug NOT LIKE 'web-%'", '("slug" not like $1)', ["web-%"]],
    ["Slug ILIKE 'WEB-%'", '("slug" ilike $1)', ["WEB-%"]],
    ["Slug NOT ILIKE 'WEB-%'", '("slug" not ilike $1)', ["WEB-%"]],
    ["Slug ~~ 'a_c'", '("slug" like $1)', ["a_c"]],
    ["Slug !~~ 'a_c'", '("slug" not like $1)', ["a_c"]],
    ["Slug ~ '^web-[0-9]+$'", '("slug" ~ $1)', ["^web-[0-9]+$"]],
    ["Slug ~* '^WEB'", '("slug" ~* $1)', ["^WEB"]],
    ["Slug !~ 'x'", '("slug" !~ $1)', ["x"]],
    ["Slug !~* 'X'", '("slug" !~* $1)', ["X"]],
    ["Slug IN ('a', 'b')", '("slug" in ($1, $2))', ["a", "b"]],
    ["Slug NOT IN ('a')", '("slug" not in ($1))', ["a"]],
    ["HeadRevisionNum = 3", '("head_revision_num" = cast($1 as bigint))', [3]],
    ["HeadRevisionNum != 3", '("head_revision_num" <> cast($1 as bigint))', [3]],
    ["HeadRevisionNum < 3", '("head_revision_num" < cast($1 as bigint))', [3]],
    ["HeadRevisionNum <= 3", '("head_revision_num" <= cast($1 as bigint))', [3]],
    ["HeadRevisionNum > 3", '("head_revision_num" > cast($1 as bigint))', [3]],
    ["HeadRevisionNum >= -3", '("head_revision_num" >= cast($1 as bigint))', [-3]],
    [
      "HeadRevisionNum IN (1, 2)",
      '("head_revision_num" in (cast($1 as bigint), cast($2 as bigint)))',
      [1, 2],
    ],
    ["HeadRevisionNum NOT IN (1)", '("head_revision_num" not in (cast($1 as bigint)))', [1]],
    [
      "UnitID = '7C61626F-DDBE-41AF-93F6-B69F4AB6D308'",
      '("unit_id" = cast($1 as uuid))',
      ["7c61626f-ddbe-41af-93f6-b69f4ab6d308"],
    ],
    [
      "UnitID != '7c61626f-ddbe-41af-93f6-b69f4ab6d308'",
      '("unit_id" <> cast($1 as uuid))',
      ["7c61626f-ddbe-41af-93f6-b69f4ab6d308"],
    ],
    [
      "UnitID IN ('7c61626f-ddbe-41af-93f6-b69f4ab6d308')",
      '("unit_id" in (cast($1 as uuid)))',
      ["7c61626f-ddbe-41af-93f6-b69f4ab6d308"],
    ],
    [
      "TargetID NOT IN ('7c61626f-ddbe-41af-93f6-b69f4ab6d308')",
      '("target_id" not in (cast($1 as uuid)))',
      ["7c61626f-ddbe-41af-93f6-b69f4ab6d308"],
    ],
    [
      "CreatedAt > '2025-02-18T23:16:34'",
      '("created_at" > cast($1 as timestamptz))',
      ["2025-02-18T23:16:34.000000Z"],
    ],
    [
      "CreatedAt <= '2025-02-18T23:16:34.5+02:00'",
      '("created_at" <= cast($1 as timestamptz))',
      ["2025-02-18T21:16:34.500000Z"],
    ],
    ["UpdatedAt = '2025-02-18'", '("updated_at" = cast($1 as timestamptz))', ["2025-02-18T00:00:00.000000Z"]],
    [
      "LastActionAt != '2025-02-18T00:00:00Z'",
      '("last_action_at" <> cast($1 as timestamptz))',
      ["2025-02-18T00:00:00.000000Z"],
    ],
    ["CreatedAt < UpdatedAt", '("created_at" < "updated_at")', []],
    ["HeadRevisionNum > LiveRevisionNum", '("head_revision_num" > "live_revision_num")', []],
    ["Slug = DisplayName", '("slug" = "display_name")', []],
    ["Labels.tier = 'backend'", '("labels" @> cast($1 as jsonb))', ['{"tier":"backend"}']],
    ["Labels.tier != 'backend'", '(("labels" ->> $1) <> $2)', ["tier", "backend"]],
    ["Labels.tier < 'm'", '(("labels" ->> $1) < $2 collate "C")', ["tier", "m"]],
    [
      "Labels.app.kubernetes.io/name LIKE 'web%'",
      '(("labels" ->> $1) like $2)',
      ["app.kubernetes.io/name", "web%"],
    ],
    ["Labels.tier IN ('a', 'b')", '(("labels" ->> $1) in ($2, $3))', ["tier", "a", "b"]],
    ["Labels.tier ~ 'back'", '(("labels" ->> $1) ~ $2)', ["tier", "back"]],
    ["Labels.tier IS NULL", '(not ("labels" ? $1))', ["tier"]],
    ["Labels.tier IS NOT NULL", '("labels" ? $1)', ["tier"]],
    ["Labels ? 'tier'", '("labels" ? $1)', ["tier"]],
    [
      "LEN(Labels) = 0",
      '((case when jsonb_typeof("labels") = \'object\' then (select count(*) from jsonb_object_keys("labels")) end) = cast($1 as bigint))',
      [0],
    ],
    ["Labels.a = Labels.b", '(("labels" ->> $1) = ("labels" ->> $2))', ["a", "b"]],
    [
      "ApplyGates.p/no-critical-cves/vet-celexpr = true",
      '("apply_gates" @> cast($1 as jsonb))',
      ['{"p/no-critical-cves/vet-celexpr":true}'],
    ],
    [
      "ApplyGates.x != true",
      '((case when jsonb_typeof("apply_gates" -> $1) = \'boolean\' then ("apply_gates" -> $2)::boolean end) <> cast($3 as boolean))',
      ["x", "x", true],
    ],
    [
      "ApplyGates.x IS NOT TRUE",
      '(((case when jsonb_typeof("apply_gates" -> $1) = \'boolean\' then ("apply_gates" -> $2)::boolean end) = cast($3 as boolean)) is not true)',
      ["x", "x", true],
    ],
    ["ApplyGates ? 'x'", '("apply_gates" ? $1)', ["x"]],
    [
      "ApprovedBy ? '7C61626F-DDBE-41AF-93F6-B69F4AB6D308'",
      '("approved_by" ? $1)',
      ["7c61626f-ddbe-41af-93f6-b69f4ab6d308"],
    ],
    [
      "LEN(ApprovedBy) > 0",
      '((case when jsonb_typeof("approved_by") = \'array\' then jsonb_array_length("approved_by") end) > cast($1 as bigint))',
      [0],
    ],
    [
      "LEN(FromLinkID) = LEN(ApprovedBy)",
      '((case when jsonb_typeof("from_link_id") = \'array\' then jsonb_array_length("from_link_id") end) = (case when jsonb_typeof("approved_by") = \'array\' then jsonb_array_length("approved_by") end))',
      [],
    ],
    ["TargetID IS NULL", '("target_id" is null)', []],
    ["TargetID IS NOT NULL", '("target_id" is not null)', []],
    ["LastActionAt IS NULL", '("last_action_at" is null)', []],
    [
      "TargetID = '7c61626f-ddbe-41af-93f6-b69f4ab6d308' IS NOT FALSE",
      '(("target_id" = cast($1 as uuid)) is not false)',
      ["7c61626f-ddbe-41af-93f6-b69f4ab6d308"],
    ],
    ["Labels.tier = 'x' IS TRUE", '((("labels" ->> $1) = $2) is true)', ["tier", "x"]],
    ["Slug IN ('a') IS NOT TRUE", '(("slug" in ($1)) is not true)', ["a"]],
    [
      "ApprovedBy ? '7c61626f-ddbe-41af-93f6-b69f4ab6d308' IS FALSE",
      '(("approved_by" ? $1) is false)',
      ["7c61626f-ddbe-41af-93f6-b69f4ab6d308"],
    ],
    ["Values.Replicas/replicas > '3'", '(("values" ->> $1) > $2 collate "C")', ["Replicas/replicas", "3"]],
    ["HeadRevisionNum > 9007199254740991", '("head_revision_num" > cast($1 as bigint))', [9007199254740991]],
    [
      "Slug = 'x' AND HeadRevisionNum > 1 AND Labels.tier = 'y'",
      '(("slug" = $1) and ("head_revision_num" > cast($2 as bigint)) and ("labels" @> cast($3 as jsonb)))',
      ["x", 1, '{"tier":"y"}'],
    ],
  ] as const)("%s", (where, condition, parameters) => {
    expect(compiled(where)).toEqual({ sql: PREFIX + condition, parameters });
  });

  it("qualifies columns when asked, for queries that join tables", () => {
    const { expression } = compileWhere("Slug = 'a' AND Labels.tier IS NULL", unitCatalogue, {
      table: "units",
    });
    expect(selectWhere("units", expression)).toEqual({
      sql: `${PREFIX}(("units"."slug" = $1) and (not ("units"."labels" ? $2)))`,
      parameters: ["a", "tier"],
    });
  });

  it("compiles over the Space catalogue's table", () => {
    const { expression } = compileWhere("Slug = 'prod' AND Labels.env = 'prod'", spaceCatalogue);
    expect(selectWhere("spaces", expression)).toEqual({
      sql: `select "unit_id" from "spaces" where (("slug" = $1) and ("labels" @> cast($2 as jsonb)))`,
      parameters: ["prod", '{"env":"prod"}'],
    });
  });

  it("rewrites regexes into PostgreSQL's dialect with the same meaning", () => {
    expect(compiled("Slug ~ '^a.b\\d\\bz$'")).toEqual({
      sql: `${PREFIX}("slug" ~ $1)`,
      parameters: ["^a[^\\n]b[0-9](?:(?<=[0-9A-Z_a-z])(?![0-9A-Z_a-z])|(?<![0-9A-Z_a-z])(?=[0-9A-Z_a-z]))z$"],
    });
  });

  it("reports whether the filter runs a regex, so callers bound it with a statement timeout", () => {
    expect(compileWhere("Slug = 'a'", unitCatalogue).usesRegex).toBe(false);
    expect(compileWhere("Slug = 'a' AND Slug !~* 'b'", unitCatalogue).usesRegex).toBe(true);
    expect(compileWhere("Slug ~ 'b' IS NOT TRUE", unitCatalogue).usesRegex).toBe(true);
  });

  it("refuses regex syntax PostgreSQL cannot run the same way, pointing into the pattern", () => {
    const attempt = (where: string): FilterError => {
      try {
        compileWhere(where, unitCatalogue);
      } catch (error) {
        if (error instanceof FilterError) return error;
        throw error;
      }
      throw new Error("expected an error");
    };
    const unicode = attempt("Slug ~ 'a\\pLb'");
    expect(unicode.code).toBe(FilterErrorCode.UnsupportedRegex);
    expect(unicode.message).toBe(
      "where: unsupported regular expression syntax '\\pL' at column 10 (Unicode character classes (\\p) are not supported)",
    );
    expect(attempt("Slug ~ 'a(?i:b)'").message).toBe(
      "where: unsupported regular expression syntax '(?i:' at column 10 (flag groups are supported only at the very start of the pattern, e.g. (?i))",
    );
    expect(attempt("Slug ~ 'a{300}'").message).toBe(
      "where: unsupported regular expression syntax '{300}' at column 10 (repeat counts above 255 are not supported)",
    );
  });

  it("keeps injection attempts inside parameters", () => {
    for (const attack of ["' OR 1=1 --", "'; DROP TABLE units; --", "x\\' OR '1'='1"]) {
      const quoted = `'${attack.replaceAll("'", "''")}'`;
      const { sql, parameters } = compiled(`Slug = ${quoted} AND Labels.${"a"} = ${quoted}`);
      expect(sql).toBe(`${PREFIX}(("slug" = $1) and ("labels" @> cast($2 as jsonb)))`);
      expect(parameters).toEqual([attack, JSON.stringify({ a: attack })]);
    }
  });
});

describe("contains compiled to SQL", () => {
  it("searches string attributes and map keys and values, case-insensitively, with the text as a parameter", () => {
    const { sql, parameters } = selectWhere("spaces", containsToSql("50%_off", spaceCatalogue));
    const map = (column: string, withValues: boolean): string =>
      `exists (select 1 from jsonb_each_text(case when jsonb_typeof("${column}") = 'object' then "${column}" end) as e(key, value) where strpos(lower(e.key), lower(cast($? as text))) > 0${
        withValues ? " or strpos(lower(e.value), lower(cast($? as text))) > 0" : ""
      })`;
    const text = (column: string): string => `strpos(lower("${column}"), lower(cast($? as text))) > 0`;
    const expected = [
      map("annotations", true),
      map("delete_gates", false),
      text("display_name"),
      map("labels", true),
      text("slug"),
    ];
    let n = 0;
    expect(sql).toBe(
      `select "unit_id" from "spaces" where (${expected.join(" or ")})`.replaceAll("$?", () => `$${++n}`),
    );
    expect(parameters).toEqual(Array.from({ length: n }, () => "50%_off"));
  });
});

// `where` and `contains` executed on PGlite and PostgreSQL against seeded Units: every operator on
// every type, maps, arrays, LEN, IS NULL, truth tests, times, UUIDs. Each expression's result is
// checked against the expected Units and against in-memory evaluation of the same filter (both back
// ends must agree). Regex filters run through withFilterBounds.
import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { unitCatalogue } from "../../src/filter/catalogue/index.ts";
import { FilterError, FilterErrorCode } from "../../src/filter/errors.ts";
import { compileWhere, containsToSql, evaluateContains, matchesWhere } from "../../src/filter/where/index.ts";
import { withFilterBounds } from "../../src/store/filter-bounds.ts";
import { json } from "../../src/store/json.ts";
import type { DatabaseSchema } from "../../src/store/schema.ts";
import { createTestOrganization, testDatabases } from "../support/databases.ts";
import { inTransaction } from "../../src/store/transaction.ts";

const A = "7c61626f-ddbe-41af-93f6-b69f4ab6d308";
const B = "0b9e3c1a-5d2f-4e8a-9c7b-1a2b3c4d5e6f";
const T1 = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

interface Seed {
  UnitID: string;
  Slug: string;
  DisplayName: string;
  ToolchainType?: string;
  Labels?: Record<string, string>;
  Annotations?: Record<string, string>;
  ApplyGates?: Record<string, boolean>;
  ApprovedBy?: string[];
  HeadRevisionNum?: number;
  LiveRevisionNum?: number;
  UpstreamRevisionNum?: number;
  UpstreamUnitID?: string | null;
  TargetID?: string | null;
  LastActionAt?: string | null;
  LastChangeDescription?: string;
  Values?: Record<string, string>;
  CreatedAt: string;
  space: "main" | "other";
}

const DB_ID = randomUUID();
const seeds: Seed[] = [
  {
    UnitID: randomUUID(),
    Slug: "web-frontend",
    DisplayName: "Web Frontend",
    Labels: { tier: "frontend", "app.kubernetes.io/name": "web" },
    ApplyGates: { "prod/policy/vet-images": true },
    ApprovedBy: [A],
    HeadRevisionNum: 5,
    LiveRevisionNum: 3,
    TargetID: T1,
    Values: { "replicas/replicas": "3" },
    LastChangeDescription: "bump image",
    CreatedAt: "2025-01-10T00:00:00Z",
    space: "main",
  },
  {
    UnitID: randomUUID(),
    Slug: "web-backend",
    DisplayName: "Web Backend",
    Labels: { tier: "backend" },
    HeadRevisionNum: 2,
    LiveRevisionNum: 2,
    CreatedAt: "2025-02-18T23:16:34.5Z",
    space: "main",
  },
  {
    UnitID: DB_ID,
    Slug: "db",
    DisplayName: "Database",
    Labels: { tier: "backend", env: "prod" },
    Annotations: { note: "it's 50% done" },
    ApplyGates: { x: false },
    ApprovedBy: [A, B],
    LastActionAt: "2025-03-01T12:00:00Z",
    CreatedAt: "2024-12-31T23:59:59Z",
    space: "main",
  },
  {
    UnitID: randomUUID(),
    Slug: "cache-1",
    DisplayName: "Cache #1",
    ToolchainType: "AppConfig/Properties",
    HeadRevisionNum: 10,
    LiveRevisionNum: 9,
    UpstreamRevisionNum: 4,
    UpstreamUnitID: DB_ID,
    LastChangeDescription: "50 percent",
    CreatedAt: "2025-06-01T00:00:00Z",
    space: "main",
  },
  {
    UnitID: randomUUID(),
    Slug: "emoji",
    DisplayName: "😀 smile",
    CreatedAt: "2025-06-02T00:00:00Z",
    space: "main",
  },
  {
    UnitID: randomUUID(),
    Slug: "bomb",
    DisplayName: `${"a".repeat(50)}!`,
    CreatedAt: "2025-06-03T00:00:00Z",
    space: "main",
  },
  {
    UnitID: randomUUID(),
    Slug: "web-frontend",
    DisplayName: "Web Frontend (staging)",
    Labels: { tier: "frontend", env: "staging" },
    HeadRevisionNum: 1,
    CreatedAt: "2025-01-11T00:00:00Z",
    space: "other",
  },
];

/** The seed as the in-memory evaluator sees a Unit: its JSON form with every attribute present. */
function entity(seed: Seed, spaceId: string, organizationId: string): Record<string, unknown> {
  return {
    UnitID: seed.UnitID,
    OrganizationID: organizationId,
    SpaceID: spaceId,
    Slug: seed.Slug,
    DisplayName: seed.DisplayName,
    ToolchainType: seed.ToolchainType ?? "Kubernetes/YAML",
    Labels: seed.Labels ?? {},
    Annotations: seed.Annotations ?? {},
    ApplyGates: seed.ApplyGates ?? {},
    ApplyWarnings: {},
    DeleteGates: {},
    DestroyGates: {},
    ApprovedBy: seed.ApprovedBy ?? [],
    FromLinkID: [],
    Values: seed.Values ?? {},
    TargetOptions: {},
    HeadRevisionNum: seed.HeadRevisionNum ?? 0,
    LiveRevisionNum: seed.LiveRevisionNum ?? 0,
    LastAppliedRevisionNum: 0,
    PreviousLiveRevisionNum: 0,
    UpstreamRevisionNum: seed.UpstreamRevisionNum ?? 0,
    HeadUnitActionNum: 0,
    HeadUnitEventNum: 0,
    UpstreamUnitID: seed.UpstreamUnitID ?? null,
    UpstreamSpaceID: null,
    UpstreamOrganizationID: null,
    TargetID: seed.TargetID ?? null,
    BridgeWorkerID: null,
    ChangeSetID: null,
    LastActionAt: seed.LastActionAt ?? null,
    LastChangeDescription: seed.LastChangeDescription ?? "",
    DataHash: "",
    ProviderType: "",
    DriftReconciliationMode: "",
    CreatedAt: seed.CreatedAt,
    UpdatedAt: seed.CreatedAt,
  };
}

// [where, expected slugs (sorted, "other:" for the unit in the second space)]
const CASES: [string, string[]][] = [
  ["Slug = 'db'", ["db"]],
  ["Slug != 'db'", ["bomb", "cache-1", "emoji", "web-backend", "web-frontend", "other:web-frontend"]],
  ["Slug < 'd'", ["bomb", "cache-1"]],
  ["Slug <= 'db'", ["bomb", "cache-1", "db"]],
  ["Slug > 'web-backend'", ["web-frontend", "other:web-frontend"]],
  ["Slug >= 'web-frontend'", ["web-frontend", "other:web-frontend"]],
  ["Slug LIKE 'web-%'", ["web-backend", "web-frontend", "other:web-frontend"]],
  ["Slug ~~ 'web-_ackend'", ["web-backend"]],
  ["Slug NOT LIKE '%e%'", ["bomb", "db"]],
  ["Slug !~~ '%e%'", ["bomb", "db"]],
  ["Slug ILIKE 'WEB-F%'", ["web-frontend", "other:web-frontend"]],
  ["Slug NOT ILIKE 'WEB-%'", ["bomb", "cache-1", "db", "emoji"]],
  ["LastChangeDescription LIKE '50\\%%'", []],
  ["Annotations.note LIKE '%50\\%%'", ["db"]],
  ["Slug ~ '^web-(front|back)end$'", ["web-backend", "web-frontend", "other:web-frontend"]],
  ["Slug ~* '^WEB-B'", ["web-backend"]],
  ["Slug !~ 'e'", ["bomb", "db"]],
  ["Slug !~* 'E|O'", ["db"]],
  ["DisplayName ~ '\\bFrontend\\b'", ["web-frontend", "other:web-frontend"]],
  ["DisplayName ~ '(a+)+$'", []],
  ["DisplayName ~ '^(a+)+!$'", ["bomb"]],
  ["Slug IN ('db', 'cache-1', 'nope')", ["cache-1", "db"]],
  ["Slug NOT IN ('db', 'cache-1')", ["bomb", "emoji", "web-backend", "web-frontend", "other:web-frontend"]],
  ["DisplayName = 'Database' AND Slug = 'db'", ["db"]],
  ["DisplayName > '\ue000'", ["emoji"]],
  ["ToolchainType = 'AppConfig/Properties'", ["cache-1"]],
  ["HeadRevisionNum = 2", ["web-backend"]],
  ["HeadRevisionNum != 0", ["cache-1", "web-backend", "web-frontend", "other:web-frontend"]],
  ["HeadRevisionNum < 2", ["bomb", "db", "emoji", "other:web-frontend"]],
  ["HeadRevisionNum <= 2", ["bomb", "db", "emoji", "web-backend", "other:web-frontend"]],
  ["HeadRevisionNum > 4", ["cache-1", "web-frontend"]],
  ["HeadRevisionNum >= 10", ["cache-1"]],
  ["HeadRevisionNum > 9999999999", []],
  ["HeadRevisionNum > -1 AND HeadRevisionNum < 1", ["bomb", "db", "emoji"]],
  ["HeadRevisionNum IN (2, 5)", ["web-backend", "web-frontend"]],
  ["HeadRevisionNum NOT IN (0, 1)", ["cache-1", "web-backend", "web-frontend"]],
  ["HeadRevisionNum > LiveRevisionNum", ["cache-1", "web-frontend", "other:web-frontend"]],
  ["HeadRevisionNum = LiveRevisionNum AND HeadRevisionNum > 0", ["web-backend"]],
  ["UpstreamRevisionNum > 0", ["cache-1"]],
  [`UpstreamUnitID = '${DB_ID.toUpperCase()}'`, ["cache-1"]],
  [`UnitID = '${DB_ID}'`, ["db"]],
  [`UnitID != '${DB_ID}'`, ["bomb", "cache-1", "emoji", "web-backend", "web-frontend", "other:web-frontend"]],
  [`UnitID IN ('${DB_ID}', '${A}')`, ["db"]],
  [
    `UnitID NOT IN ('${DB_ID}')`,
    ["bomb", "cache-1", "emoji", "web-backend", "web-frontend", "other:web-frontend"],
  ],
  [`TargetID = '${T1}'`, ["web-frontend"]],
  [`TargetID != '${T1}'`, []],
  ["TargetID IS NULL", ["bomb", "cache-1", "db", "emoji", "web-backend", "other:web-frontend"]],
  ["TargetID IS NOT NULL", ["web-frontend"]],
  [
    `TargetID = '${T1}' IS NOT FALSE`,
    ["bomb", "cache-1", "db", "emoji", "web-backend", "web-frontend", "other:web-frontend"],
  ],
  [`TargetID = '${T1}' IS TRUE`, ["web-frontend"]],
  [`TargetID = '${T1}' IS NOT TRUE`, ["bomb", "cache-1", "db", "emoji", "web-backend", "other:web-frontend"]],
  [`TargetID = '${T1}' IS FALSE`, []],
  ["CreatedAt > '2025-06-01'", ["bomb", "emoji"]],
  ["CreatedAt >= '2025-06-01'", ["bomb", "cache-1", "emoji"]],
  ["CreatedAt < '2025-01-01T00:00:00Z'", ["db"]],
  ["CreatedAt <= '2025-01-10'", ["db", "web-frontend"]],
  ["CreatedAt = '2025-02-19T00:16:34.5+01:00'", ["web-backend"]],
  [
    "CreatedAt != '2025-02-18T23:16:34.500000Z' AND CreatedAt < '2025-02-01'",
    ["db", "web-frontend", "other:web-frontend"],
  ],
  ["CreatedAt > '2025-02-18T23:16:34.4Z' AND CreatedAt < '2025-02-18T23:16:34.6Z'", ["web-backend"]],
  ["CreatedAt <= UpdatedAt AND CreatedAt = UpdatedAt AND Slug = 'db'", ["db"]],
  ["LastActionAt IS NOT NULL", ["db"]],
  ["LastActionAt > '2025-01-01'", ["db"]],
  ["Labels.tier = 'backend'", ["db", "web-backend"]],
  ["Labels.tier != 'backend'", ["web-frontend", "other:web-frontend"]],
  ["Labels.tier < 'c'", ["db", "web-backend"]],
  ["Labels.tier IN ('frontend', 'middle')", ["web-frontend", "other:web-frontend"]],
  ["Labels.tier NOT IN ('frontend')", ["db", "web-backend"]],
  ["Labels.tier LIKE '%end'", ["db", "web-backend", "web-frontend", "other:web-frontend"]],
  ["Labels.tier ~ '^back'", ["db", "web-backend"]],
  ["Labels.tier IS NULL", ["bomb", "cache-1", "emoji"]],
  ["Labels.tier IS NOT NULL", ["db", "web-backend", "web-frontend", "other:web-frontend"]],
  ["Labels.tier = 'frontend' IS NOT TRUE", ["bomb", "cache-1", "db", "emoji", "web-backend"]],
  [
    "Labels.tier = 'frontend' IS NOT FALSE",
    ["bomb", "cache-1", "emoji", "web-frontend", "other:web-frontend"],
  ],
  ["Labels.app.kubernetes.io/name = 'web'", ["web-frontend"]],
  ["Labels ? 'env'", ["db", "other:web-frontend"]],
  ["LEN(Labels) = 0", ["bomb", "cache-1", "emoji"]],
  ["LEN(Labels) >= 2", ["db", "web-frontend", "other:web-frontend"]],
  ["Labels.env = Labels.tier", []],
  ["Annotations.note = 'it''s 50% done'", ["db"]],
  ["Values.replicas/replicas > '2'", ["web-frontend"]],
  ["ApplyGates.prod/policy/vet-images = true", ["web-frontend"]],
  ["ApplyGates.x = false", ["db"]],
  ["ApplyGates.x != true", ["db"]],
  [
    "ApplyGates.x IS NOT TRUE",
    ["bomb", "cache-1", "db", "emoji", "web-backend", "web-frontend", "other:web-frontend"],
  ],
  ["ApplyGates.x IS FALSE", ["db"]],
  ["ApplyGates ? 'prod/policy/vet-images'", ["web-frontend"]],
  ["LEN(ApplyGates) > 0", ["db", "web-frontend"]],
  [`ApprovedBy ? '${A.toUpperCase()}'`, ["db", "web-frontend"]],
  [`ApprovedBy ? '${B}'`, ["db"]],
  [
    `ApprovedBy ? '${B}' IS FALSE`,
    ["bomb", "cache-1", "emoji", "web-backend", "web-frontend", "other:web-frontend"],
  ],
  ["LEN(ApprovedBy) > 0", ["db", "web-frontend"]],
  ["LEN(ApprovedBy) = 2", ["db"]],
  ["LEN(ApprovedBy) > LEN(FromLinkID)", ["db", "web-frontend"]],
  ["Slug = ''' OR 1=1 --'", []],
  ["Slug = '''; DROP TABLE units; --'", []],
  ["Labels.tier = ''' OR ''1''=''1'", []],
];

describe.each(testDatabases())("where on $name", (target) => {
  let db: Kysely<DatabaseSchema>;
  let organizationId: string;
  const spaces = { main: randomUUID(), other: randomUUID() };
  let entities: { slug: string; value: Record<string, unknown> }[];

  beforeAll(async () => {
    db = (await target.open()).db;
    organizationId = (await createTestOrganization(db, "where")).organizationId;
    for (const [name, spaceId] of Object.entries(spaces)) {
      await db
        .insertInto("spaces")
        .values({
          space_id: spaceId,
          organization_id: organizationId,
          slug: name,
          labels: json({}),
          annotations: json({}),
          delete_gates: json({}),
        })
        .execute();
    }
    for (const seed of seeds) {
      await db
        .insertInto("units")
        .values({
          unit_id: seed.UnitID,
          organization_id: organizationId,
          space_id: spaces[seed.space],
          slug: seed.Slug,
          display_name: seed.DisplayName,
          toolchain_type: seed.ToolchainType ?? "Kubernetes/YAML",
          labels: json(seed.Labels ?? {}),
          annotations: json(seed.Annotations ?? {}),
          apply_gates: json(seed.ApplyGates ?? {}),
          apply_warnings: json({}),
          delete_gates: json({}),
          destroy_gates: json({}),
          approved_by: json(seed.ApprovedBy ?? []),
          from_link_id: json([]),
          values: json(seed.Values ?? {}),
          target_options: json({}),
          head_revision_num: seed.HeadRevisionNum ?? 0,
          live_revision_num: seed.LiveRevisionNum ?? 0,
          upstream_revision_num: seed.UpstreamRevisionNum ?? 0,
          upstream_unit_id: seed.UpstreamUnitID ?? null,
          target_id: seed.TargetID ?? null,
          last_action_at: seed.LastActionAt ?? null,
          last_change_description: seed.LastChangeDescription ?? "",
          created_at: seed.CreatedAt,
          updated_at: seed.CreatedAt,
        })
        .execute();
    }
    entities = seeds.map((seed) => ({
      slug: label(seed.Slug, seed.space),
      value: entity(seed, spaces[seed.space], organizationId),
    }));
  });

  function label(slug: string, space: string): string {
    return space === "main" ? slug : `${space}:${slug}`;
  }

  async function select(where: string): Promise<string[]> {
    const compiled = compileWhere(where, unitCatalogue, { table: "units" });
    const rows = await withFilterBounds(
      db,
      compiled,
      (q) =>
        q
          .selectFrom("units")
          .innerJoin("spaces", "spaces.space_id", "units.space_id")
          .select(["units.slug as slug", "spaces.slug as space"])
          .where("units.organization_id", "=", organizationId)
          .where(compiled.expression)
          .execute(),
      { source: where },
    );
    return rows.map((r) => label(r.slug, r.space)).sort();
  }

  it.each(CASES)("%s", async (where, expected) => {
    const sorted = [...expected].sort();
    expect(await select(where)).toEqual(sorted);
    const inMemory = entities.filter((e) => matchesWhere(where, unitCatalogue, e.value)).map((e) => e.slug);
    expect(inMemory.sort()).toEqual(sorted);
  });

  it("finishes a catastrophic pattern in the database in under 100 ms", async () => {
    await select("Slug = 'warm-up' AND DisplayName ~ 'x'");
    const started = performance.now();
    expect(await select("DisplayName ~ '(a+)+$' AND Slug = 'bomb'")).toEqual([]);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("leaves the units table intact after injection attempts", async () => {
    await select("Slug = '''; DROP TABLE units; --'");
    const { count } = await db
      .selectFrom("units")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .where("organization_id", "=", organizationId)
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(seeds.length);
  });

  it.each([
    ["FRONT", ["web-frontend", "other:web-frontend"]],
    ["50%", ["db"]],
    ["50_", []],
    ["app.kubernetes.io", ["web-frontend"]],
    ["vet-images", ["web-frontend"]],
    ["staging", ["other:web-frontend"]],
    ["appconfig/", ["cache-1"]],
    ["😀", ["emoji"]],
    ["true", []],
  ])("contains %j", async (text, expected) => {
    const rows = await db
      .selectFrom("units")
      .innerJoin("spaces", "spaces.space_id", "units.space_id")
      .select(["units.slug as slug", "spaces.slug as space"])
      .where("units.organization_id", "=", organizationId)
      .where(containsToSql(text, unitCatalogue, { table: "units" }))
      .execute();
    const sorted = [...expected].sort();
    expect(rows.map((r) => label(r.slug, r.space)).sort()).toEqual(sorted);
    expect(
      entities
        .filter((e) => evaluateContains(text, unitCatalogue, e.value))
        .map((e) => e.slug)
        .sort(),
    ).toEqual(sorted);
  });

  it("combines contains and where with AND", async () => {
    const compiled = compileWhere("Labels.tier = 'frontend'", unitCatalogue);
    const rows = await db
      .selectFrom("units")
      .select("slug")
      .where("organization_id", "=", organizationId)
      .where(compiled.expression)
      .where(containsToSql("staging", unitCatalogue))
      .execute();
    expect(rows.map((r) => r.slug)).toEqual(["web-frontend"]);
  });

  it("restores the caller's statement timeout inside a transaction", async () => {
    const compiled = compileWhere("Slug ~ 'db'", unitCatalogue);
    const setting = await inTransaction(db, async (trx) => {
      await sql`select set_config('statement_timeout', '12345', true)`.execute(trx);
      const rows = await withFilterBounds(trx, compiled, (q) =>
        q
          .selectFrom("units")
          .select("slug")
          .where("organization_id", "=", organizationId)
          .where(compiled.expression)
          .execute(),
      );
      expect(rows.map((r) => r.slug)).toEqual(["db"]);
      return (await sql<{ value: string }>`select current_setting('statement_timeout') as value`.execute(trx))
        .rows[0]?.value;
    });
    expect(setting).toBe("12345ms");
  });

  it.runIf(target.name === "PostgreSQL")("turns a statement timeout into a FilterError", async () => {
    const error = await withFilterBounds(
      db,
      { usesRegex: true },
      (q) =>
        sql`select count(*) from generate_series(1, 200000000) as g(n) where g.n::text ~ '^1+$'`.execute(q),
      { timeoutMs: 50, source: "Slug ~ 'x'" },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FilterError);
    expect((error as FilterError).code).toBe(FilterErrorCode.Timeout);
    expect((error as FilterError).message).toBe(
      "where: the filter ran longer than 50 ms (simplify the regular expression or narrow the filter with other conditions)",
    );
  });
});

// `npm run bench -- where-data [--units=N] [--runs=N] [--postgres=URL]`: where_data in the database
// (issue 17). N generated Units (default 100,000; bench/_generate.ts, ~1 KB, three resources each)
// are seeded in a scratch PostgreSQL database (--postgres, else BENCH_DATABASE_URL, else
// postgres://postgres@127.0.0.1:5432/test; `--postgres=pglite` for the embedded database). An
// organization-wide `where_data` that selects 1% of them is resolved the way an invocation reads
// its Units (streamUnits, batches of 100, then the exact check on each Unit read):
//   - baseline, today's path: every Unit read and parsed, the exact check decides;
//   - pre-filter: the database's SQL/JSON path narrows the Units first, the exact check then runs
//     on those it keeps.
// Both in the same run, alternating; the two must select the same Units. Reported: the median time
// of each and the ratio (target: pre-filter >= 20x faster), and the plan of one batch query.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { dataCondition, dataPrefilters } from "../src/invoke/selection.ts";
import { matchDataConditions } from "../src/invoke/data-conditions.ts";
import { streamUnits } from "../src/invoke/unit-stream.ts";
import type { Database } from "../src/store/database.ts";
import type { UnitSelection } from "../src/store/unit-selection.ts";
import { generateUnit } from "./_generate.ts";
import {
  insertUnits,
  openBenchDatabase,
  seedOrganization,
  type BenchDatabase,
  type SeedUnit,
} from "./_seed.ts";
import { option } from "./_options.ts";

const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test";
const TARGET_RATIO = 20;
const SPACES = 10;
// generateUnit(i) gives the app container port 8000 + i % 100: one Unit in a hundred has 8042.
const WHERE_DATA = "spec.template.spec.containers.*.ports.*.containerPort = 8042";
const RESOURCE_TYPE = "apps/v1/Deployment";

function positive(args: string[], name: string, fallback: number): number {
  const value = Number(option(args, name) ?? fallback);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`bench where-data: --${name} must be a positive integer`);
  return value;
}

async function seed(database: Database, units: number): Promise<string> {
  const { organizationId, spaceIds } = await seedOrganization(database, "where-data", SPACES);
  const CHUNK = 1_000;
  for (let start = 0; start < units; start += CHUNK) {
    const batch: SeedUnit[] = [];
    for (let i = start; i < Math.min(units, start + CHUNK); i++) {
      batch.push({ spaceId: spaceIds[i % SPACES]!, slug: `unit-${i}`, data: generateUnit(i) });
    }
    await insertUnits(database, organizationId, batch);
  }
  await sql`analyze units`.execute(database.db);
  return organizationId;
}

/** The selected Unit IDs, read as an invocation reads them, each checked exactly. */
async function select(
  database: Database,
  selection: UnitSelection,
): Promise<{ ids: string[]; read: number }> {
  const condition = dataCondition(WHERE_DATA, RESOURCE_TYPE, "bench");
  const ids: string[] = [];
  let read = 0;
  for await (const unit of streamUnits(database.db, selection)) {
    read++;
    const match = matchDataConditions(unit.data, "Kubernetes/YAML", [condition]);
    if ("matches" in match && match.matches) ids.push(unit.unit_id);
  }
  return { ids, read };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

export async function run(args: string[]): Promise<void> {
  const units = positive(args, "units", 100_000);
  const runs = positive(args, "runs", 3);
  const given = option(args, "postgres") ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_URL;
  const postgres = given === "pglite" ? undefined : given;
  const work = mkdtempSync(join(tmpdir(), "confn-bench-where-data-"));
  let scratch: BenchDatabase | undefined;
  try {
    scratch = await openBenchDatabase(work, postgres, `confn_bench_wd_${process.pid}`);
    const { database } = scratch;
    console.log(`seeding ${units} Units (${database.description})...`);
    const seeding = performance.now();
    const organizationId = await seed(database, units);
    console.log(`seeded in ${seconds(performance.now() - seeding)}`);

    const condition = dataCondition(WHERE_DATA, RESOURCE_TYPE, "bench");
    const baseline: UnitSelection = { organizationId, toolchainType: "Kubernetes/YAML", filters: [] };
    const prefiltered: UnitSelection = { ...baseline, dataFilters: dataPrefilters([condition]) };
    const times = { baseline: [] as number[], prefiltered: [] as number[] };
    let expected: string[] | undefined;
    let reads = { baseline: 0, prefiltered: 0 };
    for (let r = 0; r < runs; r++) {
      for (const [name, selection] of [
        ["baseline", baseline],
        ["prefiltered", prefiltered],
      ] as const) {
        const start = performance.now();
        const { ids, read } = await select(database, selection);
        times[name].push(performance.now() - start);
        reads = { ...reads, [name]: read };
        expected ??= ids;
        if (ids.join() !== expected.join()) {
          throw new Error(
            `bench where-data: ${name} selected ${ids.length} Units, the other ${expected.length}`,
          );
        }
      }
    }

    const plan = await sql<{ "QUERY PLAN": string }>`explain select units.unit_id from units
      where units.organization_id = ${organizationId} and ${prefiltered.dataFilters![0]!}
      order by units.unit_id limit 100`.execute(database.db);
    const ratio = median(times.baseline) / median(times.prefiltered);
    console.log(`where_data: ${WHERE_DATA} (resource_type ${RESOURCE_TYPE})`);
    console.log(`selected ${expected!.length} of ${units} Units, organization-wide`);
    console.log(
      `baseline (every Unit read and parsed): median ${seconds(median(times.baseline))} over ${runs} runs, ${reads.baseline} Units read`,
    );
    console.log(
      `pre-filter + exact check:              median ${seconds(median(times.prefiltered))} over ${runs} runs, ${reads.prefiltered} Units read`,
    );
    console.log(
      `ratio ${ratio.toFixed(1)}x (target >= ${TARGET_RATIO}x: ${ratio >= TARGET_RATIO ? "met" : "NOT met"})`,
    );
    console.log("plan of a batch query:");
    for (const row of plan.rows) console.log(`  ${row["QUERY PLAN"]}`);
  } finally {
    await scratch?.database.close().catch(() => {});
    await scratch?.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

// `npm run bench -- scale [--postgres=URL] [--sizes=10000,100000] [--list-requests=50]`: confn at
// scale, over HTTP, on PostgreSQL (default postgres://postgres@127.0.0.1:5432/test; a scratch database
// of its own, dropped afterwards). The database is seeded to each size in turn (~1 KB, three resources
// per Unit, in ten Spaces), and at each size a fresh `confn serve` process is measured:
// - an organization-wide set-image dry run over every Unit, answered as the JSON array (the default)
//   and as the streamed answer (Accept: application/x-ndjson): Units/s of each, and the time to the
//   first streamed element (after an unmeasured warm-up call of each kind over 0.1% of the Units);
// - `GET /api/unit?where=Labels.group = '...'` (0.1% of the Units) and `where=Slug = '...'` (one Unit),
//   whole Units with their Data as ConfigHub lists them: p50 and p95 over --list-requests requests;
// - the server's peak RSS (VmHWM) over all of it.
// Targets (issue 17, on a 2-core machine): dry-run throughput at the largest size >= 0.8 x the
// smallest's (linear cost; the baseline is the smallest size, measured in the same run), peak RSS
// < 1 GiB, first element within 1 s, list p50 <= 50 ms at the largest size.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import type { Database } from "../src/store/database.ts";
import { generateUnit } from "./_generate.ts";
import {
  insertUnits,
  openBenchDatabase,
  seedOrganization,
  type BenchDatabase,
  type SeedUnit,
} from "./_seed.ts";
import { peakRss, startServer, stopServer } from "./_server.ts";
import { option } from "./_options.ts";

const DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/test";
const SPACES = 10;
/** Units per `group` label value: the selective `where` of the list requests. */
const GROUPS = 1_000;
const SEED_CHUNK = 1_000;
const SET_IMAGE = {
  FunctionName: "set-image",
  Arguments: [{ Value: "app" }, { Value: "registry.example.com/bumped:2.0.0" }],
};
const ALL = "Labels.scale = 'all'";
const TARGETS = { ratio: 0.8, rssBytes: 1024 ** 3, firstElementSeconds: 1, listP50Ms: 50 };

const verdict = (met: boolean): string => (met ? "met" : "NOT met");
const load = (): string => readFileSync("/proc/loadavg", "utf8").trim();

interface Seeding {
  readonly organizationId: string;
  readonly token: string;
  readonly spaceIds: string[];
  seeded: number;
}

async function bootstrap(database: Database): Promise<Seeding> {
  const { organizationId, adminToken, spaceIds } = await seedOrganization(database, "scale", SPACES);
  return { organizationId, token: adminToken, spaceIds, seeded: 0 };
}

/** Adds Units until there are `units`; returns the seconds it took. */
async function seedTo(database: Database, seeding: Seeding, units: number): Promise<number> {
  const started = performance.now();
  for (let start = seeding.seeded; start < units; start += SEED_CHUNK) {
    const batch: SeedUnit[] = [];
    for (let i = start; i < Math.min(units, start + SEED_CHUNK); i++) {
      batch.push({
        spaceId: seeding.spaceIds[i % SPACES]!,
        slug: `unit-${i}`,
        data: generateUnit(i),
        labels: { scale: "all", group: `g-${i % GROUPS}` },
      });
    }
    await insertUnits(database, seeding.organizationId, batch);
  }
  seeding.seeded = units;
  return (performance.now() - started) / 1000;
}

interface Run {
  readonly units: number;
  readonly seconds: number;
  /** Seconds from the request to the first complete element line (streamed answer only). */
  readonly firstElement?: number;
}

function invokeRequest(url: string, token: string, stream: boolean, where = ALL): Promise<Response> {
  return fetch(`${url}/api/function/invoke?${new URLSearchParams({ where, dry_run: "true" })}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      ...(stream ? { accept: "application/x-ndjson" } : {}),
    },
    body: JSON.stringify({ FunctionInvocations: [SET_IMAGE] }),
  });
}

/** The array answer: every element must succeed and change its Unit. */
async function dryRunArray(url: string, token: string): Promise<Run> {
  const started = performance.now();
  const response = await invokeRequest(url, token, false);
  const body = await response.text();
  const seconds = (performance.now() - started) / 1000;
  if (response.status !== 200) throw new Error(`bench scale: HTTP ${response.status}: ${body.slice(0, 500)}`);
  const elements = JSON.parse(body) as { Success: boolean; Mutators: number[] }[];
  if (elements.some((e) => !e.Success || e.Mutators.length !== 1)) {
    throw new Error("bench scale: an element failed or did not change its Unit");
  }
  return { units: elements.length, seconds };
}

/** The streamed answer, read line by line as it arrives; its Summary must say 200. */
async function dryRunStream(url: string, token: string): Promise<Run> {
  const started = performance.now();
  const response = await invokeRequest(url, token, true);
  if (response.status !== 200 || !response.body) {
    throw new Error(
      `bench scale: streamed HTTP ${response.status}: ${(await response.text()).slice(0, 500)}`,
    );
  }
  let firstElement: number | undefined;
  let pending = "";
  let elements = 0;
  let summary: { Status: number; Elements: number } | undefined;
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    pending += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf("\n")) !== -1) {
      const line = JSON.parse(pending.slice(0, newline)) as {
        Success?: boolean;
        Mutators?: number[];
        Summary?: { Status: number; Elements: number };
      };
      pending = pending.slice(newline + 1);
      if (line.Summary) {
        summary = line.Summary;
        continue;
      }
      firstElement ??= (performance.now() - started) / 1000;
      if (!line.Success || line.Mutators?.length !== 1)
        throw new Error("bench scale: a streamed element failed");
      elements++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (summary?.Status !== 200 || summary.Elements !== elements) {
    throw new Error(`bench scale: streamed Summary ${JSON.stringify(summary)} after ${elements} elements`);
  }
  return { units: elements, seconds, ...(firstElement !== undefined ? { firstElement } : {}) };
}

interface Latency {
  readonly p50: number;
  readonly p95: number;
  readonly units: number;
}

/** `GET /api/unit?where=...` `requests` times (after 3 unmeasured): p50/p95 in ms, Units per answer. */
async function listLatency(
  url: string,
  token: string,
  requests: number,
  where: (i: number) => string,
  expected: number,
): Promise<Latency> {
  const times: number[] = [];
  for (let i = -3; i < requests; i++) {
    const started = performance.now();
    const response = await fetch(`${url}/api/unit?${new URLSearchParams({ where: where(i + 3) })}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const units = (await response.json()) as { Unit: { Data: string } }[];
    const ms = performance.now() - started;
    if (response.status !== 200) throw new Error(`bench scale: list HTTP ${response.status}`);
    if (units.length !== expected || units.some((u) => u.Unit.Data === "")) {
      throw new Error(`bench scale: list returned ${units.length} Units, expected ${expected} with Data`);
    }
    if (i >= 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p95: at(0.95), units: expected };
}

interface SizeResult {
  readonly units: number;
  readonly seedSeconds: number;
  readonly array: Run;
  readonly stream: Run;
  readonly byGroup: Latency;
  readonly bySlug: Latency;
  readonly rss: number;
}

async function measure(
  env: NodeJS.ProcessEnv,
  seeding: Seeding,
  seedSeconds: number,
  listRequests: number,
): Promise<SizeResult> {
  const units = seeding.seeded;
  let child: ChildProcess | undefined;
  try {
    const server = await startServer("scale", env);
    child = server.child;
    const { url } = server;
    const { token } = seeding;
    // Unmeasured: a fresh process compiles its hot paths on the first calls, whatever the size.
    for (const stream of [false, true]) {
      const warm = await invokeRequest(url, token, stream, "Labels.group = 'g-0'");
      if (warm.status !== 200) throw new Error(`bench scale: warm-up HTTP ${warm.status}`);
      await warm.text();
    }
    const array = await dryRunArray(url, token);
    const stream = await dryRunStream(url, token);
    if (array.units !== units || stream.units !== units) {
      throw new Error(`bench scale: expected ${units} Units, got ${array.units} and ${stream.units}`);
    }
    const perGroup = units / GROUPS;
    const byGroup = await listLatency(
      url,
      token,
      listRequests,
      (i) => `Labels.group = 'g-${(i * 37) % GROUPS}'`,
      perGroup,
    );
    const bySlug = await listLatency(
      url,
      token,
      listRequests,
      (i) => `Slug = 'unit-${(i * 7919) % units}'`,
      1,
    );
    return { units, seedSeconds, array, stream, byGroup, bySlug, rss: peakRss(child.pid!) };
  } finally {
    await stopServer(child);
  }
}

function report(result: SizeResult): void {
  const rate = (run: Run) => Math.round(run.units / run.seconds);
  console.log(`-- ${result.units} Units (seeded in ${result.seedSeconds.toFixed(1)} s); load ${load()}`);
  console.log(
    `  org-wide dry run, JSON array:    ${rate(result.array)} units/s (${result.array.seconds.toFixed(1)} s)`,
  );
  console.log(
    `  org-wide dry run, NDJSON stream: ${rate(result.stream)} units/s (${result.stream.seconds.toFixed(1)} s); ` +
      `first element after ${(result.stream.firstElement ?? NaN).toFixed(3)} s ` +
      `(target <= ${TARGETS.firstElementSeconds} s: ${verdict((result.stream.firstElement ?? Infinity) <= TARGETS.firstElementSeconds)})`,
  );
  for (const [what, latency] of [
    ["where Labels.group = ... ", result.byGroup],
    ["where Slug = ...         ", result.bySlug],
  ] as const) {
    console.log(
      `  GET /api/unit ${what} (${latency.units} Units with Data): p50 ${latency.p50.toFixed(1)} ms, ` +
        `p95 ${latency.p95.toFixed(1)} ms (target p50 <= ${TARGETS.listP50Ms} ms: ${verdict(latency.p50 <= TARGETS.listP50Ms)})`,
    );
  }
  console.log(
    `  server peak RSS: ${(result.rss / 1024 ** 2).toFixed(0)} MiB (target < 1024 MiB: ${verdict(result.rss < TARGETS.rssBytes)})`,
  );
}

export async function run(args: string[]): Promise<void> {
  const sizes = (option(args, "sizes") ?? "10000,100000").split(",").map(Number);
  if (
    sizes.some((n) => !Number.isInteger(n) || n < GROUPS) ||
    sizes.some((n, i) => i > 0 && n <= sizes[i - 1]!)
  ) {
    throw new Error(`bench scale: --sizes must be increasing integers of at least ${GROUPS}`);
  }
  const listRequests = Number(option(args, "list-requests") ?? 50);
  if (!Number.isInteger(listRequests) || listRequests < 1) {
    throw new Error("bench scale: --list-requests must be a positive integer");
  }
  const postgres = option(args, "postgres") ?? DEFAULT_POSTGRES;
  const work = mkdtempSync(join(tmpdir(), "confn-bench-scale-"));
  let scratch: BenchDatabase | undefined;
  try {
    scratch = await openBenchDatabase(work, postgres, `confn_bench_scale_${process.pid}`);
    const { env, database } = scratch;
    console.log(
      `sizes: ${sizes.join(", ")} Units in ${SPACES} Spaces (${database.description}); load ${load()}`,
    );
    const seeding = await bootstrap(database);
    const results: SizeResult[] = [];
    for (const size of sizes) {
      const seedSeconds = await seedTo(database, seeding, size);
      // Statistics and the visibility map as autovacuum would leave them on a live server, and so
      // that autovacuum does not start on the fresh rows in the middle of a measurement.
      await sql`vacuum analyze units`.execute(database.db);
      await sql`vacuum analyze revisions`.execute(database.db);
      results.push(await measure(env, seeding, seedSeconds, listRequests));
      report(results[results.length - 1]!);
    }
    await database.close();
    const first = results[0]!;
    const last = results[results.length - 1]!;
    const rate = (r: SizeResult) => r.array.units / r.array.seconds;
    const ratio = rate(last) / rate(first);
    console.log(
      `dry-run throughput at ${last.units} / at ${first.units} (JSON array): ${ratio.toFixed(2)} ` +
        `(target >= ${TARGETS.ratio}: ${verdict(ratio >= TARGETS.ratio)})`,
    );
    const streamRatio = last.stream.units / last.stream.seconds / (first.stream.units / first.stream.seconds);
    console.log(
      `dry-run throughput at ${last.units} / at ${first.units} (NDJSON stream): ${streamRatio.toFixed(2)}`,
    );
    console.log(`load at the end: ${load()}`);
  } finally {
    await scratch?.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

// `npm run bench -- threads [--units=N] [--rounds=R] [--threads=T] [--postgres=URL]`: issue 17 "All
// cores". The same organization-wide dry run (set-image plus a where_data condition over N generated
// Units, default 4,000, in ten Spaces, one with a Mutation trigger) against a `confn serve` on one
// thread (CONFN_ENGINE_THREADS=1, the baseline) and one with engine threads (T, default: the
// server's default, the cores the process may use), in the same run. Each server first answers a
// warm-up call (which also starts its threads), then R measured calls (default 3); the best of each
// is compared, with the cores each server got over its measured calls (CPU time / wall time).
// Target (issue, on a 2-core machine): the threaded server >= 1.6x the single thread.
// The servers run the compiled dist/ when it is current (`npm run build`), the sources otherwise.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FunctionInvocation } from "../src/engine/index.ts";
import type { Database } from "../src/store/database.ts";
import { createTrigger } from "../src/store/triggers.ts";
import { generateUnit } from "./_generate.ts";
import {
  insertUnits,
  openBenchDatabase,
  seedOrganization,
  type BenchDatabase,
  type SeedUnit,
} from "./_seed.ts";
import { startServer, stopServer } from "./_server.ts";
import { option } from "./_options.ts";

const SPACES = 10;
const TARGET_RATIO = 1.6;
const INVOCATIONS: FunctionInvocation[] = [
  {
    FunctionName: "set-image",
    Arguments: [{ Value: "app" }, { Value: "registry.example.com/bumped:2.0.0" }],
  },
];
const WHERE_DATA = "spec.replicas >= 0";

async function seed(database: Database, units: number): Promise<string> {
  const { organizationId, adminToken, spaceIds } = await seedOrganization(database, "threads", SPACES);
  // One Space's Units also run its validating trigger (read from the database once per call).
  await createTrigger(database.db, organizationId, spaceIds[0]!, {
    slug: "has-spec",
    displayName: "has-spec",
    labels: {},
    annotations: {},
    deleteGates: {},
    description: "",
    event: "Mutation",
    toolchainType: "Kubernetes/YAML",
    functionName: "cel-validate",
    arguments: [{ Value: "has(r.spec) || r.kind != 'Deployment'" }],
    disabled: false,
    warn: false,
    validating: true,
  });
  for (let start = 0; start < units; start += 500) {
    const batch: SeedUnit[] = [];
    for (let i = start; i < Math.min(units, start + 500); i++) {
      batch.push({ spaceId: spaceIds[i % SPACES]!, slug: `unit-${i}`, data: generateUnit(i) });
    }
    await insertUnits(database, organizationId, batch);
  }
  return adminToken;
}

/** One dry run over every Unit: seconds, checking every element succeeded. */
async function dryRun(url: string, token: string, expected: number): Promise<number> {
  const query = new URLSearchParams({ dry_run: "true", where_data: WHERE_DATA });
  const started = performance.now();
  const response = await fetch(`${url}/api/function/invoke?${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ FunctionInvocations: INVOCATIONS }),
  });
  const body = await response.text();
  const seconds = (performance.now() - started) / 1000;
  if (response.status !== 200)
    throw new Error(`bench threads: HTTP ${response.status}: ${body.slice(0, 500)}`);
  const elements = JSON.parse(body) as { Success: boolean; Mutators: number[] }[];
  if (elements.length !== expected || elements.some((e) => !e.Success || e.Mutators.length !== 1)) {
    throw new Error(`bench threads: expected ${expected} changed elements, got ${elements.length}`);
  }
  return seconds;
}

interface Measured {
  /** Units/s of the fastest call. */
  readonly rate: number;
  /** The server's CPU time over the measured calls' wall time: how many cores it got. */
  readonly cores: number;
}

/** CPU seconds (user + system) a process used so far, all its threads together. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Best of `rounds` dry runs on a server started with CONFN_ENGINE_THREADS=threads (after a warm-up). */
async function measure(
  scratch: BenchDatabase,
  token: string,
  units: number,
  threads: string | undefined,
  rounds: number,
): Promise<Measured> {
  const env = { ...scratch.env, ...(threads === undefined ? {} : { CONFN_ENGINE_THREADS: threads }) };
  if (threads === undefined) delete env.CONFN_ENGINE_THREADS;
  const { child, url } = await startServer("threads", env);
  try {
    await dryRun(url, token, units);
    let best = Infinity;
    let wall = 0;
    const cpuBefore = cpuSeconds(child.pid!);
    for (let round = 0; round < rounds; round++) {
      const seconds = await dryRun(url, token, units);
      best = Math.min(best, seconds);
      wall += seconds;
    }
    return { rate: units / best, cores: (cpuSeconds(child.pid!) - cpuBefore) / wall };
  } finally {
    await stopServer(child);
  }
}

/** Newest modification time under `dir` (ms). */
function newestUnder(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Whether the servers run dist/ (bin/confn.js's rule: a build stamp newer than every source). */
function runsBuild(): boolean {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const stamp = join(root, "dist", ".build-stamp");
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return ["src", "functions", "grammar", "migrations"].every((dir) => newestUnder(join(root, dir)) <= built);
}

export async function run(args: string[]): Promise<void> {
  const units = Number(option(args, "units") ?? 4_000);
  const rounds = Number(option(args, "rounds") ?? 3);
  const threads = option(args, "threads");
  if (!Number.isInteger(units) || units < 100)
    throw new Error("bench threads: --units must be an integer >= 100");
  if (!Number.isInteger(rounds) || rounds < 1)
    throw new Error("bench threads: --rounds must be an integer >= 1");
  const work = mkdtempSync(join(tmpdir(), "confn-bench-threads-"));
  let scratch: BenchDatabase | undefined;
  try {
    scratch = await openBenchDatabase(work, option(args, "postgres"), `confn_bench_threads_${process.pid}`);
    console.log(`seeding ${units} Units in ${SPACES} Spaces (${scratch.database.description})...`);
    const token = await seed(scratch.database, units);
    await scratch.database.close();

    const single = await measure(scratch, token, units, "1", rounds);
    const pooled = await measure(scratch, token, units, threads, rounds);
    const ratio = pooled.rate / single.rate;
    console.log(
      `dry run of ${units} Units, organization-wide (where_data ${WHERE_DATA}), best of ${rounds}; ` +
        `servers run ${runsBuild() ? "the build (dist/)" : "the sources through tsx (dist/ is older: npm run build)"}`,
    );
    const line = (name: string, m: Measured) =>
      `${name}: ${Math.round(m.rate)} units/s, the server used ${m.cores.toFixed(2)} cores`;
    console.log(line("one thread (CONFN_ENGINE_THREADS=1)", single));
    console.log(line(`engine threads (CONFN_ENGINE_THREADS=${threads ?? "default"})`, pooled));
    // Each session's processes share one scheduling group (autogroup): on a machine busy with other
    // work the server gets about one core however many threads it runs, and the ratio says so.
    console.log(`load average: ${readFileSync("/proc/loadavg", "utf8").trim()}`);
    console.log(
      `ratio ${ratio.toFixed(2)}x (target >= ${TARGET_RATIO}x: ${ratio >= TARGET_RATIO ? "met" : "NOT met"})`,
    );
  } finally {
    await scratch?.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

// `npm run bench -- worker [--units=N] [--runs=R] [--postgres=URL]`: the same function, set-label,
// over N Units (default 1,000) in one Space, as a dry run over HTTP: once as the server's built-in,
// once through a TypeScript bridge worker (the SDK, in a process of its own on the same machine, as
// a deployed worker runs: bench/_worker-process.ts) that registers the built-in's very definition,
// so the difference is the dispatch alone. After one run
// of each that is not counted (warm-up), the two take turns R times (default 3), and each one's best
// run counts (the machine is shared). Reported: units/s of both, the ratio (target: the worker at
// >= 50% of the built-in), and the server's peak RSS (VmHWM) after a built-in run and after all.
// Also reported: the CPU time per Unit of the server (its main thread apart), of the worker process and of this one (the
// HTTP client) in each path, as they share the machine's cores, so the ratio is mostly what the
// worker path costs in all.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { FunctionInvocation } from "../src/engine/index.ts";
import { bootstrapDefaultOrganization } from "../src/store/bootstrap.ts";
import type { Database } from "../src/store/database.ts";
import { migrateToLatest } from "../src/store/migrate.ts";
import { createSpace } from "../src/store/spaces.ts";
import { generateUnit } from "./_generate.ts";
import { insertUnits, openBenchDatabase, type BenchDatabase, type SeedUnit } from "./_seed.ts";
import { childNodeOptions, cpuSeconds, freePort, peakRss, startServer, stopServer } from "./_server.ts";
import { option } from "./_options.ts";

const SET_LABEL: FunctionInvocation = {
  FunctionName: "set-label",
  Arguments: [{ Value: "cost-center" }, { Value: "cc-bench" }],
};
const TARGET_RATIO = 0.5;
const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));

function positiveInteger(text: string | undefined, fallback: number, name: string): number {
  const n = Number(text ?? fallback);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bench worker: --${name} must be a positive integer`);
  return n;
}

/** N Units with Revision 1 in one Space, inserted in bulk (seeding is not what is measured). */
async function seed(database: Database, units: number): Promise<{ token: string; spaceId: string }> {
  await migrateToLatest(database);
  const bootstrapped = await bootstrapDefaultOrganization(database.db);
  if (!bootstrapped) throw new Error("bench worker: the database is not empty");
  const organizationId = bootstrapped.organization.organization_id;
  const attributes = { slug: "bench", displayName: "bench", labels: {}, annotations: {}, deleteGates: {} };
  const space = await createSpace(database.db, organizationId, attributes);
  const CHUNK = 500;
  for (let start = 0; start < units; start += CHUNK) {
    const batch: SeedUnit[] = [];
    for (let i = start; i < Math.min(units, start + CHUNK); i++) {
      const data = generateUnit(i);
      batch.push({ spaceId: space.space_id, slug: `unit-${i}`, data });
    }
    await insertUnits(database, organizationId, batch);
  }
  return { token: bootstrapped.adminToken, spaceId: space.space_id };
}

/** One dry run of set-label over the Space; every element must succeed and change its Unit. */
async function dryRun(url: string, token: string, spaceId: string, bridgeWorkerId?: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/api/space/${spaceId}/function/invoke?dry_run=true`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      FunctionInvocations: [SET_LABEL],
      CastStringArgsToScalars: true,
      ...(bridgeWorkerId ? { BridgeWorkerID: bridgeWorkerId } : {}),
    }),
  });
  const body = await response.text();
  const seconds = (performance.now() - started) / 1000;
  if (response.status !== 200)
    throw new Error(`bench worker: HTTP ${response.status}: ${body.slice(0, 500)}`);
  const elements = JSON.parse(body) as { Success: boolean; Mutators: number[] }[];
  if (elements.some((e) => !e.Success || e.Mutators.length !== 1)) {
    throw new Error("bench worker: an element failed or did not change its Unit");
  }
  return elements.length / seconds;
}

/** One path's tally over the counted runs. */
class Tally {
  unitsPerSecond = 0;
  private serverCpu = 0;
  private serverMainCpu = 0;
  private workerCpu = 0;
  private ownCpu = 0;
  private runs = 0;

  constructor(
    private readonly serverPid: number,
    private readonly workerPid: number,
    /** Units per run. */
    private readonly units: number,
  ) {}

  /** Runs `once` and counts it: the best units/s, and the CPU time each process spent on it. */
  async count(once: () => Promise<number>): Promise<void> {
    const serverBefore = cpuSeconds(this.serverPid);
    const serverMainBefore = cpuSeconds(this.serverPid, this.serverPid);
    const workerBefore = cpuSeconds(this.workerPid);
    const ownBefore = process.cpuUsage();
    const unitsPerSecond = await once();
    const own = process.cpuUsage(ownBefore);
    this.serverCpu += cpuSeconds(this.serverPid) - serverBefore;
    this.serverMainCpu += cpuSeconds(this.serverPid, this.serverPid) - serverMainBefore;
    this.workerCpu += cpuSeconds(this.workerPid) - workerBefore;
    this.ownCpu += (own.user + own.system) / 1e6;
    this.unitsPerSecond = Math.max(this.unitsPerSecond, unitsPerSecond);
    this.runs++;
  }

  /** CPU milliseconds per Unit of the server, the worker process and this one, over the counted runs. */
  cpu(): { server: number; serverMain: number; worker: number; own: number } {
    const perUnit = 1000 / (this.runs * this.units);
    return {
      server: this.serverCpu * perUnit,
      serverMain: this.serverMainCpu * perUnit,
      worker: this.workerCpu * perUnit,
      own: this.ownCpu * perUnit,
    };
  }
}

/** The worker process (bench/_worker-process.ts), once it says it is connected. */
async function startWorker(url: string, workerId: string, secret: string): Promise<ChildProcess> {
  const options = childNodeOptions("CONFN_BENCH_WORKER_NODE_OPTIONS");
  const child = spawn(
    process.execPath,
    [...options, "--import", "tsx", join(BENCH_DIR, "_worker-process.ts")],
    {
      env: {
        ...process.env,
        CONFN_BENCH_WORKER_URL: url,
        CONFN_BENCH_WORKER_ID: workerId,
        CONFN_BENCH_WORKER_SECRET: secret,
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout! });
  const ready = new Promise<void>((resolve, reject) => {
    lines.on("line", (line) => {
      if (line === "ready") resolve();
    });
    child.once("exit", (code) => reject(new Error(`bench worker: the worker process exited (${code})`)));
  });
  const timeout = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    await ready;
  } finally {
    clearTimeout(timeout);
  }
  return child;
}

async function stopWorker(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  await exited;
}

export async function run(args: string[]): Promise<void> {
  const units = positiveInteger(option(args, "units"), 1000, "units");
  const runs = positiveInteger(option(args, "runs"), 3, "runs");
  const postgres = option(args, "postgres");
  const work = mkdtempSync(join(tmpdir(), "confn-bench-worker-"));
  let child: Awaited<ReturnType<typeof startServer>>["child"] | undefined;
  let worker: ChildProcess | undefined;
  let scratch: BenchDatabase | undefined;
  try {
    scratch = await openBenchDatabase(work, postgres, `confn_bench_worker_${process.pid}`);
    const { env, database } = scratch;
    console.log(`seeding ${units} Units in one Space (${database.description})...`);
    const { token, spaceId } = await seed(database, units);
    await database.close();

    // Never refuse a Unit of the call as "busy", whatever the pipeline's concurrency.
    const server = await startServer("worker", {
      ...env,
      CONFN_WORKER_PORT: String(await freePort()),
      CONFN_WORKER_MAX_OUTSTANDING: String(Math.max(256, units)),
    });
    child = server.child;
    const created = await fetch(`${server.url}/api/space/${spaceId}/bridge_worker`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ Slug: "bench" }),
    });
    if (!created.ok)
      throw new Error(`bench worker: create worker: HTTP ${created.status}: ${await created.text()}`);
    const { BridgeWorkerID, Secret } = (await created.json()) as { BridgeWorkerID: string; Secret: string };
    worker = await startWorker(server.url, BridgeWorkerID, Secret);

    const pid = child.pid!;
    const runBuiltin = () => dryRun(server.url, token, spaceId);
    const runWorker = () => dryRun(server.url, token, spaceId, BridgeWorkerID);
    // One run of each that is not counted (engine threads start, code is compiled, caches fill),
    // then the two paths take turns, so a change in the machine's load hits both alike.
    await runBuiltin();
    const rssBuiltin = peakRss(pid);
    await runWorker();
    const builtin = new Tally(pid, worker.pid!, units);
    const viaWorker = new Tally(pid, worker.pid!, units);
    for (let i = 0; i < runs; i++) {
      await builtin.count(runBuiltin);
      await viaWorker.count(runWorker);
    }
    const rssWorker = peakRss(pid);
    const ratio = viaWorker.unitsPerSecond / builtin.unitsPerSecond;
    const cpu = (path: Tally) => {
      const { server, serverMain, worker, own } = path.cpu();
      return (
        `CPU ms/Unit: ${server.toFixed(2)} in the server (${serverMain.toFixed(2)} on its main thread), ` +
        `${worker.toFixed(2)} in the worker, ` +
        `${own.toFixed(2)} in the client`
      );
    };
    console.log(`set-label dry run over ${units} Units, HTTP, best of ${runs}:`);
    console.log(`built-in:          ${Math.round(builtin.unitsPerSecond)} units/s (${cpu(builtin)})`);
    console.log(`TypeScript worker: ${Math.round(viaWorker.unitsPerSecond)} units/s (${cpu(viaWorker)})`);
    console.log(
      `ratio worker/built-in: ${ratio.toFixed(2)} (target >= ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? "met" : "NOT met"})`,
    );
    console.log(
      `server peak RSS: ${(rssBuiltin / 1024 ** 2).toFixed(0)} MiB after a built-in run, ` +
        `${(rssWorker / 1024 ** 2).toFixed(0)} MiB after all runs`,
    );
  } finally {
    await stopWorker(worker);
    await stopServer(child);
    await scratch?.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

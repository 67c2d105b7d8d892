// `npm run bench -- invoke [--units=N] [--runs=R] [--postgres=URL] [--peers=no]`: the invoke API
// end to end over HTTP. A database is seeded with N generated Units (default 10,000; ~1 KB, three
// resources each) in ten Spaces; a `confn serve` process is started on it; an organization-wide
// set-image whose `where` selects half of the Units runs as a dry run and as a real write once each
// to warm the server up (not measured), then R rounds (default 3) of a dry run and a real write,
// each round to a new image (so every round changes every selected Unit), and each kind's best
// round counts: taking turns makes a change in the shared machine's load hit both alike. Reported: Units/s of each (client-measured,
// request to last byte), the server's CPU time per Unit of each, the server's peak RSS (VmHWM), and
// the ratio to the engine alone on the same Units in this process (the baseline measured in the
// same run).
// Targets (issue, on a 2-core machine): dry run >= 500 Units/s, write >= 300 Units/s, RSS < 1 GiB;
// and writes close to previews (issue 17): the real write >= 0.7 x the dry run's Units/s, the dry
// run being the baseline measured in the same run, on the same Units and server.
// `--peers=no` leaves out the comparison with the peers below (it takes minutes).
//
// Against the peers, on the same manifests (one file per Unit, the first 2,000 and the first 10,000
// of the seeded Units, each when --units reaches it), in the same run (bench/_peers.ts):
// - when `kubectl` is installed, `kubectl kustomize` with an `images:` transformer, timed against a
//   confn dry run over the same Units (target: confn >= 10x faster). Each Unit's image has its own
//   name, so the transformer needs an entry per Unit and kustomize's time grows with entries x
//   resources: it runs under a time limit, and a run that hits it gives a lower bound;
// - the machine's yq (/usr/bin/yq; which yq it is is detected and printed) editing each file in
//   place, one process per file as a shell loop would: files/s against confn's Units/s. It runs for
//   at most a time limit per size and reports the files it got through.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { standardFunctions } from "../functions/index.ts";
import { FunctionRegistry, execute, type FunctionInvocation } from "../src/engine/index.ts";
import { sql } from "kysely";
import type { Database } from "../src/store/database.ts";
import { generateUnit } from "./_generate.ts";
import { detectYq, kubectlInstalled, kustomize, writeUnitFiles, yqInPlace } from "./_peers.ts";
import {
  insertUnits,
  openBenchDatabase,
  seedOrganization,
  type BenchDatabase,
  type SeedUnit,
} from "./_seed.ts";
import { cpuSeconds, peakRss, startServer, stopServer } from "./_server.ts";
import { option } from "./_options.ts";

const SPACES = 10;
/** The peers run over the first N Units for each N (as far as --units reaches). */
const PEER_SIZES = [2_000, 10_000];
const KUSTOMIZE_TIME_LIMIT_MS = 120_000;
const YQ_TIME_LIMIT_MS = 60_000;
const NEW_IMAGE = "registry.example.com/bumped:2.0.0";
const setImage = (image: string): FunctionInvocation => ({
  FunctionName: "set-image",
  Arguments: [{ Value: "app" }, { Value: image }],
});
const SET_IMAGE = setImage(NEW_IMAGE);
const WARM_UP_IMAGE = "registry.example.com/bumped:warm-up";
const TARGETS = { dryRun: 500, write: 300, writeToDryRun: 0.7, rssBytes: 1024 ** 3, kustomizeRatio: 10 };

interface Seeded {
  readonly token: string;
  /** Data of the Units the `where` selects, in creation order. */
  readonly selected: string[];
  /** Data of every Unit, in creation order (the peers take the first N). */
  readonly all: string[];
}

/** N Units in SPACES Spaces with Revision 1 each, inserted in bulk (seeding is not what is measured). */
async function seed(database: Database, units: number): Promise<Seeded> {
  const { organizationId, adminToken, spaceIds } = await seedOrganization(database, "invoke", SPACES);
  const selected: string[] = [];
  const all: string[] = [];
  const CHUNK = 500;
  for (let start = 0; start < units; start += CHUNK) {
    const batch: SeedUnit[] = [];
    for (let i = start; i < Math.min(units, start + CHUNK); i++) {
      const data = generateUnit(i);
      // Even Units are the half the `where` selects; the first N of all carry `peerN` (peerWhere).
      const labels: Record<string, string> = { bench: i % 2 === 0 ? "selected" : "other" };
      for (const size of PEER_SIZES) if (i < size) labels[`peer${size}`] = "yes";
      if (i % 2 === 0) selected.push(data);
      all.push(data);
      batch.push({ spaceId: spaceIds[i % SPACES]!, slug: `unit-${i}`, data, labels });
    }
    await insertUnits(database, organizationId, batch);
  }
  return { token: adminToken, selected, all };
}

/** The engine alone, in this process, on the same Units: the cost of the functions themselves. */
async function engineBaseline(units: readonly string[]): Promise<number> {
  const registry = FunctionRegistry.from(standardFunctions);
  const started = performance.now();
  for (const configData of units) {
    const result = await execute({ registry, configData, invocations: [SET_IMAGE] });
    if (!result.success || !result.dataChanged) throw new Error("bench invoke: set-image did not apply");
  }
  return units.length / ((performance.now() - started) / 1000);
}

interface Timed {
  readonly units: number;
  readonly seconds: number;
}

/** One organization-wide set-image call; every element must succeed and change its Unit. */
async function invokeOverHttp(
  url: string,
  token: string,
  query: Record<string, string>,
  image = NEW_IMAGE,
): Promise<Timed> {
  const started = performance.now();
  const response = await fetch(`${url}/api/function/invoke?${new URLSearchParams(query)}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      FunctionInvocations: [setImage(image)],
      ChangeDescription: "bench: bump the app image",
    }),
  });
  const body = await response.text();
  const seconds = (performance.now() - started) / 1000;
  if (response.status !== 200)
    throw new Error(`bench invoke: HTTP ${response.status}: ${body.slice(0, 500)}`);
  const elements = JSON.parse(body) as { Success: boolean; Mutators: number[] }[];
  if (elements.some((e) => !e.Success || e.Mutators.length !== 1)) {
    throw new Error("bench invoke: an element failed or did not change its Unit");
  }
  return { units: elements.length, seconds };
}

/** The first `size` Units of the seed: `where Labels.peer<size> = 'yes'`. */
const peerWhere = (size: number): string => `Labels.peer${size} = 'yes'`;

const verdict = (met: boolean): string => (met ? "met" : "NOT met");
const load = (): string => readFileSync("/proc/loadavg", "utf8").trim();
const rate = (timed: Timed): number => timed.units / timed.seconds;
const faster = (a: Timed | undefined, b: Timed): Timed => (a && rate(a) >= rate(b) ? a : b);

export async function run(args: string[]): Promise<void> {
  const units = Number(option(args, "units") ?? 10_000);
  if (!Number.isInteger(units) || units < 2) throw new Error("bench invoke: --units must be an integer >= 2");
  const runs = Number(option(args, "runs") ?? 3);
  if (!Number.isInteger(runs) || runs < 1) throw new Error("bench invoke: --runs must be a positive integer");
  const postgres = option(args, "postgres");
  const work = mkdtempSync(join(tmpdir(), "confn-bench-invoke-"));
  let child: ChildProcess | undefined;
  let scratch: BenchDatabase | undefined;
  try {
    scratch = await openBenchDatabase(work, postgres, `confn_bench_${process.pid}`);
    const { env, database } = scratch;
    console.log(`seeding ${units} Units in ${SPACES} Spaces (${database.description})...`);
    const seeded = await seed(database, units);
    // Statistics and the visibility map as autovacuum would leave them on a live server (as
    // bench/scale.ts does), so that autovacuum does not start on the fresh rows in the middle of a
    // measurement and change the Unit read's plan between one run and the next.
    await sql`vacuum analyze units`.execute(database.db);
    await sql`vacuum analyze revisions`.execute(database.db);
    await database.close();
    const baseline = await engineBaseline(seeded.selected);

    const server = await startServer("invoke", env);
    child = server.child;
    const where = "Labels.bench = 'selected'";
    // The first call also loads and compiles what the server had not run yet: it is not measured.
    const cold = await invokeOverHttp(server.url, seeded.token, { where, dry_run: "true" });
    // confn over each peer size, on the unchanged data, before the writes; the peers themselves run
    // last (they block this process).
    const peers = option(args, "peers") !== "no";
    const peerSizes = peers ? PEER_SIZES.filter((size) => size <= units) : [];
    const confnPeers = new Map<number, Timed>();
    for (const size of peerSizes) {
      confnPeers.set(
        size,
        await invokeOverHttp(server.url, seeded.token, { where: peerWhere(size), dry_run: "true" }),
      );
    }
    // Likewise the first write, after the peers' dry runs (they run on the unchanged data): the
    // write's code is compiled while it runs (on this machine the JIT was still busy a fifth of the
    // time in the first timed write rounds without it).
    const coldWrite = await invokeOverHttp(server.url, seeded.token, { where }, WARM_UP_IMAGE);
    let dry: Timed | undefined;
    let write: Timed | undefined;
    // The server's CPU time per Unit of each kind, over all rounds (it uses every core it can).
    // Its main thread's share apart: it alone runs the database (PGlite) and the HTTP side.
    const cpu = { dry: 0, write: 0 };
    const mainCpu = { dry: 0, write: 0 };
    const timedCpu = async (kind: keyof typeof cpu, call: () => Promise<Timed>): Promise<Timed> => {
      const pid = child!.pid!;
      const before = cpuSeconds(pid);
      const mainBefore = cpuSeconds(pid, pid);
      const timed = await call();
      cpu[kind] += (cpuSeconds(pid) - before) / timed.units;
      mainCpu[kind] += (cpuSeconds(pid, pid) - mainBefore) / timed.units;
      return timed;
    };
    for (let round = 1; round <= runs; round++) {
      const image = `registry.example.com/bumped:3.0.${round}`;
      const query = { where, dry_run: "true" };
      dry = faster(dry, await timedCpu("dry", () => invokeOverHttp(server.url, seeded.token, query, image)));
      write = faster(
        write,
        await timedCpu("write", () => invokeOverHttp(server.url, seeded.token, { where }, image)),
      );
    }
    const rss = peakRss(child.pid!);
    const expected = seeded.selected.length;
    if (!dry || !write) throw new Error("bench invoke: no round ran");
    if (dry.units !== expected || write.units !== expected) {
      throw new Error(`bench invoke: expected ${expected} Units, got ${dry.units} and ${write.units}`);
    }

    console.log(
      `selected: ${expected} of ${units} Units, organization-wide (where ${where}); best of ${runs} rounds`,
    );
    console.log(`baseline, the engine alone in process: ${Math.round(baseline)} units/s`);
    console.log(
      `first (cold) dry run over HTTP: ${Math.round(rate(cold))} units/s, first real write: ` +
        `${Math.round(rate(coldWrite))} units/s (warm-up, not measured against targets)`,
    );
    console.log(
      `dry run over HTTP:   ${Math.round(rate(dry))} units/s in ${dry.seconds.toFixed(2)} s ` +
        `(ratio to baseline ${(rate(dry) / baseline).toFixed(2)}; target >= ${TARGETS.dryRun} units/s: ` +
        `${verdict(rate(dry) >= TARGETS.dryRun)})`,
    );
    console.log(
      `real write over HTTP: ${Math.round(rate(write))} units/s in ${write.seconds.toFixed(2)} s ` +
        `(ratio to baseline ${(rate(write) / baseline).toFixed(2)}; target >= ${TARGETS.write} units/s: ` +
        `${verdict(rate(write) >= TARGETS.write)})`,
    );
    console.log(
      `server CPU per Unit: dry run ${((cpu.dry / runs) * 1000).toFixed(2)} ms, real write ` +
        `${((cpu.write / runs) * 1000).toFixed(2)} ms (all threads, mean of the rounds); main thread: ` +
        `dry run ${((mainCpu.dry / runs) * 1000).toFixed(2)} ms, real write ${((mainCpu.write / runs) * 1000).toFixed(2)} ms`,
    );
    const writeToDryRun = rate(write) / rate(dry);
    console.log(
      `real write / dry run: ${writeToDryRun.toFixed(2)} (target >= ${TARGETS.writeToDryRun}: ` +
        `${verdict(writeToDryRun >= TARGETS.writeToDryRun)})`,
    );
    console.log(
      `server peak RSS: ${(rss / 1024 ** 2).toFixed(0)} MiB (target < 1024 MiB: ${verdict(rss < TARGETS.rssBytes)})`,
    );

    if (!peers) {
      console.log("against the peers: skipped (--peers=no)");
      return;
    }
    console.log(`-- against the peers, on the same manifests (one file per Unit); load ${load()}`);
    const kubectl = kubectlInstalled();
    const yq = detectYq();
    if (!kubectl) console.log("kubectl kustomize: skipped (kubectl is not installed)");
    if ("missing" in yq) console.log(`yq: skipped (${yq.missing})`);
    else
      console.log(
        `yq: ${yq.description}, one process per file, at most ${YQ_TIME_LIMIT_MS / 1000} s per size`,
      );
    for (const size of PEER_SIZES.filter((size) => size > units)) {
      console.log(
        `${size} Units: skipped (only ${units} Units seeded; --units=${size} or more compares them)`,
      );
    }
    for (const size of peerSizes) {
      const confn = confnPeers.get(size)!;
      if (confn.units !== size) throw new Error(`bench invoke: expected ${size} Units, got ${confn.units}`);
      const dir = join(work, `peers-${size}`);
      const files = writeUnitFiles(seeded.all.slice(0, size), dir);
      console.log(
        `${size} Units: confn dry run over HTTP ${confn.seconds.toFixed(2)} s (${Math.round(rate(confn))} units/s)`,
      );
      if (kubectl) {
        const run = kustomize(dir, files, seeded.all.slice(0, size), NEW_IMAGE, KUSTOMIZE_TIME_LIMIT_MS);
        const ratio = run.seconds / confn.seconds;
        const time = run.finished
          ? `${run.seconds.toFixed(2)} s`
          : `stopped after ${(KUSTOMIZE_TIME_LIMIT_MS / 1000).toFixed(0)} s`;
        console.log(
          `  kubectl kustomize with ${size} images entries: ${time}; confn is ${run.finished ? "" : "at least "}` +
            `${ratio.toFixed(1)}x faster (target >= ${TARGETS.kustomizeRatio}x: ${verdict(ratio >= TARGETS.kustomizeRatio)})`,
        );
      }
      if (!("missing" in yq)) {
        const run = yqInPlace(yq, dir, files, NEW_IMAGE, YQ_TIME_LIMIT_MS);
        const yqRate = run.files / run.seconds;
        console.log(
          `  yq in place: ${run.files} of ${size} files in ${run.seconds.toFixed(1)} s ` +
            `(${run.finished ? "all" : "time limit reached"}), ${yqRate.toFixed(1)} files/s; ` +
            `confn ${Math.round(rate(confn))} units/s is ${(rate(confn) / yqRate).toFixed(0)}x that`,
        );
      }
    }
  } finally {
    await stopServer(child);
    await scratch?.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

// The engine threads (issue 17): a pool of worker threads that run the CPU-bound part of a Unit's
// run (data conditions, engine, response element, and for a changed Unit of a writing call its
// data's derived columns: unit-steps.ts), so an organization-wide call uses every core. The main
// thread keeps the database (it streams the Units in, reads each Space's triggers once and passes
// them along, saves the changes) and the response; pMapIterable in
// invoke-functions.ts keeps the order and bounds the Units in flight, so memory stays bounded.
// A call on a bridge worker uses them for one thing only: checking that the data a worker returned
// parses (checkData), the parse that would otherwise be most of the main thread's work (and of its
// garbage) per Unit.
// Units to run and data to check cross to the threads in batches (up to batchUnits items a message,
// engine-message.ts): per message the main thread pays piscina's bookkeeping, a structured clone
// and the wake-up of a thread, and a plan or condition list that a batch's Units share is cloned
// once. A batch leaves when it is full or when the main thread has nothing else to do this turn
// (setImmediate), so a small or slow call never waits for a batch to fill. Each item has its own
// result: an item that fails (a text that does not parse, an error thrown on it) fails alone.
// piscina does the pooling (a queue, thread start and replacement of a thread that died, and tasks
// that reject instead of hanging when that happens). Threads start at the first call that uses them
// and stop at close() (the server's shutdown). They run the standard function library
// (engine-thread.ts): a server given other functions has none.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { ConfigDataError, type ToolchainType } from "../engine/index.ts";
import type {
  CheckResult,
  EngineItem,
  EngineItemResult,
  EngineTask,
  RunResult,
  UnitDataResult,
} from "./engine-message.ts";
import type { UnitDataCheck } from "../store/unit-data-check.ts";
import type { UnitOutcome } from "./unit-steps.ts";

/** A call's first Units run on the main thread before any go to threads: small calls never use them. */
export const DEFAULT_MAIN_THREAD_UNITS = 16;

/** Items (Units to run, data to check) a message to a thread carries at most. */
export const DEFAULT_BATCH_UNITS = 16;

/**
 * Batches each thread holds at once: the one it runs and three more (see start()). A writing call's
 * batched save holds the main thread ~15 ms on PGlite (64 Units); four batches of 16 are about as
 * much work for a thread, so it does not run dry meanwhile. Measured on `bench invoke`: with two, the
 * real write used ~1.72 of 2 cores and reached 0.67-0.71 of the dry run; with four, 1.80-1.82 and 0.71-0.79.
 */
const BATCHES_PER_THREAD = 4;

export interface EngineThreadSettings {
  /** Threads in the pool (at least 2; below that, do not make a pool). */
  readonly threads: number;
  /** Units of a call run on the main thread before the rest go to threads (0: every Unit goes). */
  readonly mainThreadUnits?: number;
  /** Items (Units to run, data to check) a message to a thread carries at most (default DEFAULT_BATCH_UNITS). */
  readonly batchUnits?: number;
}

/** Threads by default: one per core the process may use. */
export function defaultEngineThreads(): number {
  return availableParallelism();
}

/** An item waiting for its batch to leave, and how its caller's promise settles. */
interface PendingItem {
  readonly item: EngineItem;
  /** Settles the caller's promise with the item's result from the thread. */
  readonly settle: (result: EngineItemResult) => void;
  /** Rejects it: the whole message failed (the thread died), or the pool closed before it left. */
  readonly fail: (error: Error) => void;
}

type Batches = Piscina<readonly EngineItem[], EngineItemResult[]>;

export class EnginePool {
  readonly threads: number;
  readonly mainThreadUnits: number;
  readonly batchUnits: number;
  private piscina: Batches | undefined;
  private closed = false;
  private batch: PendingItem[] = [];
  private flushScheduled = false;

  constructor(settings: EngineThreadSettings) {
    if (!Number.isInteger(settings.threads) || settings.threads < 2) {
      throw new RangeError(
        `EnginePool: threads must be a whole number of at least 2, got ${settings.threads}`,
      );
    }
    this.threads = settings.threads;
    this.mainThreadUnits = settings.mainThreadUnits ?? DEFAULT_MAIN_THREAD_UNITS;
    this.batchUnits = settings.batchUnits ?? DEFAULT_BATCH_UNITS;
  }

  /**
   * Units a call should keep in flight to keep every thread busy: a batch running on each thread
   * and the ones waiting for it, so a thread never idles while the main thread reads the next Units.
   */
  get unitsInFlight(): number {
    return BATCHES_PER_THREAD * this.threads * this.batchUnits;
  }

  /** Whether the threads are running (they start with the first item sent). */
  get started(): boolean {
    return this.piscina !== undefined;
  }

  /**
   * The Unit's outcome (undefined: a filter left it out). Rejects when the thread failed (an
   * unexpected error, or the thread died: piscina starts another for the next batch) or the pool is closed.
   */
  run(task: EngineTask): Promise<UnitOutcome | undefined> {
    return this.submit({ kind: "run", task }, (result: RunResult) => {
      if (result !== null && "thrown" in result) throw new Error(result.thrown);
      return result ?? undefined;
    });
  }

  /**
   * Checks on a thread that `text` parses for `toolchain`: resolves when it does, rejects with the
   * ConfigDataError parsing it here would throw when it does not, and with another error when the
   * thread failed or the pool is closed.
   */
  checkData(text: string, toolchain: ToolchainType): Promise<void> {
    return this.submit({ kind: "check", task: { text, toolchain } }, (result: CheckResult) => {
      if (result === null) return;
      if ("thrown" in result) throw new Error(result.thrown);
      throw new ConfigDataError(result.message, {
        ...(result.line === undefined ? {} : { line: result.line }),
        ...(result.column === undefined ? {} : { column: result.column }),
      });
    });
  }

  /**
   * A create's or update's data checked and its columns derived on a thread (checkUnitData), so a
   * large Unit's parse never holds the main thread. Rejects when the thread failed or the pool is closed.
   */
  checkUnitData(text: string, toolchain: string, field: string): Promise<UnitDataCheck> {
    return this.submit({ kind: "unit-data", task: { text, toolchain, field } }, (result: UnitDataResult) => {
      if ("thrown" in result) throw new Error(result.thrown);
      return result;
    });
  }

  /** Stops the threads; an item still waiting or running fails (a Unit's element says so). */
  async close(): Promise<void> {
    this.closed = true;
    const unsent = this.batch;
    this.batch = [];
    for (const pending of unsent) pending.fail(shutDown());
    const piscina = this.piscina;
    this.piscina = undefined;
    await piscina?.destroy();
  }

  /**
   * Adds the item to the next batch; `read` turns its result into the caller's answer (or throws
   * its error). The thread answers each item in kind, so a run's result is a RunResult, a check's a
   * CheckResult.
   */
  private submit<R extends EngineItemResult, T>(item: EngineItem, read: (result: R) => T): Promise<T> {
    if (this.closed) return Promise.reject(shutDown());
    return new Promise<T>((resolve, reject) => {
      const settle = (result: EngineItemResult) => {
        try {
          resolve(read(result as R));
        } catch (error) {
          reject(error as Error);
        }
      };
      this.batch.push({ item, settle, fail: reject });
      if (this.batch.length >= this.batchUnits) this.send();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          this.send();
        });
      }
    });
  }

  /** Sends the waiting items to a thread as one message, and settles each with its own result. */
  private send(): void {
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    this.piscina ??= this.start();
    this.piscina.run(batch.map((pending) => pending.item)).then(
      (results) =>
        batch.forEach((pending, i) => {
          // A missing result never passes for null (a check that parsed, a Unit left out).
          const result = results[i];
          if (result === undefined)
            pending.fail(new Error("the engine thread answered no result for this item"));
          else pending.settle(result);
        }),
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const pending of batch) pending.fail(failure);
      },
    );
  }

  private start(): Batches {
    // From dist/ the entry is compiled JavaScript; from the sources (tsx, vitest) it is TypeScript.
    const fromSources = import.meta.url.endsWith(".ts");
    const entry = new URL(fromSources ? "./engine-thread.ts" : "./engine-thread.js", import.meta.url);
    const execArgv = fromSources ? ["--import", tsxRegistration()] : [];
    return new Piscina({
      filename: entry.href,
      minThreads: this.threads,
      // As many as minThreads: none is ever idle-stopped (starting one loads the function library).
      maxThreads: this.threads,
      // A thread between tasks waits with Atomics.waitAsync: about half the round trip of a plain
      // message port (0.07 vs 0.11 ms a task here), without blocking the thread's event loop the
      // way the default Atomics.wait would (timers or promises a function leaves behind still run).
      atomics: "async",
      // Each thread holds its next batches too: piscina hands out a queued batch only between the
      // main thread's own steps, and a writing call's batched save holds that thread for
      // milliseconds (PGlite runs on it), during which a thread with nothing in hand would idle.
      concurrentTasksPerWorker: BATCHES_PER_THREAD,
      execArgv,
    });
  }
}

function shutDown(): Error {
  return new Error("the engine threads are shut down");
}

/**
 * A module (data: URL) that registers tsx's TypeScript loader in a thread, through tsx's API:
 * `--import tsx` registers its ESM hooks on the main thread only on Node 20, so a thread would load
 * its entry through require() and then fail on the function library's lazy import() of a .ts file.
 * tsx is found from this file (not the working directory), its API through its package exports.
 */
function tsxRegistration(): string {
  const manifest = createRequire(import.meta.url).resolve("tsx/package.json");
  const { exports } = JSON.parse(readFileSync(manifest, "utf8")) as {
    exports: { "./esm/api": { import: { default: string } } };
  };
  const api = pathToFileURL(join(dirname(manifest), exports["./esm/api"].import.default)).href;
  return `data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(api)}; register();`)}`;
}

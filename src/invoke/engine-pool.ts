// The engine threads (issue 17): a pool of worker threads that run the CPU-bound part of a Unit's
// run (data conditions, engine, response element, and for a changed Unit of a writing call its
// data's derived columns: unit-steps.ts), so an organization-wide call uses every core. The main
// thread keeps the database (it streams the Units in, reads each Space's triggers once and passes
// them along, saves the changes) and the response; pMapIterable in
// invoke-functions.ts keeps the order and bounds the Units in flight, so memory stays bounded.
// Units cross to the threads in batches (up to batchUnits a message): per message the main thread
// pays piscina's bookkeeping and a structured clone, and a plan or condition list that a batch's
// Units share is cloned once. A batch leaves when it is full or when the main thread has nothing
// else to do this turn (setImmediate), so a small or slow call never waits for a batch to fill.
// piscina does the pooling (a queue, thread start and replacement of a thread that died, and tasks
// that reject instead of hanging when that happens). Threads start at the first call that uses them
// and stop at close() (the server's shutdown). They run the standard function library
// (engine-thread.ts): a server given other functions does not use them. A call on a bridge worker
// uses them for one thing only: checking that the data a worker returned parses (checkData), the
// parse that would otherwise be most of the main thread's work (and of its garbage) per Unit.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { ConfigDataError, type ToolchainType } from "../engine/index.ts";
import type { SelectedUnit } from "../store/index.ts";
import type { UnitRunPlan } from "./run-unit.ts";
import type { DataCondition } from "./selection.ts";
import type { TriggerNames } from "./trigger-origin.ts";
import type { UnitOutcome } from "./unit-steps.ts";

/** A call's first Units run on the main thread before any go to threads: small calls never use them. */
export const DEFAULT_MAIN_THREAD_UNITS = 16;

/** Units a message to a thread carries at most. */
export const DEFAULT_BATCH_UNITS = 16;

/** Batches each thread holds at once: the one it runs and the next (see start()). */
const BATCHES_PER_THREAD = 2;

export interface EngineThreadSettings {
  /** Threads in the pool (at least 2; below that, do not make a pool). */
  readonly threads: number;
  /** Units of a call run on the main thread before the rest go to threads (0: every Unit goes). */
  readonly mainThreadUnits?: number;
  /** Units a message to a thread carries at most (default DEFAULT_BATCH_UNITS). */
  readonly batchUnits?: number;
}

/** Threads by default: one per core the process may use. */
export function defaultEngineThreads(): number {
  return availableParallelism();
}

/** A data condition as text: its prepared form holds compiled regexes, which do not cross threads. */
export interface ConditionSource {
  readonly whereData: string;
  readonly resourceType: string;
  readonly origin: string;
}

export function conditionSource(condition: DataCondition): ConditionSource {
  return {
    whereData: condition.whereData.source,
    resourceType: condition.resourceType,
    origin: condition.origin,
  };
}

/** One Unit for a thread: all plain data (structured clone). */
export interface EngineTask {
  readonly unit: SelectedUnit;
  readonly conditions: readonly ConditionSource[];
  readonly plan: UnitRunPlan;
  readonly triggerNames: TriggerNames | undefined;
  /** Whether the call saves changed data: a changed Unit then comes back as the change to save. */
  readonly writes: boolean;
}

/**
 * A Unit's outcome on a thread (its element, or for a writing call's changed Unit the change to
 * save), null when a filter left it out, or the message of an error the engine threw on it (that
 * Unit alone fails; the rest of its batch goes on).
 */
export type EngineTaskResult = UnitOutcome | null | { readonly thrown: string };

interface PendingTask {
  readonly task: EngineTask;
  readonly resolve: (outcome: UnitOutcome | undefined) => void;
  readonly reject: (error: Error) => void;
}

/** Data to check on a thread (the engine-thread's checkConfigData). */
export interface DataCheckTask {
  readonly text: string;
  readonly toolchain: ToolchainType;
}

/** The parse error of a checked text (a ConfigDataError's message and position), or null: it parses. */
export type DataCheckResult = { message: string; line?: number; column?: number } | null;

export class EnginePool {
  readonly threads: number;
  readonly mainThreadUnits: number;
  readonly batchUnits: number;
  private piscina: Piscina<readonly EngineTask[], EngineTaskResult[]> | undefined;
  private closed = false;
  private batch: PendingTask[] = [];
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
   * and one waiting for it, so a thread never idles while the main thread reads the next Units.
   */
  get unitsInFlight(): number {
    return BATCHES_PER_THREAD * this.threads * this.batchUnits;
  }

  /** Whether the threads are running (they start with the first Unit sent). */
  get started(): boolean {
    return this.piscina !== undefined;
  }

  /**
   * The Unit's outcome (undefined: a filter left it out). Rejects when the thread failed (an
   * unexpected error, or the thread died: piscina starts another for the next Unit) or the pool is closed.
   */
  run(task: EngineTask): Promise<UnitOutcome | undefined> {
    if (this.closed) return Promise.reject(new Error("the engine threads are shut down"));
    return new Promise((resolve, reject) => {
      this.batch.push({ task, resolve, reject });
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

  /**
   * Checks on a thread that `text` parses for `toolchain`: resolves when it does, rejects with the
   * ConfigDataError parsing it here would throw when it does not, and with another error when the
   * thread failed or the pool is closed.
   */
  async checkData(text: string, toolchain: ToolchainType): Promise<void> {
    if (this.closed) throw new Error("the engine threads are shut down");
    this.piscina ??= this.start();
    const task: DataCheckTask = { text, toolchain };
    // piscina types one task shape per pool; this task goes to the thread's other export.
    const problem = (await this.piscina.run(task as never, {
      name: "checkConfigData",
    })) as unknown as DataCheckResult;
    if (problem) {
      throw new ConfigDataError(problem.message, {
        ...(problem.line === undefined ? {} : { line: problem.line }),
        ...(problem.column === undefined ? {} : { column: problem.column }),
      });
    }
  }

  /** Stops the threads; a Unit still running on one fails (its call's element says so). */
  async close(): Promise<void> {
    this.closed = true;
    const unsent = this.batch;
    this.batch = [];
    for (const pending of unsent) pending.reject(new Error("the engine threads are shut down"));
    const piscina = this.piscina;
    this.piscina = undefined;
    await piscina?.destroy();
  }

  /** Sends the waiting Units to a thread as one message, and settles each with its own outcome. */
  private send(): void {
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    this.piscina ??= this.start();
    this.piscina.run(batch.map((pending) => pending.task)).then(
      (results) => {
        batch.forEach((pending, i) => {
          const result = results[i];
          if (result && "thrown" in result) {
            pending.reject(new Error(result.thrown));
          } else pending.resolve(result ?? undefined);
        });
      },
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const pending of batch) pending.reject(failure);
      },
    );
  }

  private start(): Piscina<readonly EngineTask[], EngineTaskResult[]> {
    // From dist/ the entry is compiled JavaScript; from the sources (tsx, vitest) it is TypeScript.
    const fromSources = import.meta.url.endsWith(".ts");
    const entry = new URL(fromSources ? "./engine-thread.ts" : "./engine-thread.js", import.meta.url);
    const execArgv = fromSources ? ["--import", tsxRegistration()] : [];
    return new Piscina<readonly EngineTask[], EngineTaskResult[]>({
      filename: entry.href,
      minThreads: this.threads,
      // As many as minThreads: none is ever idle-stopped (starting one loads the function library).
      maxThreads: this.threads,
      // A thread between tasks waits with Atomics.waitAsync: about half the round trip of a plain
      // message port (0.07 vs 0.11 ms a task here), without blocking the thread's event loop the
      // way the default Atomics.wait would (timers or promises a function leaves behind still run).
      atomics: "async",
      // Each thread holds its next batch too: piscina hands out a queued batch only between the
      // main thread's own steps, and a writing call's batched save holds that thread for
      // milliseconds (PGlite runs on it), during which a thread with nothing in hand would idle.
      concurrentTasksPerWorker: BATCHES_PER_THREAD,
      execArgv,
    });
  }
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

// What the invoke pipeline runs with, handed in by its caller (the API, a script, a test): the
// database, the functions, and the limits that bound one invocation's memory and parallelism.
// Timestamps come from the database (now()), so there is no clock to hand in.
import type { Kysely } from "kysely";
import type { DatabaseSchema } from "../store/index.ts";
import type { FunctionCatalogue } from "./check-invocations.ts";
import type { EnginePool } from "./engine-pool.ts";
import type { WorkerExecutor } from "./worker-executor.ts";

export interface InvokeDependencies {
  readonly db: Kysely<DatabaseSchema>;
  readonly functions: FunctionCatalogue;
  /** Units run at once (default DEFAULT_CONCURRENCY). */
  readonly concurrency?: number;
  /**
   * Units run at once in a call that dispatches to a bridge worker (default
   * DEFAULT_WORKER_CONCURRENCY), never more than the WorkerExecutor's outstandingLimit.
   */
  readonly workerConcurrency?: number;
  /**
   * Changed Units saved per transaction (default DEFAULT_WRITE_BATCH_UNITS); a call that writes
   * runs at least twice as many Units at once, so the next batch fills while one is written.
   */
  readonly writeBatchUnits?: number;
  /** Units read from the database per batch (default DEFAULT_BATCH_SIZE). */
  readonly batchSize?: number;
  /** Response JSON kept in memory before it spills to a temporary file (default DEFAULT_SPOOL_MEMORY_BYTES). */
  readonly spoolMemoryBytes?: number;
  /**
   * How functions reach bridge workers (a request or saved call with a BridgeWorkerID). Absent: a
   * request that names a worker is refused (WORKERS_UNAVAILABLE) and a Space trigger on a worker
   * fails as "not available".
   */
  readonly workerExecutor?: WorkerExecutor;
  /** Per-function wait for a worker's result (default: the WorkerExecutor's own). */
  readonly workerTimeoutMs?: number;
  /**
   * Engine threads for the Units of calls that write nothing (EnginePool); absent: every Unit runs
   * on the calling thread. They run the standard function library, so `functions` must be it.
   */
  readonly enginePool?: EnginePool;
}

/** Units run at once: overlaps database reads and writes with the (single-threaded) function runs. */
export const DEFAULT_CONCURRENCY = 8;

/**
 * Units run at once when their functions run on a bridge worker: each waits on a network round
 * trip, not on this process's CPU, so more of them overlap; still bounded (each holds its data).
 */
export const DEFAULT_WORKER_CONCURRENCY = 64;

// The invoke pipeline, for one Space or the whole organization:
//   1. check everything that can make the request itself wrong, before anything runs or is written
//      (functions and arguments, saved Invocations/Triggers, Space, Filter, where/where_data syntax,
//      Revision, ChangeSet): typed errors (InvokeError, FilterFieldError, the store's NotFoundError)
//      that the API answers with 400 / 404 / 409;
//   2. stream the selected Units from the database in batches and run the engine on each with
//      bounded concurrency (pMapIterable keeps the order and reads ahead only as far as it runs;
//      a call whose functions run on a bridge worker keeps more Units in flight):
//      the explicit functions, the saved ones, then, if the data changed, the Space's Mutation
//      triggers, phased, exactly as a write would; a large call runs its Units on the engine
//      threads when the server has them (deps.enginePool, engine-pool.ts);
//   3. unless it is a dry run or a Revision run, save each changed Unit (one Revision, one
//      Mutation, Version-guarded; a conflict fails only that Unit's element), many Units per
//      transaction (write-buffer.ts);
//   4. answer 200 when every element succeeded, 207 when any failed, and throw
//      NO_PROCESSABLE_DATA (422) when no Unit's data could be processed at all (ElementTally).
//      Elements that a filter skipped (NumFilters, where_data) are left out.
// invokeFunctions answers the JSON array, spooled (the status needs every element); startInvocation
// hands out the elements as they come, for an answer streamed while the Units run (the API's NDJSON).
// Everything it needs comes in as arguments (InvokeDependencies): no server, no globals.
import type { Readable } from "node:stream";
import { pMapIterable } from "p-map";
import type { SavedInvocation } from "../engine/index.ts";
import type { WriteContext } from "../store/index.ts";
import { checkChangeSet } from "./change-set-check.ts";
import { checkInvocations } from "./check-invocations.ts";
import { DEFAULT_CONCURRENCY, DEFAULT_WORKER_CONCURRENCY, type InvokeDependencies } from "./dependencies.ts";
import { ElementTally } from "./element-tally.ts";
import { mayWrite, type InvokeRequest } from "./invoke-request.ts";
import type { WireFunctionInvocationsResponse } from "./response-element.ts";
import { ResponseSpool } from "./response-spool.ts";
import { loadSavedInvocations } from "./saved-invocations.ts";
import { resolveSelection } from "./selection.ts";
import { boundedSelection, streamUnits } from "./unit-stream.ts";
import { WorkerDispatch } from "./worker-dispatch.ts";
import { SKIPPED, UnitRunner, onWorker, type CallThreads } from "./unit-runner.ts";
import { DEFAULT_WRITE_BATCH_UNITS } from "./write-buffer.ts";

export interface InvokeResponse {
  readonly status: 200 | 207;
  /** The JSON array of FunctionInvocationsResponse elements. */
  readonly body: Readable;
  readonly elements: number;
}

/** A checked invocation whose Units have not run yet. */
export interface InvokeRun {
  /**
   * The elements in Unit order, each as soon as its Unit finished (skipped Units left out).
   * Iterating runs the Units (and writes them unless it is a dry run); leaving the loop early stops
   * the call: the Units in flight finish, no further Unit is read or run. Iterate once.
   */
  readonly elements: AsyncIterable<WireFunctionInvocationsResponse>;
  /** Count each element here; its verdict() is the call's status once the elements ran out. */
  readonly tally: ElementTally;
}

/** The whole answer at once: every element, then 200/207 (or the call's error, thrown). */
export async function invokeFunctions(
  deps: InvokeDependencies,
  request: InvokeRequest,
  writer: WriteContext,
  signal?: AbortSignal,
): Promise<InvokeResponse> {
  const { elements, tally } = await startInvocation(deps, request, writer);
  const spool = new ResponseSpool(
    deps.spoolMemoryBytes !== undefined ? { memoryLimitBytes: deps.spoolMemoryBytes } : {},
  );
  let status: 200 | 207;
  try {
    for await (const element of elements) {
      // The client went away: no one reads the answer, so no further Unit runs.
      signal?.throwIfAborted();
      tally.add(element);
      await spool.add(element);
    }
    status = tally.verdict();
  } catch (error) {
    await spool.discard();
    throw error;
  }
  return { status, body: await spool.body(), elements: spool.length };
}

/**
 * Step 1 (every check that can make the request itself wrong, thrown before anything runs), and the
 * run of steps 2-3 ready to be iterated: the caller decides how the elements are answered.
 */
export async function startInvocation(
  deps: InvokeDependencies,
  request: InvokeRequest,
  writer: WriteContext,
): Promise<InvokeRun> {
  const { db, functions } = deps;
  const cast = request.options.castStringArgsToScalars;
  const workers = new WorkerDispatch(deps.workerExecutor, request.organizationId, {
    ...(deps.workerTimeoutMs !== undefined ? { timeoutMs: deps.workerTimeoutMs } : {}),
    // Nothing of this call is written: the worker's Mutations are reported as it computed them.
    takesWorkerMutations: !mayWrite(request),
    ...(deps.enginePool ? { dataChecks: deps.enginePool } : {}),
  });
  const worker = request.bridgeWorkerId;
  checkInvocations(
    worker === undefined ? functions : await workers.require(worker, "body/BridgeWorkerID"),
    request.toolchain,
    request.invocations.map((invocation, i) => ({ invocation, location: `body/FunctionInvocations/${i}` })),
    { cast, ...(worker !== undefined ? { executor: `bridge worker ${workers.describe(worker)}` } : {}) },
  );
  const saved = await loadSavedInvocations(db, functions, request, workers);
  const selection = await resolveSelection(db, request);
  const units = await boundedSelection(db, selection.units, selection.where);
  const writes = mayWrite(request);
  if (writes) await checkChangeSet(db, request, units, selection.dataConditions);

  const threads = callThreads(deps, request, saved);
  const run = new UnitRunner(deps, request, selection, saved, writer, writes, workers, threads);
  const source = selection.revision ? run.revisionTarget(units) : streamUnits(db, units, deps.batchSize);
  async function* elements(): AsyncGenerator<WireFunctionInvocationsResponse> {
    const concurrency = workers.dispatches()
      ? workerConcurrency(deps)
      : Math.max(
          deps.concurrency ?? DEFAULT_CONCURRENCY,
          writes ? writingConcurrency(deps, threads) : 0,
          threads ? threads.pool.unitsInFlight : 0,
        );
    const results = pMapIterable(source, (unit) => run.saves.track(() => run.unit(unit)), {
      concurrency,
      backpressure: concurrency,
    });
    for await (const element of results) {
      if (element !== SKIPPED) yield element;
    }
  }
  return { elements: elements(), tally: new ElementTally(workers) };
}

/**
 * The engine threads this call may use: only a call whose functions and saved calls all run built in
 * (bridge-worker dispatch lives on the main thread; a Space trigger on a worker keeps that Space's
 * Units there too). A writing call's saves stay on the main thread, with the database.
 */
function callThreads(
  deps: InvokeDependencies,
  request: InvokeRequest,
  saved: readonly SavedInvocation[],
): CallThreads | undefined {
  const pool = deps.enginePool;
  if (!pool || request.bridgeWorkerId !== undefined || saved.some(onWorker)) return undefined;
  return { pool, mainThreadUnits: pool.mainThreadUnits };
}

/**
 * Units of a call that writes in flight at once: a batch being saved, and the next one filling; on
 * the engine threads, the next ones too, so the threads still have Units to run while the main
 * thread saves (with PGlite a save holds the main thread; measured, 4 batches' worth keeps the
 * threads busier than 2).
 */
function writingConcurrency(deps: InvokeDependencies, threads: CallThreads | undefined): number {
  return (threads ? 4 : 2) * (deps.writeBatchUnits ?? DEFAULT_WRITE_BATCH_UNITS);
}

/** Units of a worker call in flight at once: many (they wait on the network), at most the worker's limit. */
function workerConcurrency(deps: InvokeDependencies): number {
  const wanted = deps.workerConcurrency ?? Math.max(DEFAULT_WORKER_CONCURRENCY, deps.concurrency ?? 0);
  return Math.max(1, Math.min(wanted, deps.workerExecutor?.outstandingLimit ?? wanted));
}

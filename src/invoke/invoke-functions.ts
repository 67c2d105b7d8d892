// The invoke pipeline, for one Space or the whole organization:
//   1. check everything that can make the request itself wrong, before anything runs or is written
//      (functions and arguments, saved Invocations/Triggers, Space, Filter, where/where_data syntax,
//      Revision, ChangeSet): typed errors (InvokeError, FilterFieldError, the store's NotFoundError)
//      that the API answers with 400 / 404 / 409;
//   2. stream the selected Units from the database in batches and run the engine on each with
//      bounded concurrency (pMapIterable keeps the order and reads ahead only as far as it runs;
//      a call whose functions run on a bridge worker keeps more Units in flight):
//      the explicit functions, the saved ones, then, if the data changed, the Space's Mutation
//      triggers, phased, exactly as a write would;
//   3. unless it is a dry run or a Revision run, save each changed Unit (one Revision, one
//      Mutation, Version-guarded; a conflict fails only that Unit's element), many Units per
//      transaction (write-buffer.ts);
//   4. answer 200 when every element succeeded, 207 when any failed, and throw
//      NO_PROCESSABLE_DATA (422) when no Unit's data could be processed at all. Elements that a
//      filter skipped (NumFilters, where_data) are left out.
// Everything it needs comes in as arguments (InvokeDependencies): no server, no globals.
import type { Readable } from "node:stream";
import { pMapIterable } from "p-map";
import type { WriteContext } from "../store/index.ts";
import { checkChangeSet } from "./change-set-check.ts";
import { checkInvocations } from "./check-invocations.ts";
import { DEFAULT_CONCURRENCY, DEFAULT_WORKER_CONCURRENCY, type InvokeDependencies } from "./dependencies.ts";
import { InvokeError } from "./errors.ts";
import { mayWrite, type InvokeRequest } from "./invoke-request.ts";
import { ResponseSpool } from "./response-spool.ts";
import { loadSavedInvocations } from "./saved-invocations.ts";
import { resolveSelection } from "./selection.ts";
import { boundedSelection, streamUnits } from "./unit-stream.ts";
import { WorkerDispatch } from "./worker-dispatch.ts";
import { SKIPPED, UnitRunner } from "./unit-runner.ts";
import { DEFAULT_WRITE_BATCH_UNITS } from "./write-buffer.ts";

export interface InvokeResponse {
  readonly status: 200 | 207;
  /** The JSON array of FunctionInvocationsResponse elements. */
  readonly body: Readable;
  readonly elements: number;
}

export async function invokeFunctions(
  deps: InvokeDependencies,
  request: InvokeRequest,
  writer: WriteContext,
): Promise<InvokeResponse> {
  const { db, functions } = deps;
  const cast = request.options.castStringArgsToScalars;
  const workers = new WorkerDispatch(deps.workerExecutor, request.organizationId, {
    ...(deps.workerTimeoutMs !== undefined ? { timeoutMs: deps.workerTimeoutMs } : {}),
  });
  const worker = request.bridgeWorkerId;
  checkInvocations(
    worker === undefined ? functions : await workers.require(worker, "body/BridgeWorkerID"),
    request.toolchain,
    request.invocations.map((invocation, i) => ({ invocation, location: `body/FunctionInvocations/${i}` })),
    { cast, ...(worker !== undefined ? { executor: `bridge worker ${worker}` } : {}) },
  );
  const saved = await loadSavedInvocations(db, functions, request, workers);
  const selection = await resolveSelection(db, request);
  const units = await boundedSelection(db, selection.units, selection.where);
  const writes = mayWrite(request);
  if (writes) await checkChangeSet(db, request, units, selection.dataConditions);

  const run = new UnitRunner(deps, request, selection, saved, writer, writes, workers);
  const source = selection.revision ? run.revisionTarget(units) : streamUnits(db, units, deps.batchSize);
  const spool = new ResponseSpool(
    deps.spoolMemoryBytes !== undefined ? { memoryLimitBytes: deps.spoolMemoryBytes } : {},
  );
  let failed = 0;
  const unprocessed: string[] = [];
  const undispatched: string[] = [];
  try {
    const concurrency = workers.dispatches()
      ? workerConcurrency(deps)
      : Math.max(deps.concurrency ?? DEFAULT_CONCURRENCY, writes ? writingConcurrency(deps) : 0);
    const elements = pMapIterable(source, (unit) => run.saves.track(() => run.unit(unit)), {
      concurrency,
      backpressure: concurrency,
    });
    for await (const element of elements) {
      if (element === SKIPPED) continue;
      if (!element.Success) {
        failed++;
        if (element.Error?.Type === "CONFIG_DATA_INVALID") {
          unprocessed.push(`Unit ${element.UnitSlug}: ${element.Error.Details[0] ?? ""}`);
        }
        if (element.Error?.Type === "WORKER_DISCONNECTED" || element.Error?.Type === "WORKER_BUSY") {
          undispatched.push(element.Error.Type);
        }
      }
      await spool.add(element);
    }
  } catch (error) {
    await spool.discard();
    throw error;
  }
  if (spool.length > 0 && unprocessed.length === spool.length) {
    await spool.discard();
    const shown = unprocessed.slice(0, 3).join("; ");
    const more = unprocessed.length > 3 ? `; and ${unprocessed.length - 3} more` : "";
    const message = `no Unit's configuration data could be processed: ${shown}${more}`;
    throw new InvokeError("NO_PROCESSABLE_DATA", "the selected Units' data", message);
  }
  if (spool.length > 0 && undispatched.length === spool.length) {
    // Not one Unit reached a worker, so nothing ran and nothing was written: the call as a whole
    // failed, and a client should retry it rather than read elements.
    await spool.discard();
    throw notDispatched(undispatched, spool.length, workers);
  }
  return { status: failed > 0 ? 207 : 200, body: await spool.body(), elements: spool.length };
}

/** Units of a call that writes in flight at once: a batch being saved, and the next one filling. */
function writingConcurrency(deps: InvokeDependencies): number {
  return 2 * (deps.writeBatchUnits ?? DEFAULT_WRITE_BATCH_UNITS);
}

/** Units of a worker call in flight at once: many (they wait on the network), at most the worker's limit. */
function workerConcurrency(deps: InvokeDependencies): number {
  const wanted = deps.workerConcurrency ?? Math.max(DEFAULT_WORKER_CONCURRENCY, deps.concurrency ?? 0);
  return Math.max(1, Math.min(wanted, deps.workerExecutor?.outstandingLimit ?? wanted));
}

function notDispatched(codes: readonly string[], units: number, workers: WorkerDispatch): InvokeError {
  const what = units === 1 ? "the selected Unit could not" : `none of the ${units} selected Units could`;
  const worker = `bridge worker ${workers.lastRefused ?? ""}`;
  if (codes.includes("WORKER_BUSY")) {
    return new InvokeError(
      "WORKER_BUSY",
      worker,
      `${worker} has too many operations outstanding: ${what} be dispatched and nothing ` +
        "was written; retry after the time in Retry-After",
      { retryAfterSeconds: workers.retryAfterSeconds ?? 1 },
    );
  }
  return new InvokeError(
    "WORKER_DISCONNECTED",
    worker,
    `${worker} is disconnected: ${what} be dispatched and nothing was written; ` +
      "start the worker (confn worker run) and call again",
  );
}

// Steps that run on a bridge worker. The executor hands each run of consecutive steps of one worker
// (the explicit list, or one worker's group of saved calls or triggers, already phased) to the worker
// as ONE FunctionInvocationRequest, and folds the FunctionInvocationResponse back into the Unit's run
// as if the steps had run here:
// - arguments are validated first with the worker's signatures (the same code as for built-ins);
// - the returned ConfigData must decode and parse for the Unit's toolchain, and may change only when
//   a step is Mutating; otherwise, or when the worker reports a failure, the data is put back exactly
//   as it was before the batch (a batch is atomic, like a single built-in function);
// - Mutations are computed here, by the same diff as for built-ins, so a worker cannot record
//   mutations that do not match the data (they are attributed to the last mutator the worker names);
//   except where the executor takes the worker's own (takesWorkerMutations: a call that writes
//   nothing): for the batch that first changes the Unit, the worker's Mutations are shape-checked
//   (worker-mutations.ts) and kept, so the data sent is neither parsed here nor diffed, only the
//   data returned is (which is how it is checked). Sent data that does not parse still fails the
//   Unit as it would up front on every other outcome of the batch (it is parsed then);
// - ValidationResults come back per function (CombineValidationResults is never asked of the
//   worker) and are collected with the others, so combining works across executors; a validating
//   step without a result in a failed batch counts as failed (an ApplyGate fails closed).
import { ConfigError } from "../../config/index.ts";
import { validatedArguments } from "../arguments/validation-cache.ts";
import { isPaddedBase64, toBase64 } from "../base64.ts";
import { ConfigDataError, EngineError } from "../errors.ts";
import { computeChangedMutations, computeMutations } from "../mutations/compute-mutations.ts";
import { mergeMutations } from "../mutations/merge-mutations.ts";
import { checkOutput } from "../outputs/check-output.ts";
import type { OutputCollector } from "../outputs/output-collector.ts";
import type { FunctionLookup, RegisteredFunction } from "../registry.ts";
import type {
  FunctionContext,
  FunctionInvocation,
  FunctionInvocationRequest,
  FunctionInvocationResponse,
  OutputType,
  ResourceMutationList,
  ToolchainType,
  ValidationResult,
} from "../types.ts";
import type { Step } from "./plan.ts";
import type { UnitDocuments } from "./unit-documents.ts";
import { workerMutations } from "./worker-mutations.ts";

/** How the executor reaches bridge workers; implemented by the invoke pipeline. */
export interface RemoteExecutor {
  /** The worker's functions (its signatures), or undefined when the worker is not available. */
  functions(bridgeWorkerId: string): FunctionLookup | undefined;
  /** A name for the worker in messages (its slug when known). */
  describe(bridgeWorkerId: string): string;
  /** Why a worker has no functions here (deleted, no dispatch), for the message; undefined: no reason known. */
  unavailable?(bridgeWorkerId: string): string | undefined;
  /**
   * Runs one request on the worker. Rejects with an EngineError (code WORKER_*) when the worker could
   * not run it; anything else is treated as a worker failure too.
   */
  run(bridgeWorkerId: string, request: FunctionInvocationRequest): Promise<FunctionInvocationResponse>;
  /**
   * Take the Mutations the worker computed (checked for shape) for the batch that first changes a
   * Unit, instead of parsing the data sent and diffing it against the data returned. Meant for runs
   * whose results are not written (a dry run): a write recomputes them so that a stored Mutation
   * record always matches the stored data.
   */
  readonly takesWorkerMutations?: boolean;
  /**
   * Checks that data a worker returned parses for the toolchain, away from the caller's thread;
   * rejects with a ConfigDataError when it does not. Used for data nothing after the batch reads
   * (the executor keeps it as text). Absent: the executor parses the data itself.
   */
  readonly checkData?: (text: string, toolchain: ToolchainType) => Promise<void>;
}

/** What a batch records per step (the executor's StepReport, which it fills in place). */
interface BatchReport {
  status: "ran" | "failed" | "skipped";
  passed?: boolean;
  mutated: boolean;
}

/** The executor's state for one Unit that a batch updates. */
export interface RemoteBatchState {
  readonly context: FunctionContext;
  readonly unit: UnitDocuments;
  readonly outputs: OutputCollector;
  readonly mutations: ResourceMutationList;
  readonly mutators: number[];
  readonly reports: BatchReport[];
  readonly errorMessages: string[];
  fail(error: EngineError): void;
}

export interface RemoteBatchOptions {
  readonly cast: boolean;
  readonly stopOnError: boolean;
  /** Filters among the batch (explicit steps only). */
  readonly numFilters: number;
  /** No step follows the batch in the Unit's run (nothing reads the documents after it). */
  readonly last: boolean;
}

export interface RemoteBatchOutcome {
  /** A filter did not pass on the worker: nothing else runs for this Unit. */
  readonly filteredOut: boolean;
  readonly failed: boolean;
}

/** The consecutive steps from `start` that go to the same worker in one request. */
export function remoteBatch(steps: readonly Step[], start: number): Step[] {
  const first = steps[start]!;
  const batch = [first];
  for (let i = start + 1; i < steps.length; i++) {
    const step = steps[i]!;
    const same =
      step.bridgeWorkerID === first.bridgeWorkerID &&
      step.explicit === first.explicit &&
      step.trigger === first.trigger &&
      step.lookup !== undefined;
    if (!same) break;
    batch.push(step);
  }
  return batch;
}

interface Ready {
  readonly step: Step;
  readonly fn: RegisteredFunction;
}

export async function runRemoteBatch(
  remote: RemoteExecutor,
  batch: readonly Step[],
  state: RemoteBatchState,
  options: RemoteBatchOptions,
): Promise<RemoteBatchOutcome> {
  const { context, unit } = state;
  const toolchain = context.ToolchainType;
  const worker = batch[0]!.bridgeWorkerID!;
  const workerName = remote.describe(worker);

  // Arguments are checked here as for built-ins; a call that fails never reaches the worker.
  const ready: Ready[] = [];
  let refused = false;
  for (const step of batch) {
    const name = step.invocation.FunctionName;
    const report = state.reports[step.index]!;
    const fn = step.lookup?.lookup(toolchain, name);
    if (!fn) {
      report.status = "failed";
      refused = true;
      state.fail(
        new EngineError(
          "UNKNOWN_FUNCTION",
          `invoke ${name}: function does not exist on bridge worker ${workerName}`,
          {
            functionName: name,
            index: step.index,
          },
        ),
      );
      continue;
    }
    try {
      validatedArguments(fn, step.invocation, options.cast);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      report.status = "failed";
      refused = true;
      state.fail(error.locate(name, step.index));
      continue;
    }
    ready.push({ step, fn });
  }
  if (ready.length === 0 || (refused && options.stopOnError)) return { filteredOut: false, failed: true };

  const restorePoint = unit.text();
  const mutating = ready.some((r) => r.fn.signature.Mutating);
  // Taking the worker's Mutations, the data sent is parsed only if the batch does not end with them.
  const deferred =
    remote.takesWorkerMutations === true &&
    mutating &&
    state.mutators.length === 0 &&
    state.mutations.length === 0;
  /** The Unit's own data must parse before anything of the batch counts (ConfigDataError otherwise). */
  const checkSent = () => void unit.documents();
  if (!deferred) checkSent();
  let previous = mutating && !deferred ? unit.snapshot(restorePoint) : undefined;
  const request: FunctionInvocationRequest = {
    ...context,
    ConfigData: toBase64(restorePoint),
    LiveState: null,
    CastStringArgsToScalars: options.cast,
    NumFilters: options.numFilters,
    StopOnError: options.stopOnError,
    CombineValidationResults: false,
    FunctionInvocations: ready.map((r) => wireInvocation(r.step.invocation)),
  };

  // Each failure leaves the Unit at restorePoint, whose data is checked first, as it was up front.
  const failAll = (error: EngineError): RemoteBatchOutcome => {
    checkSent();
    for (const r of ready) state.reports[r.step.index]!.status = "failed";
    const first = ready[0]!.step;
    state.fail(error.locate(first.invocation.FunctionName, first.index));
    return { filteredOut: false, failed: true };
  };

  let response: FunctionInvocationResponse;
  try {
    response = await remote.run(worker, request);
  } catch (error) {
    if (error instanceof EngineError) return failAll(error);
    const message = error instanceof Error ? error.message : String(error);
    return failAll(
      new EngineError("WORKER_FAILED", `bridge worker ${workerName} failed: ${message}`, { cause: error }),
    );
  }

  const malformed = (why: string) =>
    failAll(
      new EngineError("WORKER_FAILED", `bridge worker ${workerName} returned a malformed response: ${why}`),
    );
  const shape = responseProblem(response);
  if (shape) return malformed(shape);
  let decoded: { type: OutputType; value: unknown }[];
  try {
    decoded = Object.entries(response.Outputs ?? {}).map(([type, encoded]) => ({
      type: type as OutputType,
      value: JSON.parse(strictBase64(encoded as string, `Outputs.${type}`)) as unknown,
    }));
  } catch (error) {
    return malformed(error instanceof Error ? error.message : String(error));
  }
  let text: string;
  try {
    text = strictBase64(response.ConfigData, "ConfigData");
  } catch (error) {
    return malformed(error instanceof Error ? error.message : String(error));
  }

  // The data: kept only from a successful batch with a mutating step, and only if it parses.
  const changed = text !== restorePoint;
  if (changed && response.Success) {
    if (!mutating) {
      return failAll(
        new EngineError(
          "READ_ONLY_DATA",
          `bridge worker ${workerName} changed the configuration data in functions that are not mutating; the change was discarded`,
        ),
      );
    }
    try {
      if (deferred && options.last && remote.checkData) {
        // Only checked (elsewhere) and kept as text: this run reads nothing of it any more.
        await remote.checkData(text, toolchain);
        unit.adopt(text);
      } else {
        unit.restore(text);
      }
    } catch (error) {
      if (!(error instanceof ConfigDataError || error instanceof ConfigError)) throw error;
      unit.restore(restorePoint);
      return failAll(
        new EngineError(
          "WORKER_FAILED",
          `bridge worker ${workerName} returned configuration data that does not parse as ${toolchain}; nothing was kept: ${error.message}`,
        ),
      );
    }
  }

  // Outputs, per function where the worker says which (ValidationResult Index).
  const validated = new Set<number>();
  try {
    for (const { type, value } of decoded) {
      if (type === "ValidationResultList") {
        if (!Array.isArray(value)) throw new Error("Outputs.ValidationResultList is not a list");
        for (const entry of value as ValidationResult[]) {
          const local = typeof entry?.Index === "number" ? entry.Index : -1;
          const r = ready[local];
          if (!r)
            throw new Error(`a ValidationResult has Index ${String(entry?.Index)}, not one of the request's`);
          addOutput(state, r, "ValidationResult", entry);
          validated.add(local);
        }
      } else if (type === "ValidationResult") {
        const local = lastIndex(ready, (r) => r.fn.signature.Validating);
        if (local < 0) throw new Error("a ValidationResult, but no validating function was sent");
        addOutput(state, ready[local]!, type, value);
        validated.add(local);
      } else {
        const local = Math.max(
          0,
          ready.findIndex((r) => r.fn.signature.OutputInfo?.OutputType === type),
        );
        addOutput(state, ready[local]!, type, value);
      }
    }
  } catch (error) {
    if (changed) unit.restore(restorePoint);
    if (error instanceof EngineError) return failAll(error);
    return malformed(error instanceof Error ? error.message : String(error));
  }

  const mutators = response.Mutators.filter((i) => ready[i]?.fn.signature.Mutating === true);
  ready.forEach((r, local) => {
    const report = state.reports[r.step.index]!;
    report.status = response.Success || validated.has(local) ? "ran" : "failed";
  });
  if (!response.Success) {
    checkSent(); // the returned data was not kept: the Unit is still at restorePoint
    const messages =
      response.ErrorMessages.length > 0
        ? response.ErrorMessages
        : ["it reported a failure without a message"];
    const first = ready.find((_, local) => !validated.has(local))?.step ?? ready[0]!.step;
    for (const message of messages) {
      state.fail(
        new EngineError("FUNCTION_FAILED", `bridge worker ${workerName}: ${message}`, {
          functionName: first.invocation.FunctionName,
          index: first.index,
        }),
      );
    }
    return { filteredOut: false, failed: true };
  }

  // The worker's own Mutations, when this batch may take them; when it offered none, diffed here.
  let taken: ResourceMutationList = [];
  if (deferred && changed) {
    const offered = workerMutations(
      response.Mutations,
      ready.map((r) => ({ index: r.step.index, mutating: r.fn.signature.Mutating })),
    );
    if (typeof offered === "string") {
      unit.restore(restorePoint);
      return malformed(offered);
    }
    taken = offered;
    if (taken.length === 0) previous = unit.snapshotOf(restorePoint);
  } else if (deferred) {
    checkSent(); // unchanged data: the Unit is still at restorePoint
  }

  if (changed && (taken.length > 0 || previous)) {
    const local =
      mutators.length > 0 ? mutators[mutators.length - 1]! : ready.findIndex((r) => r.fn.signature.Mutating);
    const index = ready[local]!.step.index;
    if (taken.length > 0) {
      state.mutations.push(...taken);
    } else {
      const compute = state.mutators.length === 0 ? computeMutations : computeChangedMutations;
      mergeMutations(state.mutations, compute(previous!, unit.current(), index, unit.similarTypes));
    }
    const indices = mutators.length > 0 ? mutators : [local];
    for (const i of indices) {
      const step = ready[i]!.step;
      state.mutators.push(step.index);
      state.reports[step.index]!.mutated = true;
    }
  }
  const filteredOut =
    options.numFilters > 0 &&
    decoded.length === 0 &&
    !changed &&
    ready.some((r) => r.fn.signature.Validating);
  return { filteredOut, failed: false };
}

function addOutput(state: RemoteBatchState, r: Ready, type: OutputType, value: unknown): void {
  const name = r.fn.signature.FunctionName;
  const checked = checkOutput(name, r.step.index, type, value);
  if (type === "ValidationResult") state.reports[r.step.index]!.passed = (checked as ValidationResult).Passed;
  state.errorMessages.push(...state.outputs.add(name, r.step.index, type, checked, !r.step.explicit));
}

function wireInvocation(invocation: FunctionInvocation): FunctionInvocation {
  return {
    FunctionName: invocation.FunctionName,
    Arguments: invocation.Arguments ?? [],
    ...(invocation.WhereResource ? { WhereResource: invocation.WhereResource } : {}),
  };
}

function lastIndex<T>(list: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (predicate(list[i]!)) return i;
  return -1;
}

/** Decodes a byte field the worker sent; refuses what is not base64 instead of skipping characters. */
function strictBase64(encoded: string, field: string): string {
  if (typeof encoded !== "string" || !isPaddedBase64(encoded)) {
    throw new Error(`${field} is not base64`);
  }
  return Buffer.from(encoded, "base64").toString("utf8");
}

/** What is wrong with the response's shape, or undefined. */
function responseProblem(response: unknown): string | undefined {
  if (response === null || typeof response !== "object") return "not an object";
  const r = response as Partial<Record<keyof FunctionInvocationResponse, unknown>>;
  if (typeof r.ConfigData !== "string") return "ConfigData is not a string";
  if (typeof r.Success !== "boolean") return "Success is not a boolean";
  if (
    r.Outputs !== undefined &&
    r.Outputs !== null &&
    (typeof r.Outputs !== "object" || Array.isArray(r.Outputs))
  )
    return "Outputs is not a map";
  if (!Array.isArray(r.Mutators ?? []) || !((r.Mutators ?? []) as unknown[]).every(Number.isInteger))
    return "Mutators is not a list of indices";
  if (
    !Array.isArray(r.ErrorMessages ?? []) ||
    !((r.ErrorMessages ?? []) as unknown[]).every((m) => typeof m === "string")
  )
    return "ErrorMessages is not a list of strings";
  // Absent lists are Go's nil slices.
  (response as { Mutators: unknown }).Mutators ??= [];
  (response as { ErrorMessages: unknown }).ErrorMessages ??= [];
  return undefined;
}

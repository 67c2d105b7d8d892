// The executor: the one entry point the server, the bridge-worker host and the CLI share. It runs one
// Unit's functions (spec §3 "Loop", design §5) and returns everything the response needs.
//
// Differences from ConfigHub's handler (design §9, docs/deviations.md):
// - each function is atomic: when it throws, the data is exactly what it was before it (ConfigHub lets
//   the partly mutated documents through when StopOnError is off);
// - a function that leaves the bytes unchanged is not a mutator and changes nothing;
// - a read-only or validating function that edits the data gets an error and its edit is undone;
// - outputs go into the V26 per-type map, so differently typed outputs no longer discard each other.
import { ConfigError, type ConfigDocumentSet } from "../../config/index.ts";
import type { FunctionArguments } from "../arguments/function-arguments.ts";
import { validatedArguments } from "../arguments/validation-cache.ts";
import { adoptEngineError, EngineError, InvocationRequestError } from "../errors.ts";
import type { FunctionCall, FunctionResult } from "../function-definition.ts";
import { computeChangedMutations, computeMutations } from "../mutations/compute-mutations.ts";
import { mergeMutations } from "../mutations/merge-mutations.ts";
import { checkOutput } from "../outputs/check-output.ts";
import { OutputCollector } from "../outputs/output-collector.ts";
import type { FunctionLookup, RegisteredFunction } from "../registry.ts";
import type {
  FunctionContext,
  FunctionInvocation,
  OutputType,
  ResourceMutationList,
  ValidationResult,
} from "../types.ts";
import { isToolchainType, type ToolchainType } from "../types.ts";
import { completeContext, instanceName } from "./function-context.ts";
import { planSteps } from "./plan.ts";
import type { SavedInvocation, Step } from "./plan.ts";
import { remoteBatch, runRemoteBatch, type RemoteExecutor } from "./remote.ts";
import { UnitDocuments } from "./unit-documents.ts";

export interface ExecuteOptions {
  /** The first N validating functions of the explicit list are filters. Default 0. */
  numFilters?: number;
  /** Stop this Unit at the first error. Default false. */
  stopOnError?: boolean;
  /** One combined ValidationResult instead of a ValidationResultList. Default false. */
  combineValidationResults?: boolean;
  /** Accept strings for int and bool parameters. Default true (V26 casts implicitly). */
  castStringArgsToScalars?: boolean;
}

export interface ExecuteRequest {
  /** The builtin executor's functions. */
  registry: FunctionLookup;
  /** What is known about the Unit; the rest gets Go's zero values. ToolchainType defaults to Kubernetes/YAML. */
  context?: Partial<FunctionContext>;
  /** The Unit's data, in the toolchain's native text format. */
  configData: string;
  /**
   * `configData` already parsed (parseConfig with the context's toolchain), when the caller has
   * parsed it anyway (the invoke pipeline's where_data check): the engine edits it in place instead
   * of parsing again. Ignored unless its toolchain and text are exactly those of this run.
   */
  documents?: ConfigDocumentSet;
  /** FunctionInvocations: run first, in the order given. */
  invocations: readonly FunctionInvocation[];
  /** Saved Invocations and Triggers: run after, grouped by executor and phased. */
  saved?: readonly SavedInvocation[];
  /**
   * A Space's data-change (Mutation) triggers: run last, grouped and phased like `saved`, and only if
   * the data differs from `changedSince` by the time they are reached.
   */
  triggers?: readonly SavedInvocation[];
  /** The data the triggers' "changed" is measured against. Default: `configData`. */
  changedSince?: string;
  options?: ExecuteOptions;
  /** The bridge workers' functions and how to reach them (absent: a step on a worker is "not available"). */
  remote?: RemoteExecutor;
  /** The worker the explicit invocations run on (the request's BridgeWorkerID); unset: builtin. */
  bridgeWorkerId?: string;
  /**
   * Hand back the documents `configData` was serialised from (ExecutionResult.documents), for a
   * caller that derives more from the result than its text (the invoke pipeline's saved where_data
   * copy) without parsing it again. Default false.
   */
  returnDocuments?: boolean;
}

/** What became of one planned step, for callers that act per function (e.g. trigger ApplyGates). */
export interface StepReport {
  index: number;
  functionName: string;
  /** SavedInvocation.source, for saved invocations and triggers. */
  source: string | undefined;
  trigger: boolean;
  /** `skipped`: not run (StopOnError, a failed filter, or triggers on unchanged data). */
  status: "ran" | "failed" | "skipped";
  /** A validating function's verdict, when it ran. */
  passed?: boolean;
  /** The function changed the data. */
  mutated: boolean;
}

export interface ExecutionResult {
  context: FunctionContext;
  configData: string;
  /** Whether configData differs from the input. */
  dataChanged: boolean;
  /** Outputs by OutputType, in the order the types were first produced (V26 `Outputs`). */
  outputs: [OutputType, unknown][];
  /** The first output type produced (V25 `OutputType`), or "". */
  outputType: OutputType | "";
  /** The output of that type (V25 `Output`), or null. */
  output: unknown;
  mutations: ResourceMutationList;
  /** Indices of the functions that changed the data. */
  mutators: number[];
  hasNewMutations: boolean;
  /** False only for an unknown function, bad arguments or a function error; a failed validation is an output. */
  success: boolean;
  errorMessages: string[];
  /** The typed errors behind the failures (not the validation messages). */
  errors: EngineError[];
  /** A filter did not pass, so the rest of the functions did not run (not an error). */
  filteredOut: boolean;
  /** One report per planned step, in execution order (index = position). */
  steps: StepReport[];
  /**
   * Only when the request asked (returnDocuments) and a function ran: the documents as the run left
   * them, `configData` being their text. Read them; editing them would not change `configData`.
   */
  documents?: ConfigDocumentSet;
}

export async function execute(request: ExecuteRequest): Promise<ExecutionResult> {
  checkRequest(request);
  const context = completeContext(request.context);
  const toolchain = context.ToolchainType;
  const options = request.options ?? {};
  const cast = options.castStringArgsToScalars ?? true;
  let filtersLeft = options.numFilters ?? 0;
  const stopOnError = options.stopOnError ?? false;

  let unit: UnitDocuments;
  try {
    unit = new UnitDocuments(request.configData, toolchain, reusable(request, toolchain));
  } catch (error) {
    if (error instanceof ConfigError) throw new InvocationRequestError(error.message, { cause: error });
    throw error;
  }

  const outputs = new OutputCollector({
    combineValidationResults: options.combineValidationResults ?? false,
    instance: instanceName(context),
  });
  const mutations: ResourceMutationList = [];
  const mutators: number[] = [];
  const errorMessages: string[] = [];
  const errors: EngineError[] = [];
  let success = true;
  let filteredOut = false;

  const fail = (error: EngineError): void => {
    success = false;
    errors.push(error);
    errorMessages.push(error.message);
  };

  const remote = request.remote;
  const steps = planSteps(
    toolchain,
    request.invocations,
    request.saved ?? [],
    {
      builtin: request.registry,
      workers: remote ? (id) => remote.functions(id) : undefined,
      explicitWorker: request.bridgeWorkerId,
    },
    request.triggers ?? [],
  );
  const reports: StepReport[] = steps.map((step) => ({
    index: step.index,
    functionName: step.invocation.FunctionName,
    source: step.source,
    trigger: step.trigger,
    status: "skipped",
    mutated: false,
  }));
  const changedSince = request.changedSince ?? request.configData;
  let triggersDecided = false;
  for (let position = 0; position < steps.length;) {
    const step = steps[position]!;
    const name = step.invocation.FunctionName;
    const report = reports[step.index]!;
    // Triggers follow every other step: decide once, when the first is reached, whether they run.
    if (step.trigger && !triggersDecided) {
      triggersDecided = true;
      if (unit.text() === changedSince) break;
    }
    if (remote && step.bridgeWorkerID !== undefined && step.lookup !== undefined) {
      // Consecutive steps of one worker go to it in one request (remote.ts).
      const batch = remoteBatch(steps, position);
      position += batch.length;
      const outcome = await runRemoteBatch(
        remote,
        batch,
        { context, unit, outputs, mutations, mutators, reports, errorMessages, fail },
        { cast, stopOnError, numFilters: step.explicit ? filtersLeft : 0, last: position === steps.length },
      );
      if (step.explicit) filtersLeft = 0;
      if (outcome.filteredOut) {
        filteredOut = true;
        break;
      }
      if (outcome.failed && stopOnError) break;
      continue;
    }
    position++;
    const fn = step.lookup?.lookup(toolchain, name);
    if (!fn) {
      report.status = "failed";
      fail(unknownFunction(step, name, remote));
      if (stopOnError) break;
      continue;
    }
    const isFilter = step.explicit && fn.signature.Validating && filtersLeft > 0;
    if (isFilter) filtersLeft--;

    let args: FunctionArguments;
    try {
      await fn.definition.load?.();
      args = validatedArguments(fn, step.invocation, cast);
    } catch (error) {
      report.status = "failed";
      fail(asEngineError(error, name, step.index));
      if (stopOnError) break;
      continue;
    }

    const data = unit.documents();
    const restorePoint = unit.text();
    let output: unknown;
    try {
      const previous = fn.signature.Mutating ? unit.snapshot(restorePoint) : undefined;
      const call: FunctionCall = {
        functionName: name,
        toolchain,
        context,
        data,
        args,
        index: step.index,
      };
      const result: FunctionResult | void = await fn.definition.invoke(call);
      output = result?.output;
      output = checkedOutput(fn, step.index, output);
      if (unit.text() !== restorePoint) {
        if (!previous) {
          throw new EngineError(
            "READ_ONLY_DATA",
            `function ${name} is not mutating but changed the configuration data; the change was discarded`,
            { functionName: name, index: step.index },
          );
        }
        // The first mutator's diff lists every resource (spec §4.3 seeding); later ones need only the changes.
        const compute = mutators.length === 0 ? computeMutations : computeChangedMutations;
        mergeMutations(mutations, compute(previous, unit.current(), step.index, unit.similarTypes));
        mutators.push(step.index);
        report.mutated = true;
      }
    } catch (error) {
      unit.restore(restorePoint);
      report.status = "failed";
      fail(asEngineError(error, name, step.index));
      if (stopOnError) break;
      continue;
    }
    report.status = "ran";
    if (fn.signature.Validating) report.passed = (output as ValidationResult).Passed;

    if (isFilter && !(output as ValidationResult).Passed) {
      // A failing filter stops this Unit quietly: no output, no error, nothing else runs.
      filteredOut = true;
      break;
    }
    const outputType = fn.signature.OutputInfo?.OutputType;
    if (output !== undefined && output !== null && outputType) {
      errorMessages.push(...outputs.add(name, step.index, outputType, output, !step.explicit));
    }
  }

  const configData = unit.text();
  const outputType = outputs.primaryType;
  const documents = request.returnDocuments ? unit.parsed() : undefined;
  return {
    context,
    configData,
    dataChanged: configData !== request.configData,
    outputs: outputs.entries(),
    outputType,
    output: outputType === "" ? null : outputs.get(outputType),
    mutations,
    mutators,
    hasNewMutations: mutations.some((m) => m.ResourceMutationInfo.MutationType !== "None"),
    success,
    errorMessages,
    errors,
    filteredOut,
    steps: reports,
    ...(documents ? { documents } : {}),
  };
}

function checkedOutput(fn: RegisteredFunction, index: number, output: unknown): unknown {
  const outputType = fn.signature.OutputInfo?.OutputType;
  if (fn.signature.Validating) {
    return checkOutput(fn.signature.FunctionName, index, "ValidationResult", output);
  }
  if (output === undefined || output === null || !outputType) return output;
  return checkOutput(fn.signature.FunctionName, index, outputType, output);
}

function unknownFunction(step: Step, name: string, remote: RemoteExecutor | undefined): EngineError {
  const worker = step.bridgeWorkerID ?? "";
  const why = remote?.unavailable?.(worker);
  const message =
    step.lookup === undefined
      ? `invoke ${name}: bridge worker ${worker} is not available${why ? `: ${why}` : ""}`
      : `invoke ${name}: function does not exist`;
  return new EngineError("UNKNOWN_FUNCTION", message, { functionName: name, index: step.index });
}

/** Function failures keep their own message (ConfigHub reports err.Error() as is). */
function asEngineError(error: unknown, functionName: string, index: number): EngineError {
  const engineError = adoptEngineError(error);
  if (engineError) return engineError.locate(functionName, index);
  if (error instanceof ConfigError) {
    return new EngineError("FUNCTION_FAILED", error.message, {
      functionName,
      index,
      ...(error.line === undefined ? {} : { line: error.line }),
      ...(error.column === undefined ? {} : { column: error.column }),
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new EngineError("FUNCTION_CRASHED", `function ${functionName} failed unexpectedly: ${message}`, {
    functionName,
    index,
    cause: error,
  });
}

/** The caller's parsed documents, if they are exactly this run's data (else the engine parses). */
function reusable(request: ExecuteRequest, toolchain: ToolchainType): ConfigDocumentSet | undefined {
  const { documents } = request;
  if (!documents || documents.toolchain !== toolchain) return undefined;
  return documents.toString() === request.configData ? documents : undefined;
}

function checkRequest(request: ExecuteRequest): void {
  if (typeof request.configData !== "string") {
    throw new InvocationRequestError("configuration data must be a string");
  }
  const toolchain = request.context?.ToolchainType;
  if (toolchain !== undefined && !isToolchainType(toolchain as string)) {
    throw new InvocationRequestError(`unknown toolchain type ${String(toolchain)}`);
  }
  if (!Array.isArray(request.invocations)) {
    throw new InvocationRequestError("FunctionInvocations must be a list");
  }
  request.invocations.forEach((invocation, i) => checkInvocation(invocation, i, "FunctionInvocations"));
  (request.saved ?? []).forEach((invocation, i) => checkInvocation(invocation, i, "saved invocations"));
  const numFilters = request.options?.numFilters;
  if (numFilters !== undefined && (!Number.isInteger(numFilters) || numFilters < 0)) {
    throw new InvocationRequestError(`NumFilters must be a non-negative integer, got ${String(numFilters)}`);
  }
}

function checkInvocation(invocation: unknown, i: number, list: string): void {
  const where = `${list}[${i}]`;
  if (invocation === null || typeof invocation !== "object" || Array.isArray(invocation)) {
    throw new InvocationRequestError(`${where} must be an object with FunctionName and Arguments`, {
      index: i,
    });
  }
  const { FunctionName, Arguments } = invocation as Partial<FunctionInvocation>;
  if (typeof FunctionName !== "string" || FunctionName === "") {
    throw new InvocationRequestError(`${where}: FunctionName must be a non-empty string`, { index: i });
  }
  if (Arguments !== undefined && Arguments !== null) {
    if (!Array.isArray(Arguments)) {
      throw new InvocationRequestError(`${where} (${FunctionName}): Arguments must be a list`, {
        index: i,
        functionName: FunctionName,
      });
    }
    Arguments.forEach((argument, j) => {
      if (argument === null || typeof argument !== "object" || !("Value" in argument)) {
        throw new InvocationRequestError(
          `${where} (${FunctionName}): Arguments[${j}] must be an object with a Value`,
          {
            index: i,
            functionName: FunctionName,
          },
        );
      }
      if (argument.ParameterName !== undefined && typeof argument.ParameterName !== "string") {
        throw new InvocationRequestError(
          `${where} (${FunctionName}): Arguments[${j}].ParameterName must be a string`,
          {
            index: i,
            functionName: FunctionName,
          },
        );
      }
    });
  }
}

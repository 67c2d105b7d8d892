// The function call a saved Invocation or Trigger stores: checked like an invoke request's (the
// function must exist in its toolchain and the arguments satisfy its signature, strings cast as
// ConfigHub's clients send them), with the fields confn does not implement rejected rather than
// ignored. Returns the signature, from which a Trigger derives `Validating`. A call with a
// BridgeWorkerID is checked against that worker's signatures (a worker not in the caller's
// organization is a 404; a server without worker dispatch answers 503).
import type { FunctionRegistry, FunctionSignature } from "../../engine/index.ts";
import { NIL_UUID } from "../../engine/index.ts";
import type { StoredArgument } from "../../store/index.ts";
import { badRequest, conflict } from "../errors.ts";
import { checkInvocation, checkToolchain, WorkerDispatch, type WorkerExecutor } from "../../invoke/index.ts";
import type { CommonBody } from "../wire/space-entity.ts";

export interface SavedCallBody extends CommonBody {
  FunctionName: string;
  Arguments?: { ParameterName?: string; Value: string | number | boolean; Evaluator?: string }[] | null;
  ToolchainType: string;
  BridgeWorkerID?: string | null;
  WhereResource?: string;
}

export interface SavedCall {
  readonly body: SavedCallBody;
  readonly signature: Readonly<FunctionSignature>;
  readonly attributes: {
    readonly functionName: string;
    readonly arguments: StoredArgument[];
    readonly toolchainType: string;
    readonly bridgeWorkerId: string | null;
  };
}

/** Where a saved call's functions are: the built-ins, or the bridge workers of the caller's organization. */
export interface SavedCallFunctions {
  readonly functions: FunctionRegistry;
  /** The workers the call may name, loaded by savedCallWorkers before any transaction. */
  readonly workers: WorkerDispatch;
}

/**
 * The bridge workers a create or update may name (the body's, and the current entity's that a
 * merge patch keeps), with their signatures loaded now, outside the update's transaction.
 */
export async function savedCallWorkers(
  workerExecutor: WorkerExecutor | undefined,
  organizationId: string,
  bridgeWorkerIds: readonly (string | null | undefined)[],
): Promise<WorkerDispatch> {
  const workers = new WorkerDispatch(workerExecutor, organizationId);
  for (const id of bridgeWorkerIds) if (id && id !== NIL_UUID) await workers.load(id);
  workers.seal();
  return workers;
}

/** `location` names the call in messages: `body`, or `body/FunctionInvocations/1` for a list entry. */
export async function savedCall(
  { functions, workers }: SavedCallFunctions,
  body: SavedCallBody,
  location = "body",
): Promise<SavedCall> {
  const worker =
    body.BridgeWorkerID === undefined || body.BridgeWorkerID === null || body.BridgeWorkerID === NIL_UUID
      ? null
      : body.BridgeWorkerID;
  if (body.WhereResource) throw badRequest("body/WhereResource is not supported: leave it empty");
  const toolchain = checkToolchain(body.ToolchainType, "body/ToolchainType");
  const args: StoredArgument[] = (body.Arguments ?? []).map((argument, i) => {
    if (argument.Evaluator)
      throw badRequest(`${location}/Arguments/${i}/Evaluator is not supported: leave it empty`);
    return {
      ...(argument.ParameterName !== undefined ? { ParameterName: argument.ParameterName } : {}),
      Value: argument.Value,
    };
  });
  if (worker !== null && !workers.knows(worker)) {
    // The entity's BridgeWorkerID changed between the read before the update and the update itself.
    throw conflict(
      "the entity changed while it was being updated (its BridgeWorkerID); send the request again",
    );
  }
  const catalogue = worker === null ? functions : await workers.require(worker, "body/BridgeWorkerID");
  const signature = checkInvocation(
    catalogue,
    toolchain,
    { invocation: { FunctionName: body.FunctionName, Arguments: args }, location },
    { cast: true, ...(worker !== null ? { executor: `bridge worker ${workers.describe(worker)}` } : {}) },
  );
  return {
    body,
    signature,
    attributes: {
      functionName: body.FunctionName,
      arguments: args,
      toolchainType: toolchain,
      bridgeWorkerId: worker,
    },
  };
}

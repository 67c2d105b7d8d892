// The function call a saved Invocation or Trigger stores: checked like an invoke request's (the
// function must exist in its toolchain and the arguments satisfy its signature, strings cast as
// ConfigHub's clients send them), with the fields confn does not implement rejected rather than
// ignored. Returns the signature, from which a Trigger derives `Validating`. A call with a
// BridgeWorkerID is checked against that worker's signatures (a worker not in the caller's
// organization is a 404; a server without worker dispatch answers 503).
import type { FunctionRegistry, FunctionSignature } from "../../engine/index.ts";
import { NIL_UUID } from "../../engine/index.ts";
import type { StoredArgument } from "../../store/index.ts";
import { badRequest } from "../errors.ts";
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
  readonly workerExecutor?: WorkerExecutor | undefined;
  readonly organizationId: string;
}

/** `location` names the call in messages: `body`, or `body/FunctionInvocations/1` for a list entry. */
export async function savedCall(
  { functions, workerExecutor, organizationId }: SavedCallFunctions,
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
  const catalogue =
    worker === null
      ? functions
      : await new WorkerDispatch(workerExecutor, organizationId).require(worker, "body/BridgeWorkerID");
  const signature = checkInvocation(
    catalogue,
    toolchain,
    { invocation: { FunctionName: body.FunctionName, Arguments: args }, location },
    { cast: true, ...(worker !== null ? { executor: `bridge worker ${worker}` } : {}) },
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

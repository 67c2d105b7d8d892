// The function call a saved Invocation or Trigger stores: checked like an invoke request's (the
// function must exist in its toolchain and the arguments satisfy its signature, strings cast as
// ConfigHub's clients send them), with the fields confn does not implement rejected rather than
// ignored. Returns the signature, from which a Trigger derives `Validating`.
import type { FunctionRegistry, FunctionSignature } from "../../engine/index.ts";
import { NIL_UUID } from "../../engine/index.ts";
import type { StoredArgument } from "../../store/index.ts";
import { badRequest } from "../errors.ts";
import { checkInvocation, checkToolchain } from "../../invoke/index.ts";
import type { CommonBody } from "../wire/space-entity.ts";

export interface SavedCallBody extends CommonBody {
  FunctionName: string;
  Arguments?: { ParameterName?: string; Value: string | number | boolean; Evaluator?: string }[] | null;
  ToolchainType: string;
  BridgeWorkerID?: string;
  WhereResource?: string;
}

export interface SavedCall {
  readonly body: SavedCallBody;
  readonly signature: Readonly<FunctionSignature>;
  readonly attributes: {
    readonly functionName: string;
    readonly arguments: StoredArgument[];
    readonly toolchainType: string;
  };
}

/** `location` names the call in messages: `body`, or `body/FunctionInvocations/1` for a list entry. */
export function savedCall(functions: FunctionRegistry, body: SavedCallBody, location = "body"): SavedCall {
  if (body.BridgeWorkerID !== undefined && body.BridgeWorkerID !== NIL_UUID) {
    throw badRequest(
      "body/BridgeWorkerID is not supported: no bridge workers exist; functions run on the builtin executor",
    );
  }
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
  const signature = checkInvocation(
    functions,
    toolchain,
    { invocation: { FunctionName: body.FunctionName, Arguments: args }, location },
    { cast: true },
  );
  return {
    body,
    signature,
    attributes: { functionName: body.FunctionName, arguments: args, toolchainType: toolchain },
  };
}

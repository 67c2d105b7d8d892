// Encodes an ExecutionResult as ConfigHub's FunctionInvocationResponse: byte fields base64, outputs as
// base64 JSON per OutputType (V26) plus the first output in V25's Output/OutputType.
import { toBase64 } from "../base64.ts";
import { goJson } from "../outputs/go-json.ts";
import type { FunctionInvocationResponse, OutputType } from "../types.ts";
import type { ExecutionResult } from "./execute.ts";

export function toFunctionInvocationResponse(result: ExecutionResult): FunctionInvocationResponse {
  const outputs: Partial<Record<OutputType, string>> = {};
  for (const [type, value] of result.outputs) outputs[type] = toBase64(goJson(value));
  return {
    OrganizationID: result.context.OrganizationID,
    SpaceID: result.context.SpaceID,
    UnitID: result.context.UnitID,
    RevisionID: result.context.RevisionID,
    UnitSlug: result.context.UnitSlug,
    SpaceSlug: result.context.SpaceSlug,
    ConfigData: toBase64(result.configData),
    Output: result.outputType === "" ? null : toBase64(goJson(result.output)),
    OutputType: result.outputType,
    Outputs: outputs,
    Mutations: result.mutations,
    Mutators: result.mutators,
    HasNewMutations: result.hasNewMutations,
    Success: result.success,
    ErrorMessages: result.errorMessages,
  };
}

// The calls of a saved Invocation from a whole body: ConfigHub's newer `FunctionInvocations` list,
// or the single `FunctionName`/`Arguments` (a one-call list). Both may come together only when
// they agree (a client sending back what it read): the first call of the list is then the single
// one. Each call is checked against the registry like an invoke request's, naming its place.
import type { StoredFunctionInvocation } from "../../store/index.ts";
import { badRequest } from "../errors.ts";
import type { SavedCallBody, SavedCallFunctions } from "./saved-call.ts";
import { savedCall } from "./saved-call.ts";

type CallBody = Omit<SavedCallBody, "FunctionName"> & {
  FunctionName?: string;
  FunctionInvocations?: { FunctionName: string; Arguments?: SavedCallBody["Arguments"] }[] | null;
};

export interface InvocationCalls {
  readonly calls: StoredFunctionInvocation[];
  readonly toolchainType: string;
  /** Every call runs on this bridge worker (null: built-in). */
  readonly bridgeWorkerId: string | null;
}

export async function invocationCalls(
  functions: SavedCallFunctions,
  body: CallBody,
): Promise<InvocationCalls> {
  const list = body.FunctionInvocations ?? undefined;
  const single = body.FunctionName;
  if (list === undefined || list.length === 0) {
    if (single === undefined) {
      throw badRequest("body/FunctionName is required (or body/FunctionInvocations, a list of calls)");
    }
    const call = await savedCall(functions, { ...body, FunctionName: single });
    return {
      calls: [stored(call.attributes)],
      toolchainType: call.attributes.toolchainType,
      bridgeWorkerId: call.attributes.bridgeWorkerId,
    };
  }
  const calls: { toolchainType: string; bridgeWorkerId: string | null; call: StoredFunctionInvocation }[] =
    [];
  for (const [i, entry] of list.entries()) {
    const call = await savedCall(
      functions,
      { ...body, FunctionName: entry.FunctionName, Arguments: entry.Arguments ?? [] },
      `body/FunctionInvocations/${i}`,
    );
    const { toolchainType, bridgeWorkerId } = call.attributes;
    calls.push({ toolchainType, bridgeWorkerId, call: stored(call.attributes) });
  }
  const first = calls[0]!.call;
  if (single !== undefined) {
    const args = (await savedCall(functions, { ...body, FunctionName: single })).attributes.arguments;
    if (single !== first.FunctionName || canonical(args) !== canonical(first.Arguments)) {
      throw badRequest(
        `body/FunctionName and body/Arguments (${single}) disagree with body/FunctionInvocations/0 ` +
          `(${first.FunctionName}): send the list alone, or FunctionName/Arguments alone for one call`,
      );
    }
  }
  return {
    calls: calls.map((c) => c.call),
    toolchainType: calls[0]!.toolchainType,
    bridgeWorkerId: calls[0]!.bridgeWorkerId,
  };
}

/**
 * The current Invocation's view a merge patch applies to: the members the patch replaces go, so a
 * patch of FunctionName/Arguments replaces the whole list and a patch of the list the single call.
 */
export function invocationPatchBase(
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const { FunctionInvocations, FunctionName, Arguments, ...rest } = current;
  if ("FunctionInvocations" in patch) return rest;
  if ("FunctionName" in patch || "Arguments" in patch) return { ...rest, FunctionName, Arguments };
  return { ...rest, FunctionInvocations };
}

function stored(attributes: {
  readonly functionName: string;
  readonly arguments: StoredFunctionInvocation["Arguments"];
}): StoredFunctionInvocation {
  return { FunctionName: attributes.functionName, Arguments: attributes.arguments };
}

function canonical(args: StoredFunctionInvocation["Arguments"]): string {
  return JSON.stringify(args.map((a) => [a.ParameterName ?? "", a.Value]));
}

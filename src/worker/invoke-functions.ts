// One InvokeFunctions event, run with the engine exactly as the server runs built-ins: the Unit's
// ConfigData decoded, the user's functions executed over the parsed documents (lossless edits,
// atomic functions, mutation diffs), and the FunctionInvocationResponse sent back base64 in the
// ActionResult. A function's own failure is part of the response (Success false, ErrorMessages),
// as for a built-in; only a request the engine cannot run at all is a Failed ActionResult.
import {
  EngineError,
  execute,
  fromBase64,
  isPaddedBase64,
  toBase64,
  toFunctionInvocationResponse,
  type FunctionContext,
  type FunctionInvocationRequest,
  type FunctionLookup,
} from "../engine/index.ts";
import type { ActionResult, InvokeFunctionsPayload } from "../worker-protocol/index.ts";

/** The FunctionContext fields of a request (the request flattens them beside its own). */
const CONTEXT_KEYS = [
  "ToolchainType",
  "UnitDisplayName",
  "UnitSlug",
  "UnitID",
  "UnitLabels",
  "UnitAnnotations",
  "SpaceID",
  "SpaceSlug",
  "OrganizationID",
  "TargetID",
  "BridgeWorkerID",
  "RevisionID",
  "RevisionNum",
  "New",
  "PreviousContentHash",
  "ApprovedBy",
] as const satisfies readonly (keyof FunctionContext)[];

/** A request that cannot be run at all: answered as a Failed ActionResult with this message. */
class UnrunnableRequest extends Error {}

/**
 * `crashed` hears of each function that threw something other than a FunctionError (a bug in it):
 * the server reports only the message, so the worker's own log is where its author finds the stack.
 */
export async function invokeFunctions(
  registry: FunctionLookup,
  payload: InvokeFunctionsPayload,
  crashed?: (message: string) => void,
): Promise<ActionResult> {
  const startedAt = new Date().toISOString();
  const request = payload.InvocationRequest as Partial<FunctionInvocationRequest> | undefined;
  const base: ActionResult = {
    QueuedOperationID: payload.QueuedOperationID,
    ...(typeof request?.UnitID === "string" ? { UnitID: request.UnitID } : {}),
    ...(typeof request?.SpaceID === "string" ? { SpaceID: request.SpaceID } : {}),
    ...(typeof request?.RevisionNum === "number" ? { RevisionNum: request.RevisionNum } : {}),
    Action: "InvokeFunctions",
    StartedAt: startedAt,
  };
  try {
    const checked = checkRequest(request);
    const result = await execute({
      registry,
      context: contextOf(checked),
      configData: decodeConfigData(checked.ConfigData),
      invocations: checked.FunctionInvocations ?? [],
      options: {
        numFilters: checked.NumFilters ?? 0,
        stopOnError: checked.StopOnError ?? false,
        combineValidationResults: checked.CombineValidationResults ?? false,
        castStringArgsToScalars: checked.CastStringArgsToScalars ?? true,
      },
    });
    if (crashed) {
      for (const error of result.errors) {
        if (error.code !== "FUNCTION_CRASHED") continue;
        const cause = error.cause instanceof Error ? error.cause : undefined;
        const unit = [request?.SpaceSlug, request?.UnitSlug]
          .filter((s) => typeof s === "string" && s)
          .join("/");
        crashed(`${error.message}${unit ? ` (unit ${unit})` : ""}${cause?.stack ? `\n${cause.stack}` : ""}`);
      }
    }
    const response = toFunctionInvocationResponse(result);
    return {
      ...base,
      Status: "Completed",
      Result: "FunctionInvocationCompleted",
      Message: "",
      TerminatedAt: new Date().toISOString(),
      Data: toBase64(JSON.stringify(response)),
    };
  } catch (error) {
    // The engine's request errors (unparsable data, bad options) and anything unexpected: the
    // server fails this Unit with the message; the worker itself carries on.
    const message = error instanceof Error ? error.message : String(error);
    const expected = error instanceof UnrunnableRequest || error instanceof EngineError;
    return {
      ...base,
      Status: "Failed",
      Result: "FunctionInvocationFailed",
      Message: expected ? message : `the worker failed unexpectedly: ${message}`,
      TerminatedAt: new Date().toISOString(),
    };
  }
}

type CheckedRequest = Partial<FunctionInvocationRequest> & { ConfigData: string };

function checkRequest(request: Partial<FunctionInvocationRequest> | undefined): CheckedRequest {
  if (request === null || typeof request !== "object" || Array.isArray(request)) {
    throw new UnrunnableRequest("InvokeFunctions: the payload has no InvocationRequest object");
  }
  if (typeof request.ConfigData !== "string") {
    throw new UnrunnableRequest("InvokeFunctions: InvocationRequest.ConfigData must be a base64 string");
  }
  return request as CheckedRequest;
}

function decodeConfigData(encoded: string): string {
  if (!isPaddedBase64(encoded)) {
    throw new UnrunnableRequest("InvokeFunctions: InvocationRequest.ConfigData is not valid base64");
  }
  return fromBase64(encoded);
}

function contextOf(request: Partial<FunctionInvocationRequest>): Partial<FunctionContext> {
  const context: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) {
    // Go sends zero values and null for empty maps and lists; the engine fills in what is missing.
    if (request[key] !== undefined && request[key] !== null) context[key] = request[key];
  }
  return context as Partial<FunctionContext>;
}

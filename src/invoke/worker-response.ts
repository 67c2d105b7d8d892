// A worker's answer to InvokeFunctions, checked before the pipeline sees it: ActionResult.Data is
// the base64 of a JSON FunctionInvocationResponse, written by a process we do not control. Anything
// that is not that shape is a WORKER_FAILED naming what was wrong, never a crash further on.
// ConfigData and Outputs are checked as base64 where they are decoded, by the engine's remote
// executor (strictly, padding included): checking them here too would scan every Unit's data twice.
import {
  isBase64,
  type FunctionInvocationRequest,
  type FunctionInvocationResponse,
} from "../engine/index.ts";
import type { ActionResult } from "../worker-protocol/index.ts";
import { WorkerDispatchError } from "./worker-executor.ts";

function malformed(worker: string, what: string): WorkerDispatchError {
  return new WorkerDispatchError("WORKER_FAILED", `bridge worker ${worker} sent a malformed result: ${what}`);
}

/** A worker's Failed (or Canceled/Aborted) answer as the error the pipeline reports for that Unit. */
export function workerFailure(worker: string, result: ActionResult): WorkerDispatchError {
  const message = typeof result.Message === "string" && result.Message !== "" ? result.Message : "no message";
  return new WorkerDispatchError(
    "WORKER_FAILED",
    `bridge worker ${worker} failed the invocation (${String(result.Status)}): ${message}`,
  );
}

/**
 * The FunctionInvocationResponse inside a Completed ActionResult, with the fields a Go worker may
 * leave null filled in (and the Unit's identity from the request when the worker left it out).
 */
export function decodeWorkerResponse(
  worker: string,
  result: ActionResult,
  request: FunctionInvocationRequest,
): FunctionInvocationResponse {
  if (typeof result.Data !== "string" || result.Data === "" || !isBase64(result.Data)) {
    throw malformed(worker, "Data is not base64");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(result.Data, "base64").toString("utf8"));
  } catch {
    throw malformed(worker, "Data is not the base64 of JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw malformed(worker, "Data is not a FunctionInvocationResponse object");
  }
  const body = parsed as Record<string, unknown>;
  const text = (name: string, fallback: string): string => {
    const value = body[name];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== "string") throw malformed(worker, `${name} is not a string`);
    return value;
  };
  const list = <T>(name: string, check: (item: unknown) => boolean): T[] => {
    const value = body[name];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every(check)) throw malformed(worker, `${name} is not a valid list`);
    return value as T[];
  };
  const configData = text("ConfigData", "");
  const output = body.Output;
  if (output !== undefined && output !== null && (typeof output !== "string" || !isBase64(output))) {
    throw malformed(worker, "Output is not base64");
  }
  const outputs = body.Outputs;
  if (
    outputs !== undefined &&
    outputs !== null &&
    (typeof outputs !== "object" ||
      Array.isArray(outputs) ||
      !Object.values(outputs).every((v) => typeof v === "string"))
  ) {
    throw malformed(worker, "Outputs is not a map of strings");
  }
  if (body.Success !== undefined && typeof body.Success !== "boolean") {
    throw malformed(worker, "Success is not a boolean");
  }
  return {
    OrganizationID: text("OrganizationID", request.OrganizationID),
    SpaceID: text("SpaceID", request.SpaceID),
    UnitID: text("UnitID", request.UnitID),
    RevisionID: text("RevisionID", request.RevisionID),
    UnitSlug: text("UnitSlug", request.UnitSlug),
    SpaceSlug: text("SpaceSlug", request.SpaceSlug),
    ConfigData: configData,
    Output: typeof output === "string" ? output : null,
    OutputType: text("OutputType", "") as FunctionInvocationResponse["OutputType"],
    Outputs: (outputs ?? {}) as FunctionInvocationResponse["Outputs"],
    Mutations: list("Mutations", (m) => typeof m === "object" && m !== null),
    Mutators: list("Mutators", (n) => Number.isInteger(n)),
    HasNewMutations: body.HasNewMutations === true,
    Success: body.Success === true,
    ErrorMessages: list("ErrorMessages", (m) => typeof m === "string"),
  };
}

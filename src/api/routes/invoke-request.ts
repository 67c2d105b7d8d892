// An invoke call as received (query string + FunctionInvocationsRequest body, already schema-checked
// by Fastify) turned into the pipeline's InvokeRequest: `readInvokeRequest` normalises the options,
// applies the defaults, and rejects what confn does not implement with a 400 that names the field,
// so nothing a client asks for is silently ignored.
import { NIL_UUID } from "../../engine/index.ts";
import { checkToolchain, DEFAULT_TOOLCHAIN, invokeRequest, type InvokeRequest } from "../../invoke/index.ts";
import { badRequest } from "../errors.ts";
import type { FunctionInvocationsRequestBody, InvokeQuery } from "../wire/invoke.ts";

/** Where the Units come from: one Space, or every Space of the organization. */
export type InvokeScope = { readonly spaceId: string } | { readonly spaceId?: undefined };

export function readInvokeRequest(
  organizationId: string,
  scope: InvokeScope,
  query: InvokeQuery,
  body: FunctionInvocationsRequestBody,
): InvokeRequest {
  rejectUnsupported(body);
  if (query.revision_id !== undefined && query.unit_id === undefined) {
    throw badRequest("querystring/revision_id needs unit_id: name the Unit the Revision belongs to");
  }
  if (query.revision_id !== undefined && query.change_set_id !== undefined) {
    throw badRequest(
      "querystring/change_set_id is not valid with revision_id: a Revision run writes nothing",
    );
  }
  if (query.subgroup?.startsWith("ConfigHub")) {
    throw badRequest("querystring/subgroup may not start with ConfigHub (reserved)");
  }
  const toolchain = checkToolchain(
    body.ToolchainType === undefined || body.ToolchainType === "" ? DEFAULT_TOOLCHAIN : body.ToolchainType,
    "body/ToolchainType",
  );
  const invocations = body.FunctionInvocations ?? [];
  const invocationIds = body.Invocations ?? [];
  const triggerIds = body.Triggers ?? [];
  if (invocations.length + invocationIds.length + triggerIds.length === 0) {
    throw badRequest("the request names no function: send FunctionInvocations, Invocations or Triggers");
  }
  return invokeRequest({
    organizationId,
    spaceId: scope.spaceId,
    unitId: query.unit_id,
    revisionId: query.revision_id,
    dryRun: query.dry_run === "true",
    changeSetId: query.change_set_id ?? null,
    where: nonEmpty(query.where),
    filterId: query.filter,
    whereData: nonEmpty(query.where_data),
    resourceType: nonEmpty(query.resource_type),
    toolchain,
    bridgeWorkerId:
      body.BridgeWorkerID === undefined || body.BridgeWorkerID === NIL_UUID ? undefined : body.BridgeWorkerID,
    invocations,
    invocationIds,
    triggerIds,
    options: {
      numFilters: body.NumFilters ?? 0,
      stopOnError: body.StopOnError ?? false,
      combineValidationResults: body.CombineValidationResults ?? body.CombineResults ?? false,
      castStringArgsToScalars: body.CastStringArgsToScalars ?? true,
    },
    changeDescription: body.ChangeDescription ?? "",
    subgroup: query.subgroup ?? "",
  });
}

function rejectUnsupported(body: FunctionInvocationsRequestBody): void {
  if (body.OnLiveState === true) {
    throw badRequest("body/OnLiveState is not supported: Units have no live state to run on");
  }
  if (body.UpdateApplyGates === true) {
    throw badRequest(
      "body/UpdateApplyGates is not supported: ApplyGates follow the Space's Mutation triggers on every data change",
    );
  }
  if (body.WhereResource) throw badRequest("body/WhereResource is not supported: leave it empty");
  (body.FunctionInvocations ?? []).forEach((invocation, i) => {
    const where = `body/FunctionInvocations/${i} (${invocation.FunctionName})`;
    if (invocation.WhereResource)
      throw badRequest(`${where}: WhereResource is not supported: leave it empty`);
    (invocation.Arguments ?? []).forEach((argument, j) => {
      if (argument.Evaluator)
        throw badRequest(`${where}: Arguments/${j}/Evaluator is not supported: leave it empty`);
    });
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

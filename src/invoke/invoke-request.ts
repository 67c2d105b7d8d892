// An invocation as the pipeline runs it: which Units (scope, unit/revision, where, saved Filter,
// data conditions), which functions (explicit, saved Invocations and Triggers by ID), how
// (engine options, dry run, ChangeSet), and what the written Revisions record. `invokeRequest`
// fills in the defaults, so a script states only what it needs; the API builds one from the
// query string and body (src/api/routes/invoke-request.ts).
import { DEFAULT_TOOLCHAIN } from "../engine/index.ts";
import type { ExecuteOptions, FunctionInvocation, ToolchainType } from "../engine/index.ts";

export interface InvokeRequest {
  readonly organizationId: string;
  readonly spaceId: string | undefined;
  readonly unitId: string | undefined;
  readonly revisionId: string | undefined;
  readonly dryRun: boolean;
  readonly changeSetId: string | null;
  readonly where: string | undefined;
  readonly filterId: string | undefined;
  readonly whereData: string | undefined;
  readonly resourceType: string | undefined;
  readonly toolchain: ToolchainType;
  /** The bridge worker the explicit invocations run on; undefined: the built-in functions. */
  readonly bridgeWorkerId: string | undefined;
  readonly invocations: readonly FunctionInvocation[];
  readonly invocationIds: readonly string[];
  readonly triggerIds: readonly string[];
  readonly options: Required<ExecuteOptions>;
  readonly changeDescription: string;
  readonly subgroup: string;
}

/** What a caller states; everything else takes the default (org-wide, writing, Kubernetes/YAML). */
export type InvokeRequestInit = Pick<InvokeRequest, "organizationId"> &
  Partial<Omit<InvokeRequest, "organizationId" | "options">> & { readonly options?: ExecuteOptions };

export { DEFAULT_TOOLCHAIN };

export function invokeRequest(init: InvokeRequestInit): InvokeRequest {
  const options = init.options ?? {};
  return {
    organizationId: init.organizationId,
    spaceId: init.spaceId,
    unitId: init.unitId,
    revisionId: init.revisionId,
    dryRun: init.dryRun ?? false,
    changeSetId: init.changeSetId ?? null,
    where: init.where,
    filterId: init.filterId,
    whereData: init.whereData,
    resourceType: init.resourceType,
    toolchain: init.toolchain ?? DEFAULT_TOOLCHAIN,
    bridgeWorkerId: init.bridgeWorkerId,
    invocations: init.invocations ?? [],
    invocationIds: init.invocationIds ?? [],
    triggerIds: init.triggerIds ?? [],
    options: {
      numFilters: options.numFilters ?? 0,
      stopOnError: options.stopOnError ?? false,
      combineValidationResults: options.combineValidationResults ?? false,
      castStringArgsToScalars: options.castStringArgsToScalars ?? true,
    },
    changeDescription: init.changeDescription ?? "",
    subgroup: init.subgroup ?? "",
  };
}

/** Whether a run of this request can write (and so needs write permission). */
export function mayWrite(request: Pick<InvokeRequest, "dryRun" | "revisionId">): boolean {
  return !request.dryRun && request.revisionId === undefined;
}

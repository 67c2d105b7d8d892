// Runs the engine on one Unit (or one of its Revisions), with the Unit's FunctionContext, and
// reconstructs from the engine's step reports the list of invocations that ran, which the
// Mutation record keeps (its ResourceMutationList's Index values point into that list).
import type { ConfigDocumentSet } from "../config/index.ts";
import type {
  ExecuteOptions,
  ExecutionResult,
  RemoteExecutor,
  FunctionContext,
  FunctionInvocation,
  FunctionLookup,
  SavedInvocation,
  ToolchainType,
} from "../engine/index.ts";
import { execute, NIL_UUID } from "../engine/index.ts";
import type { SelectedUnit } from "../store/index.ts";

/** What the engine runs on: a Unit row (with its Space's slug) and the data and Revision chosen. */
export interface UnitRunTarget {
  readonly unit: Omit<SelectedUnit, "head_revision_id">;
  readonly data: string;
  /** `data` already parsed (for the data conditions), so the engine need not parse it again. */
  readonly documents?: ConfigDocumentSet;
  readonly revisionId: string | null;
  readonly revisionNum: number;
}

export interface UnitRunPlan {
  readonly toolchain: ToolchainType;
  readonly invocations: readonly FunctionInvocation[];
  readonly saved: readonly SavedInvocation[];
  /** The Space's Mutation triggers; they run only if the data changed. */
  readonly triggers: readonly SavedInvocation[];
  /** What "changed" is measured against (default: the data run on). */
  readonly changedSince?: string;
  readonly options: ExecuteOptions;
  /** The bridge worker the explicit invocations run on (undefined: built-in). */
  readonly bridgeWorkerId?: string | undefined;
  /** Hand back the edited documents (ExecutionResult.documents): a writing call derives its saved columns from them. */
  readonly returnDocuments?: boolean;
}

/**
 * Runs the plan; throws the engine's ConfigDataError when the data does not parse. Steps on a bridge
 * worker go through `workers` (without it they fail as "not available").
 */
export function runUnit(
  functions: FunctionLookup,
  target: UnitRunTarget,
  plan: UnitRunPlan,
  workers?: RemoteExecutor,
): Promise<ExecutionResult> {
  return execute({
    registry: functions,
    context: functionContext(target, plan.toolchain),
    configData: target.data,
    ...(target.documents !== undefined ? { documents: target.documents } : {}),
    invocations: plan.invocations,
    saved: plan.saved,
    triggers: plan.triggers,
    ...(plan.changedSince !== undefined ? { changedSince: plan.changedSince } : {}),
    options: plan.options,
    ...(workers ? { remote: workers } : {}),
    ...(plan.bridgeWorkerId !== undefined ? { bridgeWorkerId: plan.bridgeWorkerId } : {}),
    ...(plan.returnDocuments ? { returnDocuments: true } : {}),
  });
}

export function functionContext(target: UnitRunTarget, toolchain: ToolchainType): FunctionContext {
  const { unit } = target;
  return {
    ToolchainType: toolchain,
    UnitDisplayName: unit.display_name,
    UnitSlug: unit.slug,
    UnitID: unit.unit_id,
    UnitLabels: unit.labels,
    UnitAnnotations: unit.annotations,
    SpaceID: unit.space_id,
    SpaceSlug: unit.space_slug,
    OrganizationID: unit.organization_id,
    TargetID: unit.target_id ?? NIL_UUID,
    BridgeWorkerID: unit.bridge_worker_id ?? NIL_UUID,
    RevisionID: target.revisionId ?? NIL_UUID,
    RevisionNum: target.revisionNum,
    New: unit.live_revision_num === 0,
    PreviousContentHash: unit.content_hash,
    ApprovedBy: unit.approved_by,
  };
}

/**
 * The invocations the engine planned, in execution order (so Mutation Index values point into
 * it), without the triggers it skipped: explicit ones by position, saved ones and triggers by
 * their `source`.
 */
export function executedInvocations(
  result: ExecutionResult,
  plan: Pick<UnitRunPlan, "invocations" | "saved" | "triggers">,
): FunctionInvocation[] {
  const bySource = new Map<string, SavedInvocation>();
  for (const entry of [...plan.saved, ...plan.triggers]) if (entry.source) bySource.set(entry.source, entry);
  const list: FunctionInvocation[] = [];
  for (const step of result.steps) {
    if (step.trigger && step.status === "skipped") continue;
    const explicit = step.index < plan.invocations.length ? plan.invocations[step.index] : undefined;
    const saved = step.source === undefined ? undefined : bySource.get(step.source);
    const invocation = explicit ?? saved;
    if (invocation)
      list.push({ FunctionName: invocation.FunctionName, Arguments: invocation.Arguments ?? [] });
  }
  return list;
}

// Builds a complete FunctionContext from whatever the caller knows (the server has every field, the
// CLI only slugs), and names the instance the way ConfigHub's messages do.
import { DEFAULT_TOOLCHAIN, NIL_UUID } from "../types.ts";
import type { FunctionContext } from "../types.ts";

export function completeContext(partial: Partial<FunctionContext> = {}): FunctionContext {
  return {
    ToolchainType: partial.ToolchainType ?? DEFAULT_TOOLCHAIN,
    UnitDisplayName: partial.UnitDisplayName ?? partial.UnitSlug ?? "",
    UnitSlug: partial.UnitSlug ?? "",
    UnitID: partial.UnitID ?? NIL_UUID,
    UnitLabels: partial.UnitLabels ?? null,
    UnitAnnotations: partial.UnitAnnotations ?? null,
    SpaceID: partial.SpaceID ?? NIL_UUID,
    SpaceSlug: partial.SpaceSlug ?? "",
    OrganizationID: partial.OrganizationID ?? NIL_UUID,
    TargetID: partial.TargetID ?? NIL_UUID,
    BridgeWorkerID: partial.BridgeWorkerID ?? NIL_UUID,
    RevisionID: partial.RevisionID ?? NIL_UUID,
    RevisionNum: partial.RevisionNum ?? 0,
    New: partial.New ?? false,
    PreviousContentHash: partial.PreviousContentHash ?? 0,
    ApprovedBy: partial.ApprovedBy ?? null,
  };
}

/** `UnitID`, or `UnitID: RevisionID` when there is a revision (Go's InstanceString). */
export function instanceName(context: FunctionContext): string {
  return context.RevisionID === NIL_UUID || context.RevisionID === ""
    ? context.UnitID
    : `${context.UnitID}: ${context.RevisionID}`;
}

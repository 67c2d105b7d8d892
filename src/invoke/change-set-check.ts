// ChangeSets and writes (V26): a Unit in a ChangeSet may only be written by a call that names it
// (`change_set_id`), and a call that names one may only write that set's Units. Checked before
// anything runs, over the whole selection (data conditions included), so a mismatch is an
// InvokeError CHANGE_SET_MISMATCH (409) with nothing written rather than a half-applied change; dry runs skip the check. The pipeline checks
// each Unit again when it runs, for a Unit that changed sets in between.
import type { Kysely } from "kysely";
import { getChangeSet, type DatabaseSchema, type SelectedUnit, type UnitSelection } from "../store/index.ts";
import { matchDataConditions } from "./data-conditions.ts";
import { InvokeError } from "./errors.ts";
import type { InvokeRequest } from "./invoke-request.ts";
import type { DataCondition } from "./selection.ts";
import { streamUnits } from "./unit-stream.ts";

export async function checkChangeSet(
  db: Kysely<DatabaseSchema>,
  request: Pick<InvokeRequest, "organizationId" | "changeSetId" | "toolchain">,
  selection: UnitSelection,
  dataConditions: readonly DataCondition[],
): Promise<void> {
  const { changeSetId } = request;
  if (changeSetId !== null) await getChangeSet(db, request.organizationId, changeSetId);
  const outsiders = streamUnits(db, { ...selection, changeSetMismatch: { changeSetId } });
  for await (const unit of outsiders) {
    const data = matchDataConditions(unit.data, request.toolchain, dataConditions);
    // Data that does not parse is never written, so it cannot break the set.
    if ("matches" in data && data.matches) {
      throw new InvokeError("CHANGE_SET_MISMATCH", `Unit ${unit.slug}`, changeSetMismatch(unit, changeSetId));
    }
  }
}

export function changeSetMismatch(
  unit: Pick<SelectedUnit, "slug" | "unit_id" | "change_set_id">,
  changeSetId: string | null,
): string {
  if (unit.change_set_id === null) {
    return `Unit ${unit.slug} (${unit.unit_id}) is not in ChangeSet ${changeSetId}: nothing was written; leave it out of the selection or drop change_set_id`;
  }
  return changeSetId === null
    ? `Unit ${unit.slug} (${unit.unit_id}) is in ChangeSet ${unit.change_set_id}: writing it needs change_set_id=${unit.change_set_id}; nothing was written`
    : `Unit ${unit.slug} (${unit.unit_id}) is in ChangeSet ${unit.change_set_id}, not ${changeSetId}: nothing was written`;
}

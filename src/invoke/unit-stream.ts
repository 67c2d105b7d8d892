// Streams the selected Units from the database in keyset-paginated batches (unit_id order), so
// only one batch of Unit data is read ahead of the Units being run. A `where` with a regex must
// run under a statement timeout (withFilterBounds), and a timeout halfway through would leave an
// invocation half done: so such a filter is evaluated once, up front, for the matching IDs only,
// and the data is then read by ID.
import type { Kysely } from "kysely";
import type { CompiledWhere } from "../filter/index.ts";
import {
  withFilterBounds,
  type DatabaseSchema,
  selectUnitBatch,
  selectUnitIds,
  type SelectedUnit,
  type UnitSelection,
} from "../store/index.ts";

export const DEFAULT_BATCH_SIZE = 100;

/**
 * Resolves the filter part that needs bounds up front; the returned selection streams safely. A
 * regex the database rejects, or one that runs too long, is a FilterError: the request's fault, and
 * nothing ran yet.
 */
export async function boundedSelection(
  db: Kysely<DatabaseSchema>,
  selection: UnitSelection,
  where: readonly CompiledWhere[],
): Promise<UnitSelection> {
  if (!where.some((w) => w.usesRegex)) return selection;
  const source = where.map((w) => w.checked.source).join(" AND ");
  const unitIds = await withFilterBounds(
    db,
    { usesRegex: true },
    // The where_data pre-filters stay on the selection, applied as the Units are read by ID: only
    // the `where` needs the timeout.
    (bounded) => selectUnitIds(bounded, { ...selection, dataFilters: [] }),
    { source },
  );
  return { ...selection, filters: [], unitIds };
}

export async function* streamUnits(
  db: Kysely<DatabaseSchema>,
  selection: UnitSelection,
  batchSize = DEFAULT_BATCH_SIZE,
): AsyncGenerator<SelectedUnit> {
  const { unitIds } = selection;
  if (unitIds !== undefined) {
    // IDs resolved up front: read them a batch at a time.
    for (let start = 0; start < unitIds.length; start += batchSize) {
      const chunk = unitIds.slice(start, start + batchSize);
      yield* await selectUnitBatch(db, { ...selection, unitIds: chunk }, undefined, batchSize);
    }
    return;
  }
  let after: string | undefined;
  for (;;) {
    const batch = await selectUnitBatch(db, selection, after, batchSize);
    yield* batch;
    if (batch.length < batchSize) return;
    after = batch[batch.length - 1]!.unit_id;
  }
}

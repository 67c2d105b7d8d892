// The Unit lists (GET /api/space/{space_id}/unit and GET /api/unit): the selection of
// unit-list-selection.ts, ordered by Slug, shaped by `include` and `select`. Config data is read
// only when the caller selected Data or a data condition needs it: an organization-wide list of
// hundreds of Units asked for Slug and Labels must not ship every Unit's data out of the database.
import type { Kysely } from "kysely";
import type { FunctionLookup } from "../../engine/index.ts";
import { dataPrefilters, passesTriggers } from "../../invoke/index.ts";
import { listUnits, withFilterBounds, type DatabaseSchema } from "../../store/index.ts";
import { toWireExtendedUnit, type WireExtendedUnit } from "../wire/unit.ts";
import { RelatedLoader } from "./list-includes.ts";
import { parseListShape, returnsField, shapeList } from "./list-parameters.ts";
import { resolveUnitListSelection, unitDataMatches, type UnitListQuery } from "./unit-list-selection.ts";
import { resolveTriggerSelection } from "./unit-list-triggers.ts";

export async function listUnitsFor(
  db: Kysely<DatabaseSchema>,
  functions: FunctionLookup,
  organizationId: string,
  query: UnitListQuery,
  routeSpaceId: string | undefined,
): Promise<WireExtendedUnit[]> {
  const shape = parseListShape("Unit", query);
  const { filter, spaceId, dataConditions } = await resolveUnitListSelection(
    db,
    organizationId,
    query,
    routeSpaceId,
  );
  const byTriggers = await resolveTriggerSelection(db, organizationId, query);
  const withData = returnsField(shape, "Data") || dataConditions.length > 0 || byTriggers !== undefined;
  const units = await withFilterBounds(db, filter, (q) =>
    listUnits(q, organizationId, {
      ...(spaceId !== undefined ? { spaceId } : {}),
      // The database narrows the Units by their data first; each is still checked below.
      filters: [...filter.filters, ...dataPrefilters(dataConditions)],
      withData,
    }),
  );
  const matching = [];
  for (const unit of units) {
    const data = unit.data ?? "";
    if (!unitDataMatches(data, unit.toolchain_type, dataConditions)) continue;
    if (byTriggers !== undefined) {
      const passed = await passesTriggers(functions, { ...unit, data }, byTriggers.triggers);
      if (passed !== byTriggers.passed) continue;
    }
    matching.push(unit);
  }
  // Without data read, Data is not selected: shapeList drops the placeholder.
  const wire = matching.map((unit) => toWireExtendedUnit({ ...unit, data: unit.data ?? "" }));
  return shapeList(shape, wire, new RelatedLoader(db, organizationId));
}

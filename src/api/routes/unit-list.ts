// The Unit lists (GET /api/space/{space_id}/unit and GET /api/unit): the selection of
// unit-list-selection.ts, ordered by Slug, shaped by `include` and `select`. Config data is read
// only when the caller selected Data or a data condition needs it: an organization-wide list of
// hundreds of Units asked for Slug and Labels must not ship every Unit's data out of the database.
import type { Kysely } from "kysely";
import { listUnits, withFilterBounds, type DatabaseSchema } from "../../store/index.ts";
import { toWireExtendedUnit, type WireExtendedUnit } from "../wire/unit.ts";
import { RelatedLoader } from "./list-includes.ts";
import { parseListShape, returnsField, shapeList } from "./list-parameters.ts";
import { resolveUnitListSelection, unitDataMatches, type UnitListQuery } from "./unit-list-selection.ts";

export async function listUnitsFor(
  db: Kysely<DatabaseSchema>,
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
  const withData = returnsField(shape, "Data") || dataConditions.length > 0;
  const units = await withFilterBounds(db, filter, (q) =>
    listUnits(q, organizationId, {
      ...(spaceId !== undefined ? { spaceId } : {}),
      filters: filter.filters,
      withData,
    }),
  );
  const matching = units.filter((unit) =>
    unitDataMatches(unit.data ?? "", unit.toolchain_type, dataConditions),
  );
  // Without data read, Data is not selected: shapeList drops the placeholder.
  const wire = matching.map((unit) => toWireExtendedUnit({ ...unit, data: unit.data ?? "" }));
  return shapeList(shape, wire, new RelatedLoader(db, organizationId));
}

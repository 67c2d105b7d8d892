// Which Units an invocation runs on, resolved and checked before anything runs: the Space (404 if
// not the caller's), `where` ∧ the saved Filter's Where (a Filter of another organization is a
// 404, one that does not select Units a 400; its FromSpaceID limits the Units to that Space), the
// toolchain, `unit_id` (+ `revision_id`: that Revision's data), and the data conditions
// `where_data`/`resource_type` (the request's and the Filter's, all of which must hold). Filter
// syntax errors are FilterFieldErrors quoting the expression and naming where it came from.
import type { Kysely } from "kysely";
import type { Expression, SqlBool } from "kysely";
import {
  checkFilterField,
  compileWhere,
  prepareWhereData,
  unitCatalogue,
  type CompiledWhere,
  type PreparedWhereData,
} from "../filter/index.ts";
import {
  getFilter,
  getRevision,
  type DatabaseSchema,
  type FilterRow,
  type RevisionRow,
  getSpace,
  type UnitSelection,
  assertUnitExists,
  unitDataPrefilter,
} from "../store/index.ts";
import { InvokeError } from "./errors.ts";
import type { InvokeRequest } from "./invoke-request.ts";

/** A `where_data` condition and the resource type it looks at (`*`: every resource). */
export interface DataCondition {
  readonly whereData: PreparedWhereData;
  readonly resourceType: string;
  /** Where it came from, for messages. */
  readonly origin: string;
}

export interface ResolvedSelection {
  readonly units: UnitSelection;
  /** The compiled `where` conditions (for withFilterBounds: a regex needs a statement timeout). */
  readonly where: readonly CompiledWhere[];
  readonly dataConditions: readonly DataCondition[];
  /** With unit_id + revision_id: the Revision whose data the functions run on. */
  readonly revision: RevisionRow | undefined;
}

export async function resolveSelection(
  db: Kysely<DatabaseSchema>,
  request: InvokeRequest,
): Promise<ResolvedSelection> {
  const { organizationId, spaceId } = request;
  if (spaceId !== undefined) await getSpace(db, organizationId, spaceId);

  // A Filter with a FromSpaceID selects that Space's Units only, also organization-wide.
  let selectedSpaceId = spaceId;
  const where: CompiledWhere[] = [];
  const dataConditions: DataCondition[] = [];
  if (request.where !== undefined) where.push(compile(request.where, "querystring/where"));
  if (request.whereData !== undefined || request.resourceType !== undefined) {
    dataConditions.push(
      dataCondition(request.whereData ?? "", request.resourceType, "querystring/where_data"),
    );
  }
  if (request.filterId !== undefined) {
    const filter = await getFilter(db, organizationId, request.filterId);
    checkFilter(filter, spaceId);
    selectedSpaceId ??= filter.from_space_id ?? undefined;
    const origin = `Filter ${filter.slug}`;
    if (filter.where.trim() !== "") where.push(compile(filter.where, `${origin} Where`));
    if (filter.where_data.trim() !== "" || filter.resource_type !== "") {
      dataConditions.push(
        dataCondition(filter.where_data, filter.resource_type || undefined, `${origin} WhereData`),
      );
    }
  }

  let revision: RevisionRow | undefined;
  if (request.unitId !== undefined && spaceId !== undefined) {
    const key = { organizationId, spaceId, unitId: request.unitId };
    await assertUnitExists(db, key);
    if (request.revisionId !== undefined) revision = await getRevision(db, key, request.revisionId);
  }

  const filters: Expression<SqlBool>[] = where.map((w) => w.expression);
  return {
    units: {
      organizationId,
      ...(selectedSpaceId !== undefined ? { spaceId: selectedSpaceId } : {}),
      ...(request.unitId !== undefined ? { unitId: request.unitId } : {}),
      toolchainType: request.toolchain,
      filters,
      // A Revision run matches the Revision's data, which the Unit's stored values do not describe.
      dataFilters: revision === undefined ? dataPrefilters(dataConditions) : [],
    },
    where,
    dataConditions,
    revision,
  };
}

function checkFilter(filter: FilterRow, spaceId: string | undefined): void {
  if (filter.from !== "Unit") {
    throw new InvokeError(
      "FILTER_NOT_FOR_UNITS",
      `Filter ${filter.slug}`,
      `Filter ${filter.slug} selects ${filter.from} entities; functions run on Units: use a Filter From Unit`,
    );
  }
  if (spaceId !== undefined && filter.from_space_id !== null && filter.from_space_id !== spaceId) {
    throw new InvokeError(
      "FILTER_SPACE_MISMATCH",
      `Filter ${filter.slug}`,
      `Filter ${filter.slug} is for Space ${filter.from_space_id} (FromSpaceID); this invocation is in Space ${spaceId}`,
    );
  }
}

function compile(source: string, origin: string): CompiledWhere {
  return checkFilterField(origin, () => compileWhere(source, unitCatalogue));
}

/**
 * The database's share of the data conditions: what it can decide of them narrows the Units read
 * (never below those that match); each Unit read is still checked exactly (matchDataConditions).
 */
export function dataPrefilters(conditions: readonly DataCondition[]): Expression<SqlBool>[] {
  return conditions.flatMap(
    (condition) => unitDataPrefilter(condition.whereData, condition.resourceType) ?? [],
  );
}

export function dataCondition(
  source: string,
  resourceType: string | undefined,
  origin: string,
): DataCondition {
  const whereData = checkFilterField(origin, () => prepareWhereData(source));
  return { whereData, resourceType: resourceType ?? "*", origin };
}

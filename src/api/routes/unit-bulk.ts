// Bulk Unit operations on /api/unit, ConfigHub's BulkCreateUnits (clone), BulkPatchUnits and
// BulkDeleteUnits: the Units of the caller's organization selected by `where` ∧ `contains` ∧ the
// saved Filter `filter` (resolved as for the Unit list, routes/unit-list-selection.ts).
//
// - Selection: at least one of where/contains/filter (SELECTION_REQUIRED: a bare call would touch
//   every Unit), at most MAX_BULK_UNITS Units, or Units to create (SELECTION_TOO_LARGE, refused
//   before anything is written; ConfigHub does not paginate writes), and a selection that matches
//   nothing is a 404 (NOTHING_SELECTED) naming it, not an empty 200 that reads as success.
// - Every Unit is written in its own transaction by the same store calls as the single-Unit routes
//   (createUnit / modifyUnit / deleteUnit, so Data writes go through writeUnitData and the Space's
//   triggers): one Unit's failure is its element's Error and leaves that Unit as it was, the others
//   go ahead. 200 when every element succeeded, 207 (Multi-Status) otherwise, all-failed included.
// - PATCH guards each Unit by the Version read when it was selected (or the body's Version), so a
//   Unit changed in between is a 409 element, never a lost update.
// - Elements carry the Unit without its Data (GET it): a bulk answer stays small whatever the Units hold.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import {
  checkFilterField,
  compileWhere,
  listFilters,
  listQuerySchema,
  spaceCatalogue,
} from "../../filter/index.ts";
import { InvokeError, type EnginePool } from "../../invoke/index.ts";
import {
  StoreError,
  createUnit,
  deleteUnit,
  findUnitBySlug,
  getChangeSet,
  getFilter,
  getUnit,
  listSpaces,
  modifyUnit,
  selectBulkUnits,
  withFilterBounds,
  type BulkUnitRef,
  type DataChangeHook,
  type DatabaseSchema,
  type DuplicateSlugError,
  type UnitAttributes,
  type UnitDataColumns,
  type UnitRecord,
} from "../../store/index.ts";
import { ApiError, badRequest, nothingSelected, selectionRequired, selectionTooLarge } from "../errors.ts";
import { describeError } from "../plugins/error-handler.ts";
import { dataCheckPerToolchain, decodeDataText } from "../unit-data.ts";
import { slugSchema, uuidSchema } from "../wire/common.ts";
import { patchUnitBodySchema, toWireUnit, type WireUnit } from "../wire/unit.ts";
import type { WireBulkError, WireUnitCreateOrUpdateResponse } from "../wire/unit-bulk.ts";
import { writeContext } from "./request-context.ts";
import { errorResponses, type DeleteResponse } from "./responses.ts";
import { resolveUnitListSelection, unitListQuerySchema } from "./unit-list-selection.ts";
import {
  checkToolchainUnchanged,
  mergeWritable,
  unitAttributes,
  writableView,
  type UnitBody,
  type UnitUpdateBody,
} from "./unit-writable.ts";

/** The most Units one bulk call may change (or create, for a clone over several Spaces and prefixes). */
export const MAX_BULK_UNITS = 1000;
/** The most name prefixes one bulk create may list. */
export const MAX_NAME_PREFIXES = 100;

const SLUG = new RegExp(slugSchema.pattern);
const PREFIX = /^[A-Za-z0-9][-_.A-Za-z0-9]*$/;

interface SelectionQuery {
  readonly where?: string;
  readonly contains?: string;
  readonly filter?: string;
}
interface CloneQuery extends SelectionQuery {
  readonly name_prefixes?: string;
  readonly where_space?: string;
  readonly filter_space?: string;
  readonly allow_exists?: "true" | "false";
}

const unitQuery = listQuerySchema("Unit");
const selectionProperties = {
  where: unitQuery.properties.where,
  contains: unitQuery.properties.contains,
  filter: unitListQuerySchema.properties.filter,
};
const selectionQuerySchema = { type: "object", properties: selectionProperties } as const;
const cloneQuerySchema = {
  type: "object",
  properties: {
    ...selectionProperties,
    name_prefixes: {
      type: "string",
      maxLength: 8192,
      description:
        "Comma-separated prefixes: each selected Unit is cloned once per prefix (and per destination " +
        `Space), as <prefix><slug>. At most ${MAX_NAME_PREFIXES}; each starts with a letter or digit.`,
    },
    where_space: {
      ...listQuerySchema("Space").properties.where,
      description:
        "Filter expression over Space attributes selecting the destination Spaces; without it each " +
        "clone goes into its source's Space (then name_prefixes is required). See docs/filters.md.",
    },
    filter_space: {
      ...uuidSchema,
      description:
        "The ID of a saved Filter From Space of the caller's organization selecting the destination " +
        "Spaces; its Where is AND-ed with where_space.",
    },
    allow_exists: {
      type: "string",
      enum: ["true", "false"],
      description:
        "true: a clone whose Slug already exists in its destination Space is a success that returns " +
        "the existing Unit, unchanged. Default false (a 409 element).",
    },
  },
} as const;

const bulkResponses = (items: string) => {
  const list = { type: "array", items: { $ref: `${items}#` } } as const;
  return { 200: list, 207: list, ...errorResponses(403, 409, 422) };
};

export interface UnitBulkRoutesOptions {
  readonly db: Kysely<DatabaseSchema>;
  /** Runs the Space's Mutation triggers inside every Data write (createTriggerHook). */
  readonly dataChangeHook: DataChangeHook;
  /** The engine threads, which check large Data off the main thread (dataCheckPerToolchain). */
  readonly enginePool?: EnginePool | undefined;
}

export async function unitBulkRoutes(
  app: FastifyInstance,
  { db, dataChangeHook, enginePool }: UnitBulkRoutesOptions,
): Promise<void> {
  const tags = ["Unit"];

  /** The selected Units, bounded, refusing an empty or missing selection. */
  async function selectUnits(
    organizationId: string,
    query: SelectionQuery,
    what: string,
  ): Promise<BulkUnitRef[]> {
    const given = (["where", "contains", "filter"] as const).filter(
      (name) => (query[name] ?? "").trim() !== "",
    );
    if (given.length === 0) {
      throw selectionRequired(
        `querystring: ${what} needs where, contains or filter to select the Units; ` +
          "it would otherwise apply to every Unit of the organization",
      );
    }
    const selection = {
      ...(query.where !== undefined ? { where: query.where } : {}),
      ...(query.contains !== undefined ? { contains: query.contains } : {}),
      ...(query.filter !== undefined ? { filter: query.filter } : {}),
    };
    const { filter, spaceId } = await resolveUnitListSelection(db, organizationId, selection, undefined);
    const units = await withFilterBounds(db, filter, (q) =>
      selectBulkUnits(
        q,
        { organizationId, ...(spaceId !== undefined ? { spaceId } : {}), filters: filter.filters },
        MAX_BULK_UNITS + 1,
      ),
    );
    const described = given.map((name) => `${name} ${JSON.stringify(query[name])}`).join(", ");
    if (units.length > MAX_BULK_UNITS) {
      throw selectionTooLarge(
        `querystring: ${described} selects more than ${MAX_BULK_UNITS} Units, the most one ${what} may ` +
          "change; nothing was changed: narrow the selection and repeat in parts",
      );
    }
    if (units.length === 0) {
      throw nothingSelected(
        `querystring: ${described} selects no Unit of the organization; nothing was changed`,
      );
    }
    return units;
  }

  /** The Error of one element, from whatever kept that Unit from being written. */
  function elementError(
    request: FastifyRequest,
    error: unknown,
    unit: { readonly id?: string; readonly slug: string; readonly spaceSlug: string },
    action: string,
  ): WireBulkError {
    const cause = error instanceof Error ? error : new Error(String(error));
    const { status, message } = describeError(cause, request);
    if (status >= 500) request.log.error({ err: cause, unit: unit.id }, "bulk element failed");
    return {
      Message: `${action} Unit ${unit.slug} of Space ${unit.spaceSlug}: ${message}`,
      Details: [message],
      Status: status,
      Type: errorType(cause, status),
      ErrorCategory:
        status >= 500 ? "internal" : status === 409 ? "conflict" : status === 422 ? "data" : "request",
      ErrorMetadata: {
        ...(unit.id !== undefined ? { EntityID: unit.id } : {}),
        EntitySlug: unit.slug,
        EntityType: "Unit",
      },
    };
  }

  app.post<{ Querystring: CloneQuery; Body: UnitUpdateBody }>(
    "/unit",
    {
      schema: {
        operationId: "BulkCreateUnits",
        summary: "Clone the selected Units (per destination Space and name prefix)",
        description:
          "Each Unit selected by where/contains/filter is cloned into every Space selected by " +
          "where_space (its own Space without it), once per name prefix, as <prefix><slug>. A clone " +
          "starts from its source's DisplayName, Labels, Annotations and Data (Revision 1, Source " +
          "CloneUnit, Upstream* naming the source at its head Revision); the body, a JSON merge patch, " +
          `is applied to each. At most ${MAX_BULK_UNITS} clones per call. 200 when all were created, ` +
          "207 otherwise, one element per clone.",
        tags,
        consumes: ["application/merge-patch+json", "application/json"],
        querystring: cloneQuerySchema,
        body: patchUnitBodySchema,
        response: bulkResponses("UnitCreateOrUpdateResponse"),
      },
      // The body is optional (ConfigHub's requestBody is not required): none patches nothing.
      preValidation: async (request) => {
        if (request.body === undefined) request.body = {};
      },
    },
    async (request, reply) => {
      const { organizationId } = request.principal;
      const { query } = request;
      const patch = request.body;
      const prefixes = namePrefixes(query.name_prefixes);
      if (query.where_space === undefined && query.filter_space === undefined && prefixes === undefined) {
        throw badRequest(
          "querystring: a bulk create needs name_prefixes, where_space or filter_space: a clone in its " +
            "source's Space under the source's slug would collide with the source",
        );
      }
      const data = typeof patch.Data === "string" ? decodeDataText(patch.Data) : undefined;
      const checkData = data === undefined ? undefined : dataCheckPerToolchain(data, enginePool);
      if (typeof patch.ChangeSetID === "string") await getChangeSet(db, organizationId, patch.ChangeSetID);
      const spaces = await destinationSpaces(organizationId, query.where_space, query.filter_space);
      const sources = await selectUnits(organizationId, query, "bulk create");
      const clones = sources.length * (spaces?.length ?? 1) * (prefixes?.length ?? 1);
      if (clones > MAX_BULK_UNITS) {
        throw selectionTooLarge(
          `querystring: ${sources.length} Units × ${spaces?.length ?? 1} Spaces × ${prefixes?.length ?? 1} ` +
            `name prefixes make ${clones} clones, more than the ${MAX_BULK_UNITS} one bulk create may make; ` +
            "nothing was created",
        );
      }
      const context = writeContext(request, dataChangeHook);
      const elements: WireUnitCreateOrUpdateResponse[] = [];
      for (const ref of sources) {
        let source: UnitRecord;
        try {
          source = await getUnit(db, { organizationId, spaceId: ref.space_id, unitId: ref.unit_id });
        } catch (error) {
          // Deleted since it was selected: every clone of it fails alike.
          const failure = elementError(request, error, sourceOf(ref), "cloning");
          for (let n = 0; n < (spaces?.length ?? 1) * (prefixes?.length ?? 1); n += 1) {
            elements.push({ Error: failure });
          }
          continue;
        }
        for (const space of spaces ?? [{ space_id: source.space_id, slug: source.space_slug }]) {
          for (const prefix of prefixes ?? [""]) {
            let slug = `${prefix}${source.slug}`;
            try {
              checkToolchainUnchanged(source, patch);
              const dataColumns = await checkData?.(source.toolchain_type);
              const planned = planClone(source, patch, dataColumns, prefix);
              slug = planned.attributes.slug;
              const { unit } = await createUnit(
                db,
                organizationId,
                space.space_id,
                {
                  toolchainType: source.toolchain_type,
                  data: planned.data,
                  ...(planned.dataColumns ? { dataColumns: planned.dataColumns } : {}),
                  attributes: planned.attributes,
                  source: "CloneUnit",
                  upstream: {
                    organizationId: source.organization_id,
                    spaceId: source.space_id,
                    unitId: source.unit_id,
                    revisionNum: source.head_revision_num,
                  },
                },
                context,
              );
              elements.push({ Unit: withoutData(unit) });
            } catch (error) {
              if (query.allow_exists === "true" && isDuplicateSlug(error)) {
                const existing = await findUnitBySlug(db, organizationId, space.space_id, slug);
                if (existing) {
                  elements.push({ Unit: withoutData(existing) });
                  continue;
                }
              }
              elements.push({
                Error: elementError(
                  request,
                  error,
                  { slug, spaceSlug: space.slug },
                  `cloning ${source.space_slug}/${source.slug} as`,
                ),
              });
            }
          }
        }
      }
      return reply.code(elements.some((e) => e.Error) ? 207 : 200).send(elements);
    },
  );

  app.patch<{ Querystring: SelectionQuery; Body: UnitUpdateBody }>(
    "/unit",
    {
      schema: {
        operationId: "BulkPatchUnits",
        summary: "Apply a JSON merge patch to every selected Unit",
        description:
          "The body (JSON merge patch: Labels, Annotations, DisplayName, LastChangeDescription, gates, " +
          "ChangeSetID, Data...) is applied to each Unit selected by where/contains/filter, each in its own " +
          "transaction and guarded by the Version read when it was selected (or the body's Version): a " +
          `Unit changed meanwhile is a 409 element. A Data change writes one Revision per Unit. At most ${MAX_BULK_UNITS} ` +
          "Units. 200 when all were patched, 207 otherwise, one element per Unit.",
        tags,
        consumes: ["application/merge-patch+json", "application/json"],
        querystring: selectionQuerySchema,
        body: patchUnitBodySchema,
        response: bulkResponses("UnitCreateOrUpdateResponse"),
      },
    },
    async (request, reply) => {
      const { organizationId } = request.principal;
      const patch = request.body;
      const data = typeof patch.Data === "string" ? decodeDataText(patch.Data) : undefined;
      const checkData = data === undefined ? undefined : dataCheckPerToolchain(data, enginePool);
      if (typeof patch.ChangeSetID === "string") await getChangeSet(db, organizationId, patch.ChangeSetID);
      const units = await selectUnits(organizationId, request.query, "bulk patch");
      const context = writeContext(request, dataChangeHook);
      const elements: WireUnitCreateOrUpdateResponse[] = [];
      for (const ref of units) {
        try {
          const key = { organizationId, spaceId: ref.space_id, unitId: ref.unit_id };
          // Checked before the Unit's transaction (a Unit's toolchain never changes).
          checkToolchainUnchanged(ref, patch);
          const dataColumns = await checkData?.(ref.toolchain_type);
          const { unit } = await modifyUnit(db, key, context, (current) => ({
            expectedVersion: patch.Version ?? ref.version,
            ...planPatch(current, patch, dataColumns),
            source: "PatchUnit",
          }));
          elements.push({ Unit: withoutData(unit) });
        } catch (error) {
          elements.push({ Error: elementError(request, error, sourceOf(ref), "patching") });
        }
      }
      return reply.code(elements.some((e) => e.Error) ? 207 : 200).send(elements);
    },
  );

  app.delete<{ Querystring: SelectionQuery }>(
    "/unit",
    {
      schema: {
        operationId: "BulkDeleteUnits",
        summary: "Delete every selected Unit",
        description:
          "Deletes each Unit selected by where/contains/filter with its Revisions and Mutations, each in " +
          `its own transaction; a Unit with DeleteGates is a 422 element and stays. At most ${MAX_BULK_UNITS} ` +
          "Units. 200 when all were deleted, 207 otherwise, one element per Unit.",
        tags,
        querystring: selectionQuerySchema,
        response: bulkResponses("DeleteResponse"),
      },
    },
    async (request, reply) => {
      const { organizationId } = request.principal;
      const units = await selectUnits(organizationId, request.query, "bulk delete");
      const elements: DeleteResponse[] = [];
      for (const ref of units) {
        const name = `Unit ${ref.slug} (${ref.unit_id}) of Space ${ref.space_slug}`;
        try {
          await deleteUnit(db, { organizationId, spaceId: ref.space_id, unitId: ref.unit_id });
          elements.push({ Message: `${name} deleted` });
        } catch (error) {
          const failure = elementError(request, error, sourceOf(ref), "deleting");
          elements.push({ Message: `${name} not deleted`, Error: failure });
        }
      }
      return reply.code(elements.some((e) => e.Error) ? 207 : 200).send(elements);
    },
  );

  /** The Spaces `where_space` ∧ `filter_space` select (undefined without either), bounded like the Units. */
  async function destinationSpaces(
    organizationId: string,
    whereSpace: string | undefined,
    filterSpace: string | undefined,
  ): Promise<{ space_id: string; slug: string }[] | undefined> {
    if (whereSpace === undefined && filterSpace === undefined) return undefined;
    const filter = checkFilterField("querystring/where_space", () =>
      listFilters(spaceCatalogue, { where: whereSpace ?? "" }, { table: "spaces" }),
    );
    const filters = [...filter.filters];
    let usesRegex = filter.usesRegex;
    const described: string[] = whereSpace !== undefined ? [`where_space ${JSON.stringify(whereSpace)}`] : [];
    if (filterSpace !== undefined) {
      const saved = await getFilter(db, organizationId, filterSpace);
      const name = `querystring/filter_space: Filter ${saved.slug}`;
      if (saved.from !== "Space") {
        throw badRequest(
          `${name} selects ${saved.from} entities; destination Spaces need a Filter From Space`,
        );
      }
      if (saved.where_data.trim() !== "" || saved.resource_type !== "") {
        throw badRequest(`${name} has WhereData or ResourceType, which do not apply to Spaces`);
      }
      if (saved.where.trim() !== "") {
        const compiled = checkFilterField(`Filter ${saved.slug} Where`, () =>
          compileWhere(saved.where, spaceCatalogue, { table: "spaces" }),
        );
        filters.push(compiled.expression);
        usesRegex ||= compiled.usesRegex;
      }
      described.push(`filter_space ${JSON.stringify(filterSpace)}`);
    }
    const spaces = await withFilterBounds(db, { usesRegex, source: whereSpace ?? "" }, (q) =>
      listSpaces(q, organizationId, { filters }),
    );
    if (spaces.length === 0) {
      throw nothingSelected(
        `querystring: ${described.join(", ")} selects no Space of the organization; nothing was created`,
      );
    }
    if (spaces.length > MAX_BULK_UNITS) {
      throw selectionTooLarge(
        `querystring: ${described.join(", ")} selects ${spaces.length} Spaces, more than the ${MAX_BULK_UNITS} one bulk create may use`,
      );
    }
    return spaces.map((space) => ({ space_id: space.space_id, slug: space.slug }));
  }
}

function namePrefixes(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const prefixes = text.split(",").map((prefix) => prefix.trim());
  if (prefixes.length > MAX_NAME_PREFIXES) {
    throw badRequest(
      `querystring/name_prefixes lists ${prefixes.length} prefixes; the limit is ${MAX_NAME_PREFIXES}`,
    );
  }
  const bad = prefixes.find((prefix) => !PREFIX.test(prefix));
  if (bad !== undefined) {
    throw badRequest(
      `querystring/name_prefixes: prefix ${JSON.stringify(bad)} is not allowed: a prefix starts with a letter ` +
        "or digit and holds only letters, digits, '-', '_' and '.'",
    );
  }
  if (new Set(prefixes).size !== prefixes.length) {
    throw badRequest("querystring/name_prefixes lists a prefix twice: its clones would collide");
  }
  return prefixes;
}

/**
 * A clone: the source's attributes and data, the merge patch applied, the prefix prepended.
 * `dataColumns`: the body's Data, checked, with the columns the write stores (no second parse).
 */
function planClone(
  source: UnitRecord,
  patch: UnitUpdateBody,
  dataColumns: UnitDataColumns | undefined,
  prefix: string,
): { attributes: UnitAttributes; data: string; dataColumns?: UnitDataColumns } {
  const start: UnitBody = {
    Slug: source.slug,
    DisplayName: source.display_name,
    Labels: source.labels,
    Annotations: source.annotations,
    LastChangeDescription: `Clone of ${source.space_slug}/${source.slug}`,
    DeleteGates: {},
    DestroyGates: {},
  };
  const merged = mergeWritable(start, patch);
  const slug = `${prefix}${merged.Slug ?? source.slug}`;
  if (slug.length > slugSchema.maxLength || !SLUG.test(slug)) {
    throw badRequest(
      `the clone's Slug ${JSON.stringify(slug)} is not a valid Slug (at most ${slugSchema.maxLength} characters)`,
    );
  }
  return {
    attributes: unitAttributes(merged, slug),
    data: dataColumns?.data ?? source.data,
    ...(dataColumns ? { dataColumns } : {}),
  };
}

/**
 * A patched Unit's attributes and data, as the single-Unit PATCH computes them. `dataColumns`: the
 * body's Data, checked, with the columns the write stores.
 */
function planPatch(
  current: UnitRecord,
  patch: UnitUpdateBody,
  dataColumns: UnitDataColumns | undefined,
): { attributes: UnitAttributes; data?: string; dataColumns?: UnitDataColumns } {
  const now = toWireUnit(current);
  const merged = mergeWritable(writableView(now), patch);
  return {
    attributes: unitAttributes(merged, merged.Slug ?? now.Slug),
    ...(dataColumns ? { data: dataColumns.data, dataColumns } : {}),
  };
}

function withoutData(unit: UnitRecord): Omit<WireUnit, "Data"> {
  const { Data: _data, ...rest } = toWireUnit(unit);
  return rest;
}

function sourceOf(ref: BulkUnitRef): { id: string; slug: string; spaceSlug: string } {
  return { id: ref.unit_id, slug: ref.slug, spaceSlug: ref.space_slug };
}

function isDuplicateSlug(error: unknown): error is DuplicateSlugError {
  return error instanceof StoreError && error.code === "DUPLICATE_SLUG";
}

/** The stable code of the error (docs/errors.md), for the element's Type. */
function errorType(error: Error, status: number): string {
  if (error instanceof ApiError || error instanceof StoreError || error instanceof InvokeError)
    return error.code;
  if ("code" in error && typeof error.code === "string" && /^[A-Z_]+$/.test(error.code)) return error.code;
  return status >= 500 ? "INTERNAL" : "BAD_REQUEST";
}

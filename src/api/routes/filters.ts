// Filters: /api/space/{space_id}/filter[/{filter_id}] and the organization-wide /api/filter list.
// A Filter's expressions are checked when it is saved (create and patch), against the attribute
// catalogue of its `From` type, so `filter=<id>` never meets a broken one later.
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import {
  catalogues,
  catalogueFor,
  checkFilterField,
  filterCatalogue,
  prepareWhere,
  prepareWhereData,
} from "../../filter/index.ts";
import {
  NotFoundError,
  createFilter,
  deleteFilter,
  getFilter,
  listFilters,
  modifyFilter,
  type FilterAttributes,
  getSpace,
} from "../../store/index.ts";
import type { DatabaseSchema } from "../../store/index.ts";
import { badRequest } from "../errors.ts";
import {
  createFilterBodySchema,
  patchFilterBodySchema,
  toWireExtendedFilter,
  toWireFilter,
} from "../wire/filter.ts";
import { commonAttributes, type CommonBody } from "../wire/space-entity.ts";
import {
  filterEntityProperties,
  filtersSelectingEntity,
  type FilterEntityQuery,
} from "./filter-list-entity.ts";
import { savedEntityRoutes, type AttributeContext } from "./saved-entity-routes.ts";

interface FilterBody extends CommonBody {
  From: string;
  FromSpaceID?: string;
  Where?: string;
  WhereData?: string;
  ResourceType?: string;
}

export async function filterRoutes(
  app: FastifyInstance,
  { db }: { db: Kysely<DatabaseSchema> },
): Promise<void> {
  await savedEntityRoutes(app, db, {
    entity: "Filter",
    plural: "Filters",
    path: "filter",
    idParam: "filter_id",
    catalogue: filterCatalogue,
    listExtension: {
      properties: filterEntityProperties,
      narrow: (listDb, organizationId, rows, query) =>
        filtersSelectingEntity(listDb, organizationId, rows, query as FilterEntityQuery),
    },
    schemas: { create: createFilterBodySchema, patch: patchFilterBodySchema },
    writable: [
      "Slug",
      "DisplayName",
      "Labels",
      "Annotations",
      "DeleteGates",
      "From",
      "FromSpaceID",
      "Where",
      "WhereData",
      "ResourceType",
    ],
    store: {
      list: listFilters,
      get: getFilter,
      create: createFilter,
      modify: modifyFilter,
      remove: deleteFilter,
    },
    toWire: toWireFilter,
    toExtended: toWireExtendedFilter,
    attributes: (body, context) => filterAttributes(body as unknown as FilterBody, context),
  });
}

async function filterAttributes(body: FilterBody, context: AttributeContext): Promise<FilterAttributes> {
  const catalogue = catalogueFor(body.From);
  if (!catalogue) {
    throw badRequest(
      `body/From '${body.From}' is not a filterable entity type; use one of ${[...catalogues.keys()].join(", ")}`,
    );
  }
  const where = body.Where ?? "";
  if (where.trim() !== "") checkFilterField("body/Where", () => prepareWhere(where, catalogue));
  const whereData = body.WhereData ?? "";
  const resourceType = body.ResourceType ?? "";
  if (body.From !== "Unit" && (whereData !== "" || resourceType !== "")) {
    throw badRequest(
      `body/WhereData and body/ResourceType apply to Units only; this Filter is From ${body.From}`,
    );
  }
  if (whereData.trim() !== "") checkFilterField("body/WhereData", () => prepareWhereData(whereData));
  const fromSpaceId = body.FromSpaceID ?? null;
  if (fromSpaceId !== null) {
    try {
      await getSpace(context.db, context.organizationId, fromSpaceId);
    } catch (error) {
      if (error instanceof NotFoundError)
        throw badRequest(`body/FromSpaceID: Space ${fromSpaceId} not found`);
      throw error;
    }
  }
  return { ...commonAttributes(body), from: body.From, fromSpaceId, where, whereData, resourceType };
}

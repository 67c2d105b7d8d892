// The history lists: a Unit's Revisions (GET /api/space/{space_id}/unit/{unit_id}/revision), the
// organization's Revisions (GET /api/revision) and a Unit's Mutations (.../mutation), each with
// ConfigHub's list parameters (where, contains, filter, include, select: list-parameters.ts).
// Revision data is read only when Data is selected: the CLI's after-write diff asks for a few
// attributes of the history and must not download every Revision's data.
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { mutationCatalogue, revisionCatalogue } from "../../filter/index.ts";
import {
  getSpace,
  listOrganizationRevisions,
  listUnitMutations,
  listUnitRevisions,
  withFilterBounds,
  type DatabaseSchema,
  type ListedRevision,
  type UnitKey,
} from "../../store/index.ts";
import { toWireExtendedMutation } from "../wire/mutation.ts";
import { toWireExtendedRevision } from "../wire/revision.ts";
import { RelatedLoader } from "./list-includes.ts";
import {
  listParametersSchema,
  parseListShape,
  resolveListSelection,
  returnsField,
  shapeList,
  type ListParameterQuery,
} from "./list-parameters.ts";
import { errorResponses, unitParams } from "./responses.ts";

interface UnitParams {
  space_id: string;
  unit_id: string;
}

export async function revisionListRoutes(
  app: FastifyInstance,
  { db }: { db: Kysely<DatabaseSchema> },
): Promise<void> {
  const revisionList = { type: "array", items: { $ref: "ExtendedRevision#" } } as const;

  /** Revisions to the wire, with their Spaces' slugs (read once per Space). */
  const toWire = async (revisions: readonly ListedRevision[], loader: RelatedLoader) => {
    const out = [];
    for (const revision of revisions) {
      // Without data read, Data is not selected: shapeList drops the placeholder.
      const row = { ...revision, data: revision.data ?? "" };
      out.push(toWireExtendedRevision(row, await loader.spaceSlug(revision.space_id)));
    }
    return out;
  };

  app.get<{ Params: UnitParams; Querystring: ListParameterQuery }>(
    "/space/:space_id/unit/:unit_id/revision",
    {
      schema: {
        operationId: "ListExtendedRevisions",
        summary: "List a Unit's Revisions, oldest first",
        tags: ["Revision"],
        params: unitParams,
        querystring: listParametersSchema("Revision"),
        response: { 200: revisionList, ...errorResponses() },
      },
    },
    async (request) => {
      const { organizationId } = request.principal;
      const key: UnitKey = {
        organizationId,
        spaceId: request.params.space_id,
        unitId: request.params.unit_id,
      };
      const shape = parseListShape("Revision", request.query);
      const { filter } = await resolveListSelection(db, organizationId, request.query, {
        catalogue: revisionCatalogue,
        spaceId: key.spaceId,
        sql: { table: "revisions" },
      });
      const revisions = await withFilterBounds(db, filter, (q) =>
        listUnitRevisions(q, key, { filters: filter.filters, withData: returnsField(shape, "Data") }),
      );
      const loader = new RelatedLoader(db, organizationId);
      return shapeList(shape, await toWire(revisions, loader), loader);
    },
  );

  app.get<{ Querystring: ListParameterQuery }>(
    "/revision",
    {
      schema: {
        operationId: "ListAllRevisions",
        summary: "List the Revisions of every Unit of the organization (by Space, Unit and number)",
        tags: ["Revision"],
        querystring: listParametersSchema("Revision"),
        response: { 200: revisionList, ...errorResponses() },
      },
    },
    async (request) => {
      const { organizationId } = request.principal;
      const shape = parseListShape("Revision", request.query);
      const { filter, spaceId } = await resolveListSelection(db, organizationId, request.query, {
        catalogue: revisionCatalogue,
        sql: { table: "revisions" },
      });
      const filters = [...filter.filters];
      const revisions = await withFilterBounds(db, filter, (q) =>
        listOrganizationRevisions(q, organizationId, {
          filters,
          withData: returnsField(shape, "Data"),
          ...(spaceId !== undefined ? { spaceId } : {}),
        }),
      );
      const loader = new RelatedLoader(db, organizationId);
      return shapeList(shape, await toWire(revisions, loader), loader);
    },
  );

  app.get<{ Params: UnitParams; Querystring: ListParameterQuery }>(
    "/space/:space_id/unit/:unit_id/mutation",
    {
      schema: {
        operationId: "ListExtendedMutations",
        summary: "List a Unit's Mutations (the cause of each Revision), oldest first",
        tags: ["Mutation"],
        params: unitParams,
        querystring: listParametersSchema("Mutation"),
        response: { 200: { type: "array", items: { $ref: "ExtendedMutation#" } }, ...errorResponses() },
      },
    },
    async (request) => {
      const { organizationId } = request.principal;
      const key: UnitKey = {
        organizationId,
        spaceId: request.params.space_id,
        unitId: request.params.unit_id,
      };
      const shape = parseListShape("Mutation", request.query);
      const { filter } = await resolveListSelection(db, organizationId, request.query, {
        catalogue: mutationCatalogue,
        spaceId: key.spaceId,
        sql: { table: "mutations" },
      });
      const mutations = await withFilterBounds(db, filter, (q) =>
        listUnitMutations(q, key, { filters: filter.filters }),
      );
      const slug = (await getSpace(db, organizationId, key.spaceId)).slug;
      const loader = new RelatedLoader(db, organizationId);
      return shapeList(
        shape,
        mutations.map((mutation) => toWireExtendedMutation(mutation, slug)),
        loader,
      );
    },
  );
}

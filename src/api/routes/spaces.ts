// /api/space and /api/space/{space_id}: list, create, get, merge-patch and delete Spaces.
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { spaceCatalogue } from "../../filter/index.ts";
import { withFilterBounds, type DatabaseSchema } from "../../store/index.ts";
import { createSpace, deleteSpace, getSpace, listSpaces } from "../../store/index.ts";
import {
  createSpaceBodySchema,
  patchSpaceBodySchema,
  toWireExtendedSpace,
  toWireSpace,
  type WireSpace,
} from "../wire/space.ts";
import { RelatedLoader } from "./list-includes.ts";
import {
  listParametersSchema,
  parseListShape,
  resolveListSelection,
  shapeList,
  type ListParameterQuery,
} from "./list-parameters.ts";
import { errorResponses, spaceParams, type DeleteResponse } from "./responses.ts";
import { updateSpace, type SpaceUpdateBody } from "./space-update.ts";

interface SpaceParams {
  space_id: string;
}

type SpaceBody = Partial<Pick<WireSpace, "Slug" | "DisplayName" | "Labels" | "Annotations" | "DeleteGates">>;

const tags = ["Space"];

export async function spaceRoutes(
  app: FastifyInstance,
  { db }: { db: Kysely<DatabaseSchema> },
): Promise<void> {
  app.get<{ Querystring: ListParameterQuery }>(
    "/space",
    {
      schema: {
        operationId: "ListSpaces",
        summary: "List the organization's Spaces",
        tags,
        querystring: listParametersSchema("Space"),
        response: { 200: { type: "array", items: { $ref: "ExtendedSpace#" } }, ...errorResponses() },
      },
    },
    async (request) => {
      const { organizationId } = request.principal;
      const shape = parseListShape("Space", request.query);
      const { filter } = await resolveListSelection(db, organizationId, request.query, {
        catalogue: spaceCatalogue,
        sql: { table: "spaces" },
      });
      const spaces = await withFilterBounds(db, filter, (q) =>
        listSpaces(q, organizationId, { filters: filter.filters }),
      );
      return shapeList(shape, spaces.map(toWireExtendedSpace), new RelatedLoader(db, organizationId));
    },
  );

  app.post<{ Body: SpaceBody & { Slug: string } }>(
    "/space",
    {
      schema: {
        operationId: "CreateSpace",
        summary: "Create a Space",
        tags,
        body: createSpaceBodySchema,
        response: { 200: { $ref: "Space#" }, ...errorResponses(403, 409) },
      },
    },
    async (request) => {
      const { body } = request;
      const space = await createSpace(db, request.principal.organizationId, {
        slug: body.Slug,
        displayName: body.DisplayName ?? body.Slug,
        labels: body.Labels ?? {},
        annotations: body.Annotations ?? {},
        deleteGates: body.DeleteGates ?? {},
      });
      return toWireSpace(space);
    },
  );

  app.get<{ Params: SpaceParams }>(
    "/space/:space_id",
    {
      schema: {
        operationId: "GetSpace",
        summary: "Get a Space",
        tags,
        params: spaceParams,
        response: { 200: { $ref: "ExtendedSpace#" }, ...errorResponses() },
      },
    },
    async (request) =>
      toWireExtendedSpace(await getSpace(db, request.principal.organizationId, request.params.space_id)),
  );

  app.patch<{ Params: SpaceParams; Body: SpaceUpdateBody }>(
    "/space/:space_id",
    {
      schema: {
        operationId: "PatchSpace",
        summary: "Change a Space with a JSON merge patch",
        tags,
        consumes: ["application/merge-patch+json", "application/json"],
        params: spaceParams,
        body: patchSpaceBodySchema,
        response: { 200: { $ref: "Space#" }, ...errorResponses(403, 409) },
      },
    },
    (request) => updateSpace(db, request, "patch"),
  );

  app.delete<{ Params: SpaceParams; Querystring: { recursive?: boolean } }>(
    "/space/:space_id",
    {
      schema: {
        operationId: "DeleteSpace",
        summary: "Delete a Space (with its Units when recursive=true)",
        tags,
        params: spaceParams,
        querystring: {
          type: "object",
          properties: {
            recursive: {
              type: "boolean",
              default: false,
              description: "Also delete the Space's Units; without it a non-empty Space is a 409.",
            },
          },
        },
        response: { 200: { $ref: "DeleteResponse#" }, ...errorResponses(403, 409, 422) },
      },
    },
    async (request): Promise<DeleteResponse> => {
      const { space_id } = request.params;
      const { bridgeWorkerIds } = await deleteSpace(db, request.principal.organizationId, space_id, {
        recursive: request.query.recursive === true,
      });
      // Its bridge workers went with it: their streams end (on every replica).
      for (const id of bridgeWorkerIds) app.workerConnections.revoke(id);
      return { Message: `Space ${space_id} deleted` };
    },
  );
}

// Units: /api/space/{space_id}/unit[/{unit_id}] (list, create, get, merge-patch, delete) and the
// organization-wide list /api/unit. Creating a Unit writes Revision 1; a PATCH that changes Data
// writes exactly one more (Source PatchUnit); attribute-only changes write none. PATCH shares its
// logic with PUT and `restore` (unit-update.ts); the raw data routes are in unit-data-routes.ts.
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import type { EnginePool } from "../../invoke/index.ts";
import type { FunctionLookup } from "../../engine/index.ts";
import {
  type DatabaseSchema,
  getSpace,
  createUnit,
  deleteUnit,
  getUnit,
  type UnitKey,
  type DataChangeHook,
} from "../../store/index.ts";
import { checkConfigDataOffThread, decodeDataText } from "../unit-data.ts";
import { createUnitBodySchema, patchUnitBodySchema, toWireExtendedUnit, toWireUnit } from "../wire/unit.ts";
import { writeContext } from "./request-context.ts";
import { listUnitsFor } from "./unit-list.ts";
import { unitListQuerySchema, type UnitListQuery } from "./unit-list-selection.ts";
import {
  checkChangeSetReference,
  restoreQuerySchema,
  updateUnit,
  type UnitBody,
  type UnitUpdateBody,
  type UnitUpdateQuery,
} from "./unit-update.ts";
import { errorResponses, spaceParams, unitParams, type DeleteResponse } from "./responses.ts";

interface SpaceParams {
  space_id: string;
}
interface UnitParams extends SpaceParams {
  unit_id: string;
}

const tags = ["Unit"];

export interface UnitRoutesOptions {
  readonly db: Kysely<DatabaseSchema>;
  /** Runs the Space's Mutation triggers inside every Data write (createTriggerHook). */
  readonly dataChangeHook: DataChangeHook;
  /** The functions `where_trigger` runs on listed Units. */
  readonly functions: FunctionLookup;
  /** The engine threads, which check large data off the main thread (none: it is checked here). */
  readonly enginePool?: EnginePool | undefined;
}

export async function unitRoutes(
  app: FastifyInstance,
  { db, dataChangeHook, functions, enginePool }: UnitRoutesOptions,
): Promise<void> {
  const unitKey = (organizationId: string, params: UnitParams): UnitKey => ({
    organizationId,
    spaceId: params.space_id,
    unitId: params.unit_id,
  });

  app.get<{ Params: SpaceParams; Querystring: UnitListQuery }>(
    "/space/:space_id/unit",
    {
      schema: {
        operationId: "ListUnits",
        summary: "List a Space's Units, by Slug",
        tags,
        params: spaceParams,
        querystring: unitListQuerySchema,
        response: { 200: { type: "array", items: { $ref: "ExtendedUnit#" } }, ...errorResponses() },
      },
    },
    async (request) => {
      // A missing Space is a 404, not an empty list.
      await getSpace(db, request.principal.organizationId, request.params.space_id);
      return listUnitsFor(
        db,
        functions,
        request.principal.organizationId,
        request.query,
        request.params.space_id,
      );
    },
  );

  app.get<{ Querystring: UnitListQuery }>(
    "/unit",
    {
      schema: {
        operationId: "ListAllUnits",
        summary: "List the Units of every Space of the organization, by Slug",
        tags,
        querystring: unitListQuerySchema,
        response: { 200: { type: "array", items: { $ref: "ExtendedUnit#" } }, ...errorResponses() },
      },
    },
    async (request) =>
      listUnitsFor(db, functions, request.principal.organizationId, request.query, undefined),
  );

  app.post<{ Params: SpaceParams; Body: UnitBody & { Slug: string; ToolchainType: string } }>(
    "/space/:space_id/unit",
    {
      schema: {
        operationId: "CreateUnit",
        summary: "Create a Unit (writes its Revision 1)",
        tags,
        params: spaceParams,
        body: createUnitBodySchema,
        response: { 200: { $ref: "Unit#" }, ...errorResponses(403, 409, 422) },
      },
    },
    async (request) => {
      const { body } = request;
      const data = body.Data === undefined ? "" : decodeDataText(body.Data);
      const dataColumns = await checkConfigDataOffThread(data, body.ToolchainType, enginePool);
      await checkChangeSetReference(db, request.principal.organizationId, body.ChangeSetID);
      const { unit } = await createUnit(
        db,
        request.principal.organizationId,
        request.params.space_id,
        {
          toolchainType: body.ToolchainType,
          data,
          dataColumns,
          attributes: {
            slug: body.Slug,
            displayName: body.DisplayName ?? body.Slug,
            labels: body.Labels ?? {},
            annotations: body.Annotations ?? {},
            lastChangeDescription: body.LastChangeDescription ?? "",
            deleteGates: body.DeleteGates ?? {},
            destroyGates: body.DestroyGates ?? {},
            changeSetId: body.ChangeSetID ?? null,
          },
        },
        writeContext(request, dataChangeHook),
      );
      return toWireUnit(unit);
    },
  );

  app.get<{ Params: UnitParams }>(
    "/space/:space_id/unit/:unit_id",
    {
      schema: {
        operationId: "GetUnit",
        summary: "Get a Unit",
        tags,
        params: unitParams,
        response: { 200: { $ref: "ExtendedUnit#" }, ...errorResponses() },
      },
    },
    async (request) =>
      toWireExtendedUnit(await getUnit(db, unitKey(request.principal.organizationId, request.params))),
  );

  app.patch<{ Params: UnitParams; Body: UnitUpdateBody; Querystring: UnitUpdateQuery }>(
    "/space/:space_id/unit/:unit_id",
    {
      schema: {
        operationId: "PatchUnit",
        summary: "Change a Unit with a JSON merge patch (a Data change or restore writes one Revision)",
        tags,
        consumes: ["application/merge-patch+json", "application/json"],
        params: unitParams,
        querystring: restoreQuerySchema,
        body: patchUnitBodySchema,
        response: { 200: { $ref: "Unit#" }, ...errorResponses(403, 409, 413, 422) },
      },
    },
    (request) => updateUnit(db, request, dataChangeHook, "patch", enginePool),
  );

  app.delete<{ Params: UnitParams }>(
    "/space/:space_id/unit/:unit_id",
    {
      schema: {
        operationId: "DeleteUnit",
        summary: "Delete a Unit with its Revisions and Mutations",
        tags,
        params: unitParams,
        response: { 200: { $ref: "DeleteResponse#" }, ...errorResponses(403, 422) },
      },
    },
    async (request): Promise<DeleteResponse> => {
      await deleteUnit(db, unitKey(request.principal.organizationId, request.params));
      return { Message: `Unit ${request.params.unit_id} deleted` };
    },
  );
}

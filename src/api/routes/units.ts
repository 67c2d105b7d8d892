// Units: /api/space/{space_id}/unit[/{unit_id}] (list, create, get, merge-patch, delete) and the
// organization-wide list /api/unit. Creating a Unit writes Revision 1; a PATCH that changes Data
// writes exactly one more (Source PatchUnit); attribute-only changes write none.
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import type { FunctionLookup } from "../../engine/index.ts";
import {
  type DatabaseSchema,
  getChangeSet,
  getSpace,
  createUnit,
  deleteUnit,
  getUnit,
  modifyUnit,
  type UnitAttributes,
  type UnitKey,
  type DataChangeHook,
} from "../../store/index.ts";
import { badRequest } from "../errors.ts";
import { applyMergePatch, type Json } from "../merge-patch.ts";
import { checkConfigData, decodeDataText } from "../unit-data.ts";
import {
  createUnitBodySchema,
  patchUnitBodySchema,
  toWireExtendedUnit,
  toWireUnit,
  type WireUnit,
} from "../wire/unit.ts";
import { writeContext } from "./request-context.ts";
import { listUnitsFor } from "./unit-list.ts";
import { unitListQuerySchema, type UnitListQuery } from "./unit-list-selection.ts";
import { errorResponses, spaceParams, unitParams, type DeleteResponse } from "./responses.ts";

interface SpaceParams {
  space_id: string;
}
interface UnitParams extends SpaceParams {
  unit_id: string;
}

const WRITABLE = [
  "Slug",
  "DisplayName",
  "Labels",
  "Annotations",
  "LastChangeDescription",
  "DeleteGates",
  "DestroyGates",
  "ChangeSetID",
] as const;
type WritableName = (typeof WRITABLE)[number];
type UnitBody = Partial<Pick<WireUnit, WritableName | "ToolchainType" | "Data">>;
type UnitPatch = { [K in keyof UnitBody]?: UnitBody[K] | null } & { Version?: number };

const tags = ["Unit"];

export interface UnitRoutesOptions {
  readonly db: Kysely<DatabaseSchema>;
  /** Runs the Space's Mutation triggers inside every Data write (createTriggerHook). */
  readonly dataChangeHook: DataChangeHook;
  /** The functions `where_trigger` runs on listed Units. */
  readonly functions: FunctionLookup;
}

export async function unitRoutes(
  app: FastifyInstance,
  { db, dataChangeHook, functions }: UnitRoutesOptions,
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
      checkConfigData(data, body.ToolchainType);
      await checkChangeSetReference(db, request.principal.organizationId, body.ChangeSetID);
      const { unit } = await createUnit(
        db,
        request.principal.organizationId,
        request.params.space_id,
        {
          toolchainType: body.ToolchainType,
          data,
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

  app.patch<{ Params: UnitParams; Body: UnitPatch }>(
    "/space/:space_id/unit/:unit_id",
    {
      schema: {
        operationId: "PatchUnit",
        summary: "Change a Unit with a JSON merge patch (a Data change writes one Revision)",
        tags,
        consumes: ["application/merge-patch+json", "application/json"],
        params: unitParams,
        body: patchUnitBodySchema,
        response: { 200: { $ref: "Unit#" }, ...errorResponses(403, 409, 422) },
      },
    },
    async (request) => {
      const patch = request.body;
      // Decode outside the transaction; the format check needs the Unit's toolchain, so it runs inside.
      const data = typeof patch.Data === "string" ? decodeDataText(patch.Data) : undefined;
      const key = unitKey(request.principal.organizationId, request.params);
      await checkChangeSetReference(db, key.organizationId, patch.ChangeSetID);
      const { unit } = await modifyUnit(db, key, writeContext(request, dataChangeHook), (current) => {
        if (typeof patch.ToolchainType === "string" && patch.ToolchainType !== current.toolchain_type) {
          throw badRequest(
            `body/ToolchainType cannot change: the Unit is ${current.toolchain_type}; create a new Unit instead`,
          );
        }
        if (data !== undefined) checkConfigData(data, current.toolchain_type);
        const now = toWireUnit(current);
        const merged = applyMergePatch(writableView(now) as Json, pickWritable(patch) as Json) as UnitBody;
        const attributes: UnitAttributes = {
          slug: merged.Slug ?? now.Slug,
          displayName: merged.DisplayName ?? "",
          labels: merged.Labels ?? {},
          annotations: merged.Annotations ?? {},
          lastChangeDescription: merged.LastChangeDescription ?? "",
          deleteGates: merged.DeleteGates ?? {},
          destroyGates: merged.DestroyGates ?? {},
          changeSetId: merged.ChangeSetID ?? null,
        };
        return {
          ...(patch.Version !== undefined ? { expectedVersion: patch.Version } : {}),
          attributes,
          ...(data !== undefined ? { data } : {}),
          source: "PatchUnit",
        };
      });
      return toWireUnit(unit);
    },
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

function writableView(unit: WireUnit): UnitBody {
  const view: Record<string, unknown> = {};
  for (const key of WRITABLE) view[key] = unit[key];
  return view as UnitBody;
}

/** The writable members of a patch; Data, ToolchainType, Version and read-only members are handled apart. */
function pickWritable(patch: UnitPatch): UnitPatch {
  const out: Record<string, unknown> = {};
  for (const key of WRITABLE) if (key in patch) out[key] = patch[key];
  return out as UnitPatch;
}

/** A Unit may join a ChangeSet of its own organization only (a 404 otherwise, like any reference). */
async function checkChangeSetReference(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  changeSetId: string | null | undefined,
): Promise<void> {
  if (typeof changeSetId === "string") await getChangeSet(db, organizationId, changeSetId);
}

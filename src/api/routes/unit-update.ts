// The two ways a client rewrites a Unit, sharing one path into the store (modifyUnit, whose Data
// writes go through writeUnitData: one Revision and one Mutation per change, triggers run):
//   PATCH /space/{space_id}/unit/{unit_id}   JSON merge patch onto the current Unit (Version-guarded when sent)
//   PUT   /space/{space_id}/unit/{unit_id}   UpdateUnit: the whole Unit replaces the current one (Version required)
// Both take `restore` (unit-restore.ts): the data of an earlier Revision, written as a new one.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { EnginePool } from "../../invoke/index.ts";
import {
  getChangeSet,
  modifyUnit,
  type DataChangeHook,
  type DatabaseSchema,
  type UnitKey,
  type UnitModification,
} from "../../store/index.ts";
import { badRequest } from "../errors.ts";
import { checkConfigData, checkLargeDataFirst, decodeDataText } from "../unit-data.ts";
import { updateBodySchema } from "../wire/request-body.ts";
import { createUnitBodySchema, toWireUnit, type WireUnit } from "../wire/unit.ts";
import { writeContext } from "./request-context.ts";
import {
  checkToolchainUnchanged,
  mergeWritable,
  pickWritable,
  unitAttributes,
  writableView,
  type UnitBody,
  type UnitUpdateBody,
} from "./unit-writable.ts";
import { errorResponses, unitParams } from "./responses.ts";
import { parseRestoreSpec, resolveRestore, restoreQuerySchema } from "./unit-restore.ts";

export type { UnitBody, UnitUpdateBody };

export interface UnitUpdateQuery {
  restore?: string;
}
type UnitUpdateRequest = FastifyRequest<{
  Params: { space_id: string; unit_id: string };
  Body: UnitUpdateBody;
  Querystring: UnitUpdateQuery;
}>;

export { restoreQuerySchema };

/** PATCH (merge onto the current Unit) or PUT (replace it); `restore` takes an earlier Revision's data. */
export async function updateUnit(
  db: Kysely<DatabaseSchema>,
  request: UnitUpdateRequest,
  dataChangeHook: DataChangeHook,
  mode: "patch" | "put",
  enginePool?: EnginePool,
): Promise<WireUnit> {
  const { body } = request;
  // Decode outside the transaction; the format check needs the Unit's toolchain, so it runs inside,
  // but for large data, which is checked first on an engine thread (checkLargeDataFirst).
  const data = typeof body.Data === "string" ? decodeDataText(body.Data) : undefined;
  const restore = request.query.restore !== undefined ? parseRestoreSpec(request.query.restore) : undefined;
  const key: UnitKey = {
    organizationId: request.principal.organizationId,
    spaceId: request.params.space_id,
    unitId: request.params.unit_id,
  };
  await checkChangeSetReference(db, key.organizationId, body.ChangeSetID);
  const checkedFirst = restore ? undefined : await checkLargeDataFirst(db, key, data, enginePool);
  const context = writeContext(request, dataChangeHook);
  const { unit } = await modifyUnit(db, key, context, async (current, trx): Promise<UnitModification> => {
    checkToolchainUnchanged(current, body);
    const now = toWireUnit(current);
    const whole = mode === "put" ? pickWritable(body) : mergeWritable(writableView(now), body);
    const slug = whole.Slug ?? now.Slug;
    // A whole Unit without a DisplayName gets the Slug, as a new one does.
    const attributes = unitAttributes(whole, slug, mode === "put" ? slug : "");
    const version =
      body.Version !== undefined && body.Version !== null ? { expectedVersion: body.Version } : {};
    const source = mode === "put" ? "UpdateUnit" : "PatchUnit";
    if (restore) {
      // A client that read the Unit sends its Data back: that is not a second source of data.
      if (data !== undefined && data !== current.data) {
        throw badRequest(
          `body/Data and querystring/restore both give the Unit new data: send one (restore '${restore.text}')`,
        );
      }
      const revision = await resolveRestore(trx, key, current, restore);
      return {
        ...version,
        attributes,
        data: revision.data,
        source: "RestoreRevision",
        restoredRevisionNum: revision.revision_num,
      };
    }
    if (data === undefined) return { ...version, attributes, source };
    const dataColumns = checkedFirst ?? checkConfigData(data, current.toolchain_type);
    return { ...version, attributes, data, dataColumns, source };
  });
  return toWireUnit(unit);
}

/** PUT /space/{space_id}/unit/{unit_id}: ConfigHub's UpdateUnit. */
export async function unitUpdateRoutes(
  app: FastifyInstance,
  {
    db,
    dataChangeHook,
    enginePool,
  }: { db: Kysely<DatabaseSchema>; dataChangeHook: DataChangeHook; enginePool?: EnginePool | undefined },
): Promise<void> {
  app.put<{
    Params: { space_id: string; unit_id: string };
    Body: UnitUpdateBody;
    Querystring: UnitUpdateQuery;
  }>(
    "/space/:space_id/unit/:unit_id",
    {
      schema: {
        operationId: "UpdateUnit",
        summary:
          "Replace a Unit with the whole Unit sent (Version required; a Data change or restore writes one Revision)",
        tags: ["Unit"],
        params: unitParams,
        querystring: restoreQuerySchema,
        body: updateBodySchema(createUnitBodySchema),
        response: { 200: { $ref: "Unit#" }, ...errorResponses(403, 409, 413, 422) },
      },
    },
    (request) => updateUnit(db, request, dataChangeHook, "put", enginePool),
  );
}

/** A Unit may join a ChangeSet of its own organization only (a 404 otherwise, like any reference). */
export async function checkChangeSetReference(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  changeSetId: string | null | undefined,
): Promise<void> {
  if (typeof changeSetId === "string") await getChangeSet(db, organizationId, changeSetId);
}

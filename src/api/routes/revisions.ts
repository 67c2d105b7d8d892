// A Unit's history: /api/space/{space_id}/unit/{unit_id}/revision[/{revision_id}] and .../mutation,
// and the organization's Revisions (/api/revision); the lists are in revision-list.ts.
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { getRevision, getSpace } from "../../store/index.ts";
import type { DatabaseSchema, UnitKey } from "../../store/index.ts";
import { toWireExtendedRevision } from "../wire/revision.ts";
import { revisionListRoutes } from "./revision-list.ts";
import { errorResponses, revisionParams } from "./responses.ts";

interface UnitParams {
  space_id: string;
  unit_id: string;
}
interface RevisionParams extends UnitParams {
  revision_id: string;
}

export async function revisionRoutes(
  app: FastifyInstance,
  { db }: { db: Kysely<DatabaseSchema> },
): Promise<void> {
  const unitKey = (organizationId: string, params: UnitParams): UnitKey => ({
    organizationId,
    spaceId: params.space_id,
    unitId: params.unit_id,
  });
  const spaceSlug = async (key: UnitKey) => (await getSpace(db, key.organizationId, key.spaceId)).slug;

  // The lists (of a Unit's Revisions and Mutations, and of the organization's Revisions).
  await revisionListRoutes(app, { db });

  app.get<{ Params: RevisionParams }>(
    "/space/:space_id/unit/:unit_id/revision/:revision_id",
    {
      schema: {
        operationId: "GetExtendedRevision",
        summary: "Get one Revision of a Unit",
        tags: ["Revision"],
        params: revisionParams,
        response: { 200: { $ref: "ExtendedRevision#" }, ...errorResponses() },
      },
    },
    async (request) => {
      const key = unitKey(request.principal.organizationId, request.params);
      const revision = await getRevision(db, key, request.params.revision_id);
      return toWireExtendedRevision(revision, await spaceSlug(key));
    },
  );
}

// A Unit's history: /api/space/{space_id}/unit/{unit_id}/revision[/{revision_id}] and .../mutation.
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { listMutations, getRevision, listRevisions, getSpace } from "../../store/index.ts";
import type { DatabaseSchema, UnitKey } from "../../store/index.ts";
import { toWireExtendedMutation } from "../wire/mutation.ts";
import { toWireExtendedRevision } from "../wire/revision.ts";
import { errorResponses, revisionParams, unitParams } from "./responses.ts";

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

  app.get<{ Params: UnitParams }>(
    "/space/:space_id/unit/:unit_id/revision",
    {
      schema: {
        operationId: "ListExtendedRevisions",
        summary: "List a Unit's Revisions, oldest first",
        tags: ["Revision"],
        params: unitParams,
        response: { 200: { type: "array", items: { $ref: "ExtendedRevision#" } }, ...errorResponses() },
      },
    },
    async (request) => {
      const key = unitKey(request.principal.organizationId, request.params);
      const revisions = await listRevisions(db, key);
      const slug = await spaceSlug(key);
      return revisions.map((revision) => toWireExtendedRevision(revision, slug));
    },
  );

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

  app.get<{ Params: UnitParams }>(
    "/space/:space_id/unit/:unit_id/mutation",
    {
      schema: {
        operationId: "ListExtendedMutations",
        summary: "List a Unit's Mutations (the cause of each Revision), oldest first",
        tags: ["Mutation"],
        params: unitParams,
        response: { 200: { type: "array", items: { $ref: "ExtendedMutation#" } }, ...errorResponses() },
      },
    },
    async (request) => {
      const key = unitKey(request.principal.organizationId, request.params);
      const mutations = await listMutations(db, key);
      const slug = await spaceSlug(key);
      return mutations.map((mutation) => toWireExtendedMutation(mutation, slug));
    },
  );
}

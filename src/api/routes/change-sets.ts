// ChangeSets: /api/space/{space_id}/change_set[/{change_set_id}] and the organization-wide
// /api/change_set list. A Unit joins one through Unit.ChangeSetID; invocations that write it must
// then name the set (change_set_id).
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { changeSetCatalogue } from "../../filter/index.ts";
import {
  createChangeSet,
  deleteChangeSet,
  getChangeSet,
  listChangeSets,
  modifyChangeSet,
  type ChangeSetAttributes,
} from "../../store/index.ts";
import type { DatabaseSchema } from "../../store/index.ts";
import {
  createChangeSetBodySchema,
  patchChangeSetBodySchema,
  toWireChangeSet,
  toWireExtendedChangeSet,
} from "../wire/change-set.ts";
import { commonAttributes, type CommonBody } from "../wire/space-entity.ts";
import { savedEntityRoutes } from "./saved-entity-routes.ts";

export async function changeSetRoutes(
  app: FastifyInstance,
  { db }: { db: Kysely<DatabaseSchema> },
): Promise<void> {
  await savedEntityRoutes(app, db, {
    entity: "ChangeSet",
    plural: "ChangeSets",
    path: "change_set",
    idParam: "change_set_id",
    catalogue: changeSetCatalogue,
    schemas: { create: createChangeSetBodySchema, patch: patchChangeSetBodySchema },
    writable: ["Slug", "DisplayName", "Labels", "Annotations", "DeleteGates", "Description"],
    store: {
      list: listChangeSets,
      get: getChangeSet,
      create: createChangeSet,
      modify: modifyChangeSet,
      remove: deleteChangeSet,
    },
    toWire: toWireChangeSet,
    toExtended: toWireExtendedChangeSet,
    attributes: (raw): ChangeSetAttributes => {
      const body = raw as unknown as CommonBody & { Description?: string };
      return { ...commonAttributes(body), description: body.Description ?? "" };
    },
  });
}

// Triggers: /api/space/{space_id}/trigger[/{trigger_id}] and the organization-wide /api/trigger
// list. The function is resolved when the Trigger is saved: an unknown function or invalid
// arguments is a 400, and `Validating` comes from the signature. confn fires `Mutation` triggers
// (every change of a Unit's data, in the writing transaction: src/invoke/trigger-hook.ts).
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import type { FunctionRegistry } from "../../engine/index.ts";
import type { WorkerExecutor } from "../../invoke/index.ts";
import { triggerCatalogue } from "../../filter/index.ts";
import type { DatabaseSchema } from "../../store/index.ts";
import {
  createTrigger,
  deleteTrigger,
  getTrigger,
  listTriggers,
  modifyTrigger,
  type TriggerAttributes,
} from "../../store/index.ts";
import { badRequest } from "../errors.ts";
import { MUTATION_EVENT } from "../../invoke/index.ts";
import { commonAttributes } from "../wire/space-entity.ts";
import {
  createTriggerBodySchema,
  patchTriggerBodySchema,
  toWireExtendedTrigger,
  toWireTrigger,
} from "../wire/trigger.ts";
import { savedCall, type SavedCallBody } from "./saved-call.ts";
import { savedEntityRoutes } from "./saved-entity-routes.ts";
import { savedCallWorkers } from "./saved-call.ts";
import type { WorkerDispatch } from "../../invoke/index.ts";

interface TriggerBody extends SavedCallBody {
  Event: string;
  Description?: string;
  Disabled?: boolean;
  Warn?: boolean;
  InvocationID?: string;
  WhereUnit?: string;
  UnitFilterID?: string;
  OtherDataSource?: string;
}

export async function triggerRoutes(
  app: FastifyInstance,
  {
    db,
    functions,
    workerExecutor,
  }: { db: Kysely<DatabaseSchema>; functions: FunctionRegistry; workerExecutor?: WorkerExecutor | undefined },
): Promise<void> {
  await savedEntityRoutes(app, db, {
    entity: "Trigger",
    plural: "Triggers",
    path: "trigger",
    idParam: "trigger_id",
    catalogue: triggerCatalogue,
    schemas: { create: createTriggerBodySchema, patch: patchTriggerBodySchema },
    writable: [
      "Slug",
      "DisplayName",
      "Labels",
      "Annotations",
      "DeleteGates",
      "Description",
      "Event",
      "ToolchainType",
      "FunctionName",
      "Arguments",
      "Disabled",
      "Warn",
      "BridgeWorkerID",
      "InvocationID",
      "WhereUnit",
      "UnitFilterID",
      "WhereResource",
      "OtherDataSource",
    ],
    store: {
      list: listTriggers,
      get: getTrigger,
      create: createTrigger,
      modify: modifyTrigger,
      remove: deleteTrigger,
    },
    toWire: toWireTrigger,
    toExtended: toWireExtendedTrigger,
    prepare: async (body, { db: root, organizationId, spaceId, id }) => {
      const current = id === undefined ? undefined : await getTrigger(root, organizationId, id, spaceId);
      const sent = (body as { BridgeWorkerID?: string | null }).BridgeWorkerID;
      return savedCallWorkers(workerExecutor, organizationId, [sent, current?.bridge_worker_id]);
    },
    attributes: async (raw, { prepared }): Promise<TriggerAttributes> => {
      const body = raw as unknown as TriggerBody;
      if (body.Event !== MUTATION_EVENT) {
        const why =
          body.Event === "PostClone" ? "confn has no clone operation" : "it is not a ConfigHub event";
        throw badRequest(`body/Event '${body.Event}' is not supported (${why}); use ${MUTATION_EVENT}`);
      }
      rejectUnsupported(body);
      const call = await savedCall({ functions, workers: prepared as WorkerDispatch }, body);
      return {
        ...commonAttributes(body),
        ...call.attributes,
        description: body.Description ?? "",
        event: body.Event,
        disabled: body.Disabled ?? false,
        warn: body.Warn ?? false,
        validating: call.signature.Validating,
      };
    },
  });
}

function rejectUnsupported(body: TriggerBody): void {
  if (body.InvocationID !== undefined) {
    throw badRequest("body/InvocationID is not supported: name the function with FunctionName and Arguments");
  }
  if (body.WhereUnit || body.UnitFilterID !== undefined) {
    throw badRequest(
      "body/WhereUnit and body/UnitFilterID are not supported: a trigger runs on every Unit of its Space",
    );
  }
  if (body.OtherDataSource) throw badRequest("body/OtherDataSource is not supported: leave it empty");
}

// Invocations: /api/space/{space_id}/invocation[/{invocation_id}] and the organization-wide
// /api/invocation list. An Invocation calls one function (FunctionName/Arguments) or several in order
// (FunctionInvocations, invocation-calls.ts); each is checked against the registry when the
// Invocation is saved, exactly as an invoke request checks them.
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import type { FunctionRegistry } from "../../engine/index.ts";
import type { WorkerExecutor } from "../../invoke/index.ts";
import { invocationCatalogue } from "../../filter/index.ts";
import {
  createInvocation,
  deleteInvocation,
  getInvocation,
  listInvocations,
  modifyInvocation,
  type InvocationAttributes,
} from "../../store/index.ts";
import type { DatabaseSchema } from "../../store/index.ts";
import {
  createInvocationBodySchema,
  patchInvocationBodySchema,
  toWireExtendedInvocation,
  toWireInvocation,
} from "../wire/invocation.ts";
import { commonAttributes, type CommonBody } from "../wire/space-entity.ts";
import { invocationCalls, invocationPatchBase } from "./invocation-calls.ts";
import type { SavedCallBody } from "./saved-call.ts";
import { savedEntityRoutes } from "./saved-entity-routes.ts";
import { savedCallWorkers } from "./saved-call.ts";
import type { WorkerDispatch } from "../../invoke/index.ts";

export async function invocationRoutes(
  app: FastifyInstance,
  {
    db,
    functions,
    workerExecutor,
  }: { db: Kysely<DatabaseSchema>; functions: FunctionRegistry; workerExecutor?: WorkerExecutor | undefined },
): Promise<void> {
  await savedEntityRoutes(app, db, {
    entity: "Invocation",
    plural: "Invocations",
    path: "invocation",
    idParam: "invocation_id",
    catalogue: invocationCatalogue,
    schemas: { create: createInvocationBodySchema, patch: patchInvocationBodySchema },
    writable: [
      "Slug",
      "DisplayName",
      "Labels",
      "Annotations",
      "DeleteGates",
      "FunctionName",
      "Arguments",
      "FunctionInvocations",
      "ToolchainType",
      "BridgeWorkerID",
      "WhereResource",
    ],
    store: {
      list: listInvocations,
      get: getInvocation,
      create: createInvocation,
      modify: modifyInvocation,
      remove: deleteInvocation,
    },
    toWire: toWireInvocation,
    toExtended: toWireExtendedInvocation,
    prepare: async (body, { db: root, organizationId, spaceId, id }) => {
      const current = id === undefined ? undefined : await getInvocation(root, organizationId, id, spaceId);
      const sent = (body as { BridgeWorkerID?: string | null }).BridgeWorkerID;
      return savedCallWorkers(workerExecutor, organizationId, [sent, current?.bridge_worker_id]);
    },
    attributes: async (body, { prepared }): Promise<InvocationAttributes> => {
      const { calls, toolchainType, bridgeWorkerId } = await invocationCalls(
        { functions, workers: prepared as WorkerDispatch },
        body as unknown as SavedCallBody,
      );
      return {
        ...commonAttributes(body as unknown as CommonBody),
        functionInvocations: calls,
        toolchainType,
        bridgeWorkerId,
      };
    },
    patchBase: invocationPatchBase,
  });
}

// BridgeWorkers: /api/space/{space_id}/bridge_worker[/{bridge_worker_id}] and the organization-wide
// /api/bridge_worker list (the saved-entity CRUD), plus
//   POST .../bridge_worker/{id}/secret              rotate the secret (the new one is shown once)
//   GET  .../bridge_worker/{id}/status[/{status_id}] the connection history
// Create answers with the secret, once; GET never shows it. Deleting a worker, or rotating its
// secret, ends its open streams on the worker port (docs/bridge-workers.md).
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { bridgeWorkerCatalogue } from "../../filter/index.ts";
import type { WorkerConnections } from "../../invoke/index.ts";
import {
  createBridgeWorker,
  deleteBridgeWorker,
  getBridgeWorker,
  getBridgeWorkerStatus,
  listBridgeWorkerStatuses,
  listBridgeWorkers,
  modifyBridgeWorker,
  rotateBridgeWorkerSecret,
  type BridgeWorkerAttributes,
  type BridgeWorkerRow,
  type DatabaseSchema,
} from "../../store/index.ts";
import {
  createBridgeWorkerBodySchema,
  patchBridgeWorkerBodySchema,
  toWireBridgeWorker,
  toWireBridgeWorkerStatus,
  toWireExtendedBridgeWorker,
} from "../wire/bridge-worker.ts";
import { uuidSchema } from "../wire/common.ts";
import { commonAttributes, type CommonBody } from "../wire/space-entity.ts";
import { errorResponses } from "./responses.ts";
import { savedEntityRoutes } from "./saved-entity-routes.ts";

type WorkerParams = { space_id: string; bridge_worker_id: string };

const workerParams = {
  type: "object",
  properties: { space_id: uuidSchema, bridge_worker_id: uuidSchema },
  required: ["space_id", "bridge_worker_id"],
} as const;

export async function bridgeWorkerRoutes(
  app: FastifyInstance,
  { db, workerConnections }: { db: Kysely<DatabaseSchema>; workerConnections: WorkerConnections },
): Promise<void> {
  await savedEntityRoutes<BridgeWorkerRow & { readonly secret?: string }, BridgeWorkerAttributes>(app, db, {
    entity: "BridgeWorker",
    plural: "BridgeWorkers",
    path: "bridge_worker",
    idParam: "bridge_worker_id",
    catalogue: bridgeWorkerCatalogue,
    schemas: { create: createBridgeWorkerBodySchema, patch: patchBridgeWorkerBodySchema },
    writable: ["Slug", "DisplayName", "Labels", "Annotations", "DeleteGates"],
    store: {
      list: listBridgeWorkers,
      get: getBridgeWorker,
      create: createBridgeWorker,
      modify: modifyBridgeWorker,
      remove: async (database, organizationId, spaceId, id) => {
        await deleteBridgeWorker(database, organizationId, spaceId, id);
        workerConnections.revoke(id);
      },
    },
    toWire: toWireBridgeWorker,
    toExtended: toWireExtendedBridgeWorker,
    attributes: (body): BridgeWorkerAttributes => commonAttributes(body as unknown as CommonBody),
  });

  app.post<{ Params: WorkerParams }>(
    "/space/:space_id/bridge_worker/:bridge_worker_id/secret",
    {
      schema: {
        operationId: "RotateBridgeWorkerSecret",
        summary: "Replace a BridgeWorker's secret (the old one stops working; its streams end)",
        description:
          "confn only: it stores only a hash of a worker's secret, so a lost secret is replaced, not read. " +
          "The answer carries the new Secret; no later read shows it.",
        tags: ["BridgeWorker"],
        params: workerParams,
        response: { 200: { $ref: "BridgeWorker#" }, ...errorResponses(403) },
      },
    },
    async (request) => {
      const { params } = request;
      const rotated = await rotateBridgeWorkerSecret(
        db,
        request.principal.organizationId,
        params.space_id,
        params.bridge_worker_id,
      );
      workerConnections.revoke(params.bridge_worker_id);
      return toWireBridgeWorker(rotated);
    },
  );

  app.get<{ Params: WorkerParams }>(
    "/space/:space_id/bridge_worker/:bridge_worker_id/status",
    {
      schema: {
        operationId: "ListBridgeWorkerStatuses",
        summary: "A BridgeWorker's connection history (Connected, Disconnected), oldest first",
        tags: ["BridgeWorker"],
        params: workerParams,
        response: { 200: { type: "array", items: { $ref: "BridgeWorkerStatus#" } }, ...errorResponses() },
      },
    },
    async (request) => {
      const { params } = request;
      const rows = await listBridgeWorkerStatuses(
        db,
        request.principal.organizationId,
        params.space_id,
        params.bridge_worker_id,
      );
      return rows.map(toWireBridgeWorkerStatus);
    },
  );

  app.get<{ Params: WorkerParams & { status_id: string } }>(
    "/space/:space_id/bridge_worker/:bridge_worker_id/status/:status_id",
    {
      schema: {
        operationId: "GetBridgeWorkerStatus",
        summary: "One entry of a BridgeWorker's connection history",
        tags: ["BridgeWorker"],
        params: {
          type: "object",
          properties: { ...workerParams.properties, status_id: uuidSchema },
          required: [...workerParams.required, "status_id"],
        },
        response: { 200: { $ref: "BridgeWorkerStatus#" }, ...errorResponses() },
      },
    },
    async (request) => {
      const { params } = request;
      const row = await getBridgeWorkerStatus(
        db,
        request.principal.organizationId,
        params.space_id,
        params.bridge_worker_id,
        params.status_id,
      );
      return toWireBridgeWorkerStatus(row);
    },
  );
}

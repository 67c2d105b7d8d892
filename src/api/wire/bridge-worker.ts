// BridgeWorker on the wire (ConfigHub's BridgeWorker / ExtendedBridgeWorker / BridgeWorkerStatus),
// its request bodies and the row -> wire conversions. `Secret` appears only in the answers of
// create and rotation (a difference from ConfigHub, whose GET returns it too: docs/bridge-workers.md).
import type { BridgeWorkerRow, BridgeWorkerStatusRow } from "../../store/index.ts";
import { timestamp, timestampSchema, uuidSchema } from "./common.ts";
import { extendedSchema } from "./extended-schema.ts";
import { createBodySchema, patchBodySchema } from "./request-body.ts";
import { commonReadOnly, commonWritable, toWireSpaceEntity, type WireSpaceEntity } from "./space-entity.ts";

export interface WireBridgeWorker extends WireSpaceEntity {
  BridgeWorkerID: string;
  Secret?: string;
  Condition: string;
  IPAddress: string;
  LastSeenAt?: string;
  LastMessage: string;
  ProvidedInfo: Record<string, unknown>;
  EntityType: "BridgeWorker";
}

export interface WireExtendedBridgeWorker {
  BridgeWorker: WireBridgeWorker;
}

export interface WireBridgeWorkerStatus {
  BridgeWorkerStatusID: string;
  BridgeWorkerID: string;
  BridgeWorkerSlug: string;
  SpaceID: string;
  OrganizationID: string;
  IPAddress: string;
  SeenAt: string;
  Status: string;
}

const writable = { ...commonWritable } as const;

export const bridgeWorkerSchema = {
  $id: "BridgeWorker",
  type: "object",
  description: "An external process that connects over the worker port and runs the functions it registers.",
  properties: {
    BridgeWorkerID: uuidSchema,
    ...commonReadOnly,
    ...writable,
    Secret: {
      type: "string",
      description:
        "The worker's secret (Authorization: Bearer on the worker port). Returned only by create and " +
        "POST .../secret (rotation); confn stores its hash, so GET never shows it.",
    },
    Condition: {
      type: "string",
      enum: ["Ready", "NotReady", "Unresponsive", "Disconnected"],
      description: "Ready while connected and answering heartbeats; Unresponsive after a missed heartbeat.",
    },
    IPAddress: { type: "string", description: "Where the worker last connected from." },
    LastSeenAt: {
      ...timestampSchema,
      description:
        "The last connect or heartbeat answer; once the worker disconnects, the last time it posted anything (a result, a heartbeat answer).",
    },
    LastMessage: {
      type: "string",
      description: "The last heartbeat answer's message (e.g. MemoryPressure).",
    },
    ProvidedInfo: {
      type: "object",
      additionalProperties: true,
      description:
        "The WorkerInfo of the latest connect: its functions (FunctionWorkerInfo) and config types.",
    },
  },
  required: ["BridgeWorkerID", "SpaceID", "OrganizationID", "Slug", "Version"],
} as const;

export const extendedBridgeWorkerSchema = extendedSchema("BridgeWorker");

export const bridgeWorkerStatusSchema = {
  $id: "BridgeWorkerStatus",
  type: "object",
  description: "One entry of a worker's connection history.",
  properties: {
    BridgeWorkerStatusID: uuidSchema,
    BridgeWorkerID: uuidSchema,
    BridgeWorkerSlug: { type: "string" },
    SpaceID: uuidSchema,
    OrganizationID: uuidSchema,
    IPAddress: { type: "string" },
    SeenAt: timestampSchema,
    Status: { type: "string", enum: ["Connected", "Disconnected", "ActionSent", "ActionResultReceived"] },
  },
  required: ["BridgeWorkerStatusID", "BridgeWorkerID", "SeenAt", "Status"],
} as const;

export const createBridgeWorkerBodySchema = createBodySchema(bridgeWorkerSchema, writable, ["Slug"]);
export const patchBridgeWorkerBodySchema = patchBodySchema(bridgeWorkerSchema, writable, ["Slug"]);

/** The worker as the API shows it; `secret` only right after create or rotation. */
export function toWireBridgeWorker(worker: BridgeWorkerRow & { readonly secret?: string }): WireBridgeWorker {
  return {
    BridgeWorkerID: worker.bridge_worker_id,
    ...toWireSpaceEntity(worker),
    ...(worker.secret !== undefined ? { Secret: worker.secret } : {}),
    Condition: worker.condition,
    IPAddress: worker.ip_address,
    ...(worker.last_seen_at ? { LastSeenAt: timestamp(worker.last_seen_at) } : {}),
    LastMessage: worker.last_message,
    ProvidedInfo: worker.provided_info,
    EntityType: "BridgeWorker",
  };
}

export function toWireExtendedBridgeWorker(worker: BridgeWorkerRow): WireExtendedBridgeWorker {
  return { BridgeWorker: toWireBridgeWorker({ ...worker, secret: undefined }) };
}

export function toWireBridgeWorkerStatus(status: BridgeWorkerStatusRow): WireBridgeWorkerStatus {
  return {
    BridgeWorkerStatusID: status.bridge_worker_status_id,
    BridgeWorkerID: status.bridge_worker_id,
    BridgeWorkerSlug: status.bridge_worker_slug,
    SpaceID: status.space_id,
    OrganizationID: status.organization_id,
    IPAddress: status.ip_address,
    SeenAt: timestamp(status.seen_at),
    Status: status.status,
  };
}

// Unit on the wire (ConfigHub's Unit / ExtendedUnit), its request bodies and the row -> wire
// conversion. Data travels base64-encoded.
import { TOOLCHAIN_TYPES, UNIT_TOOLCHAIN_TYPES } from "../../config/index.ts";
import type { UnitRecord } from "../../store/index.ts";
import {
  annotationsSchema,
  base64Schema,
  gatesSchema,
  int64Schema,
  labelsSchema,
  optionalIds,
  slugSchema,
  stringMapSchema,
  timestamp,
  timestampSchema,
  toBase64,
  uuidListSchema,
  uuidSchema,
} from "./common.ts";
import { createBodySchema, patchBodySchema } from "./request-body.ts";
import { extendedSchema } from "./extended-schema.ts";

export interface WireUnit {
  UnitID: string;
  SpaceID: string;
  SpaceSlug: string;
  OrganizationID: string;
  Slug: string;
  DisplayName: string;
  Labels: Record<string, string>;
  Annotations: Record<string, string>;
  ToolchainType: string;
  Data: string;
  DataHash: string;
  ContentHash: number;
  LastChangeDescription: string;
  HeadRevisionNum: number;
  HeadMutationNum: number;
  LiveRevisionNum: number;
  LastAppliedRevisionNum: number;
  PreviousLiveRevisionNum: number;
  UpstreamOrganizationID?: string;
  UpstreamSpaceID?: string;
  UpstreamUnitID?: string;
  UpstreamRevisionNum: number;
  ApplyGates: Record<string, boolean>;
  ApplyWarnings: Record<string, boolean>;
  DeleteGates: Record<string, boolean>;
  DestroyGates: Record<string, boolean>;
  ApprovedBy: string[];
  FromLinkID: string[];
  Values: Record<string, string>;
  TargetID?: string;
  BridgeWorkerID?: string;
  ChangeSetID?: string;
  TargetOptions: Record<string, string>;
  ProviderType: string;
  DriftReconciliationMode: string;
  HeadUnitActionNum: number;
  HeadUnitEventNum: number;
  Version: number;
  CreatedAt: string;
  UpdatedAt: string;
  EntityType: "Unit";
}

export interface WireExtendedUnit {
  Unit: WireUnit;
}

/** Fields a client may set; the rest of unitSchema is read-only. */
const writable = {
  Slug: slugSchema,
  DisplayName: { type: "string", maxLength: 1024 },
  Labels: labelsSchema,
  Annotations: annotationsSchema,
  ToolchainType: {
    type: "string",
    // ConfigHub's toolchain types (V26). Data of a toolchain functions run on must parse in its format.
    enum: [...UNIT_TOOLCHAIN_TYPES],
    description: `Data format, e.g. Kubernetes/YAML. Fixed once the Unit exists. Functions run on ${TOOLCHAIN_TYPES.join(", ")}, whose Data must parse in that format (422 naming line and column); Data of the others is stored as text.`,
  },
  Data: { ...base64Schema, description: "The entire config data, base64-encoded." },
  LastChangeDescription: {
    type: "string",
    maxLength: 4096,
    description: "Copied into the Description of the Revision the next Data change writes.",
  },
  DeleteGates: gatesSchema,
  DestroyGates: gatesSchema,
  ChangeSetID: {
    ...uuidSchema,
    description: "The ChangeSet the Unit belongs to; writes to a member must name it (change_set_id).",
  },
} as const;

const counter = (description: string) => ({ ...int64Schema, description });

export const unitSchema = {
  $id: "Unit",
  type: "object",
  description: "One set of config data (e.g. a Kubernetes app's manifests) with its attributes.",
  properties: {
    UnitID: uuidSchema,
    SpaceID: uuidSchema,
    SpaceSlug: { type: "string" },
    OrganizationID: uuidSchema,
    ...writable,
    DataHash: { type: "string", description: "SHA-256 of Data, hexadecimal." },
    ContentHash: { type: "integer", description: "Deprecated: CRC-32 of Data as a signed 32-bit integer." },
    HeadRevisionNum: counter("Number of the newest Revision."),
    HeadMutationNum: counter("Number of the newest Mutation."),
    LiveRevisionNum: counter("Revision whose apply finished; 0 = never applied."),
    LastAppliedRevisionNum: counter("Revision most recently sent to apply; 0 = none."),
    PreviousLiveRevisionNum: counter("The live Revision before the current one; 0 = none."),
    UpstreamOrganizationID: uuidSchema,
    UpstreamSpaceID: uuidSchema,
    UpstreamUnitID: uuidSchema,
    UpstreamRevisionNum: counter("Upstream head at clone or upgrade time; 0 = not a clone."),
    ApplyGates: gatesSchema,
    ApplyWarnings: gatesSchema,
    ApprovedBy: uuidListSchema,
    FromLinkID: uuidListSchema,
    Values: stringMapSchema,
    TargetID: uuidSchema,
    BridgeWorkerID: uuidSchema,
    TargetOptions: stringMapSchema,
    ProviderType: { type: "string" },
    DriftReconciliationMode: { type: "string" },
    HeadUnitActionNum: int64Schema,
    HeadUnitEventNum: int64Schema,
    Version: { ...int64Schema, description: "Optimistic concurrency: send the value read with PATCH." },
    CreatedAt: timestampSchema,
    UpdatedAt: timestampSchema,
    EntityType: { type: "string" },
  },
  required: ["UnitID", "SpaceID", "OrganizationID", "Slug", "ToolchainType", "Version"],
} as const;

export const extendedUnitSchema = extendedSchema("Unit");

export const createUnitBodySchema = createBodySchema(unitSchema, writable, ["Slug", "ToolchainType"]);
export const patchUnitBodySchema = patchBodySchema(unitSchema, writable, ["Slug", "ToolchainType", "Data"]);

export function toWireUnit(unit: UnitRecord): WireUnit {
  return {
    UnitID: unit.unit_id,
    SpaceID: unit.space_id,
    SpaceSlug: unit.space_slug,
    OrganizationID: unit.organization_id,
    Slug: unit.slug,
    DisplayName: unit.display_name,
    Labels: unit.labels,
    Annotations: unit.annotations,
    ToolchainType: unit.toolchain_type,
    Data: toBase64(unit.data),
    DataHash: unit.data_hash,
    ContentHash: unit.content_hash,
    LastChangeDescription: unit.last_change_description,
    HeadRevisionNum: unit.head_revision_num,
    HeadMutationNum: unit.head_mutation_num,
    LiveRevisionNum: unit.live_revision_num,
    LastAppliedRevisionNum: unit.last_applied_revision_num,
    PreviousLiveRevisionNum: unit.previous_live_revision_num,
    ...optionalIds({
      UpstreamOrganizationID: unit.upstream_organization_id,
      UpstreamSpaceID: unit.upstream_space_id,
      UpstreamUnitID: unit.upstream_unit_id,
      TargetID: unit.target_id,
      BridgeWorkerID: unit.bridge_worker_id,
      ChangeSetID: unit.change_set_id,
    }),
    UpstreamRevisionNum: unit.upstream_revision_num,
    ApplyGates: unit.apply_gates,
    ApplyWarnings: unit.apply_warnings,
    DeleteGates: unit.delete_gates,
    DestroyGates: unit.destroy_gates,
    ApprovedBy: unit.approved_by,
    FromLinkID: unit.from_link_id,
    Values: unit.values,
    TargetOptions: unit.target_options,
    ProviderType: unit.provider_type,
    DriftReconciliationMode: unit.drift_reconciliation_mode,
    HeadUnitActionNum: unit.head_unit_action_num,
    HeadUnitEventNum: unit.head_unit_event_num,
    Version: unit.version,
    CreatedAt: timestamp(unit.created_at),
    UpdatedAt: timestamp(unit.updated_at),
    EntityType: "Unit",
  };
}

export function toWireExtendedUnit(unit: UnitRecord): WireExtendedUnit {
  return { Unit: toWireUnit(unit) };
}

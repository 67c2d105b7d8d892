// Revision on the wire (ConfigHub's Revision / ExtendedRevision) and the row -> wire conversion.
import type { RevisionRow } from "../../store/index.ts";
import {
  ZERO_TIME,
  base64Schema,
  gatesSchema,
  int64Schema,
  optionalIds,
  stringMapSchema,
  timestamp,
  timestampSchema,
  toBase64,
  uuidListSchema,
  uuidSchema,
} from "./common.ts";
import { extendedSchema } from "./extended-schema.ts";

/** What automated changes record as their user (ConfigHub's convention). */
export const NO_USER_ID = "00000000-0000-0000-0000-000000000000";

export interface WireRevision {
  RevisionID: string;
  RevisionNum: number;
  UnitID: string;
  SpaceID: string;
  SpaceSlug: string;
  OrganizationID: string;
  Data: string;
  DataHash: string;
  ContentHash: number;
  Description: string;
  Source: string;
  UserID: string;
  UserAgent: string;
  ApplyGates: Record<string, boolean>;
  ApplyWarnings: Record<string, boolean>;
  ApprovedBy: string[];
  ChangeSetID?: string;
  MutationSources?: unknown[];
  LiveAt: string;
  Tags: Record<string, string>;
  CreatedAt: string;
  UpdatedAt: string;
  EntityType: "Revision";
}

export interface WireExtendedRevision {
  Revision: WireRevision;
}

export const revisionSchema = {
  $id: "Revision",
  type: "object",
  description: "A historical, immutable view of a Unit's Data: one per change.",
  properties: {
    RevisionID: uuidSchema,
    RevisionNum: { ...int64Schema, description: "1 for the Unit's creation, then +1 per Data change." },
    UnitID: uuidSchema,
    SpaceID: uuidSchema,
    SpaceSlug: { type: "string" },
    OrganizationID: uuidSchema,
    Data: base64Schema,
    DataHash: { type: "string" },
    ContentHash: { type: "integer" },
    Description: {
      type: "string",
      description: "The Unit's LastChangeDescription when the change was made.",
    },
    Source: {
      type: "string",
      description: "The operation that created it: CreateUnit, PatchUnit, Invoke, ...",
    },
    UserID: {
      ...uuidSchema,
      description: "The API token that made the change; all zeros for automated changes.",
    },
    UserAgent: { type: "string" },
    ApplyGates: gatesSchema,
    ApplyWarnings: gatesSchema,
    ApprovedBy: uuidListSchema,
    ChangeSetID: uuidSchema,
    MutationSources: { type: "array", items: { type: "object", additionalProperties: true } },
    LiveAt: { ...timestampSchema, description: "When it was applied; 0001-01-01T00:00:00Z when never." },
    Tags: stringMapSchema,
    CreatedAt: timestampSchema,
    UpdatedAt: timestampSchema,
    EntityType: { type: "string" },
  },
  required: ["RevisionID", "RevisionNum", "UnitID", "SpaceID", "OrganizationID", "Source"],
} as const;

export const extendedRevisionSchema = extendedSchema("Revision");

export function toWireRevision(revision: RevisionRow, spaceSlug: string): WireRevision {
  return {
    RevisionID: revision.revision_id,
    RevisionNum: revision.revision_num,
    UnitID: revision.unit_id,
    SpaceID: revision.space_id,
    SpaceSlug: spaceSlug,
    OrganizationID: revision.organization_id,
    Data: toBase64(revision.data),
    DataHash: revision.data_hash,
    ContentHash: revision.content_hash,
    Description: revision.description,
    Source: revision.source,
    UserID: revision.user_id ?? NO_USER_ID,
    UserAgent: revision.user_agent,
    ApplyGates: revision.apply_gates,
    ApplyWarnings: revision.apply_warnings,
    ApprovedBy: revision.approved_by,
    ...optionalIds({ ChangeSetID: revision.change_set_id }),
    ...(revision.mutation_sources ? { MutationSources: revision.mutation_sources } : {}),
    LiveAt: revision.live_at ? timestamp(revision.live_at) : ZERO_TIME,
    Tags: {},
    CreatedAt: timestamp(revision.created_at),
    UpdatedAt: timestamp(revision.updated_at),
    EntityType: "Revision",
  };
}

export function toWireExtendedRevision(revision: RevisionRow, spaceSlug: string): WireExtendedRevision {
  return { Revision: toWireRevision(revision, spaceSlug) };
}

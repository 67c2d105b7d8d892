// The fields every space-scoped saved entity shares on the wire (Filter, Invocation, Trigger,
// ChangeSet): identity, Slug, DisplayName, Labels, Annotations, DeleteGates, Version and times.
import type { BoolMap, StringMap } from "../../store/index.ts";
import {
  annotationsSchema,
  gatesSchema,
  int64Schema,
  labelsSchema,
  slugSchema,
  timestamp,
  timestampSchema,
  uuidSchema,
} from "./common.ts";

/** Writable common fields; each entity adds its own. */
export const commonWritable = {
  Slug: slugSchema,
  DisplayName: { type: "string", maxLength: 1024 },
  Labels: labelsSchema,
  Annotations: annotationsSchema,
  DeleteGates: gatesSchema,
} as const;

/** Read-only common fields (besides the entity's own ID). */
export const commonReadOnly = {
  SpaceID: uuidSchema,
  OrganizationID: uuidSchema,
  Version: { ...int64Schema, description: "Optimistic concurrency: send the value read with PATCH." },
  CreatedAt: timestampSchema,
  UpdatedAt: timestampSchema,
  EntityType: { type: "string" },
} as const;

export interface WireSpaceEntity {
  SpaceID: string;
  OrganizationID: string;
  Slug: string;
  DisplayName: string;
  Labels: StringMap;
  Annotations: StringMap;
  DeleteGates: BoolMap;
  Version: number;
  CreatedAt: string;
  UpdatedAt: string;
}

export interface SpaceEntityRow {
  readonly space_id: string;
  readonly organization_id: string;
  readonly slug: string;
  readonly display_name: string;
  readonly labels: StringMap;
  readonly annotations: StringMap;
  readonly delete_gates: BoolMap;
  readonly version: number;
  readonly created_at: Date;
  readonly updated_at: Date;
}

export function toWireSpaceEntity(row: SpaceEntityRow): WireSpaceEntity {
  return {
    SpaceID: row.space_id,
    OrganizationID: row.organization_id,
    Slug: row.slug,
    DisplayName: row.display_name,
    Labels: row.labels,
    Annotations: row.annotations,
    DeleteGates: row.delete_gates,
    Version: row.version,
    CreatedAt: timestamp(row.created_at),
    UpdatedAt: timestamp(row.updated_at),
  };
}

/** The common attributes of a create body (DisplayName defaults to the Slug). */
export interface CommonBody {
  Slug: string;
  DisplayName?: string;
  Labels?: StringMap;
  Annotations?: StringMap;
  DeleteGates?: BoolMap;
}

export function commonAttributes(body: CommonBody) {
  return {
    slug: body.Slug,
    displayName: body.DisplayName ?? body.Slug,
    labels: body.Labels ?? {},
    annotations: body.Annotations ?? {},
    deleteGates: body.DeleteGates ?? {},
  };
}

// Space on the wire (ConfigHub's Space / ExtendedSpace), its request bodies and the row -> wire
// conversion.
import type { SpaceRecord } from "../../store/index.ts";
import { int64Schema, timestamp, timestampSchema, uuidSchema } from "./common.ts";
import { createBodySchema, patchBodySchema } from "./request-body.ts";
import { commonWritable } from "./space-entity.ts";

export interface WireSpace {
  SpaceID: string;
  OrganizationID: string;
  Slug: string;
  DisplayName: string;
  Labels: Record<string, string>;
  Annotations: Record<string, string>;
  DeleteGates: Record<string, boolean>;
  Version: number;
  CreatedAt: string;
  UpdatedAt: string;
  EntityType: "Space";
}

export interface WireExtendedSpace {
  Space: WireSpace;
  TotalUnitCount: number;
}

/** Fields a client may set (the same as every saved entity's); the rest of spaceSchema is read-only. */
const writable = commonWritable;

export const spaceSchema = {
  $id: "Space",
  type: "object",
  description: "A container of Units within an organization.",
  properties: {
    SpaceID: uuidSchema,
    OrganizationID: uuidSchema,
    ...writable,
    Version: { ...int64Schema, description: "Optimistic concurrency: send the value read with PATCH." },
    CreatedAt: timestampSchema,
    UpdatedAt: timestampSchema,
    EntityType: { type: "string" },
  },
  required: ["SpaceID", "OrganizationID", "Slug", "Version"],
} as const;

export const extendedSpaceSchema = {
  $id: "ExtendedSpace",
  type: "object",
  properties: {
    Space: { $ref: "Space#" },
    TotalUnitCount: { ...int64Schema, description: "Units in the Space." },
  },
  required: ["Space"],
} as const;

export const createSpaceBodySchema = createBodySchema(spaceSchema, writable, ["Slug"]);
export const patchSpaceBodySchema = patchBodySchema(spaceSchema, writable, ["Slug"]);

export function toWireSpace(space: SpaceRecord): WireSpace {
  return {
    SpaceID: space.space_id,
    OrganizationID: space.organization_id,
    Slug: space.slug,
    DisplayName: space.display_name,
    Labels: space.labels,
    Annotations: space.annotations,
    DeleteGates: space.delete_gates,
    Version: space.version,
    CreatedAt: timestamp(space.created_at),
    UpdatedAt: timestamp(space.updated_at),
    EntityType: "Space",
  };
}

export function toWireExtendedSpace(space: SpaceRecord): WireExtendedSpace {
  return { Space: toWireSpace(space), TotalUnitCount: space.total_unit_count };
}

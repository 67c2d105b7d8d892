// An API token on the wire: a confn extension (ConfigHub has no token API; docs/api-extensions.md).
// The secret is never part of it: only the create response carries it, once, beside the token.
import type { ApiTokenRow, Role } from "../../store/index.ts";
import { timestamp, timestampSchema, uuidSchema } from "./common.ts";

export interface WireApiToken {
  TokenID: string;
  OrganizationID: string;
  Role: Role;
  Description: string;
  CreatedAt: string;
  /** Absent while the token is live. */
  RevokedAt?: string;
}

const roleSchema = { type: "string", enum: ["admin", "editor", "viewer"] } as const;

export const apiTokenSchema = {
  $id: "ApiToken",
  type: "object",
  description:
    "confn extension (ConfigHub has no token API): an API token of the organization. Its secret is shown only when it is created.",
  properties: {
    TokenID: uuidSchema,
    OrganizationID: uuidSchema,
    Role: { ...roleSchema, description: "admin and editor read and write; viewer only reads." },
    Description: { type: "string", description: "Who or what uses the token." },
    CreatedAt: timestampSchema,
    RevokedAt: { ...timestampSchema, description: "When it was revoked; absent while the token is live." },
  },
  required: ["TokenID", "OrganizationID", "Role", "Description", "CreatedAt"],
} as const;

export const createdApiTokenSchema = {
  $id: "CreatedApiToken",
  type: "object",
  description: "confn extension: a new API token and its secret, which is shown this once and never stored.",
  properties: {
    Token: { $ref: "ApiToken#" },
    Secret: { type: "string", description: "The bearer token (confn_...). Only its SHA-256 is stored." },
  },
  required: ["Token", "Secret"],
} as const;

export const createApiTokenBodySchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    Role: roleSchema,
    Description: { type: "string", maxLength: 1024, description: "Who or what uses the token." },
  },
  required: ["Role"],
} as const;

export function toWireApiToken(row: Omit<ApiTokenRow, "token_hash">): WireApiToken {
  return {
    TokenID: row.token_id,
    OrganizationID: row.organization_id,
    Role: row.role,
    Description: row.description,
    CreatedAt: timestamp(row.created_at),
    ...(row.revoked_at === null ? {} : { RevokedAt: timestamp(row.revoked_at) }),
  };
}

// Response schema fragments shared by the routes: the error statuses each route documents, the
// DeleteResponse, and path parameter schemas.
import { uuidSchema } from "../wire/common.ts";

const errorRef = { $ref: "StandardErrorResponse#" } as const;

/** 400 (bad input), 401 (no or bad token) and 404 on every authenticated route, plus `extra`. */
export function errorResponses(
  ...extra: (403 | 409 | 412 | 413 | 415 | 422 | 429 | 503)[]
): Record<number, typeof errorRef> {
  const statuses = [400, 401, 404, ...extra].sort();
  return Object.fromEntries(statuses.map((status) => [status, errorRef]));
}

export const deleteResponseSchema = {
  $id: "DeleteResponse",
  type: "object",
  description:
    "Response for a delete; in a bulk delete, one per Unit, with an Error when it was not deleted.",
  properties: { Message: { type: "string" }, Error: { $ref: "ResponseError#" } },
} as const;

export interface DeleteResponse {
  Message: string;
  Error?: unknown;
}

export const spaceParams = {
  type: "object",
  properties: { space_id: uuidSchema },
  required: ["space_id"],
} as const;

export const unitParams = {
  type: "object",
  properties: { space_id: uuidSchema, unit_id: uuidSchema },
  required: ["space_id", "unit_id"],
} as const;

export const revisionParams = {
  type: "object",
  properties: { space_id: uuidSchema, unit_id: uuidSchema, revision_id: uuidSchema },
  required: ["space_id", "unit_id", "revision_id"],
} as const;

// The elements of a bulk Unit answer (POST|PATCH /api/unit): ConfigHub's UnitCreateOrUpdateResponse,
// the Unit written or the Error that kept it from being written. Bulk DELETE answers DeleteResponse
// elements (routes/responses.ts).
import type { WireUnit } from "./unit.ts";

export interface WireBulkError {
  Message: string;
  Details: string[];
  Status: number;
  Type: string;
  ErrorCategory: "request" | "data" | "conflict" | "internal";
  ErrorMetadata: { EntityID?: string; EntitySlug: string; EntityType: "Unit" };
}

export interface WireUnitCreateOrUpdateResponse {
  Unit?: Omit<WireUnit, "Data">;
  Error?: WireBulkError;
}

export const unitCreateOrUpdateResponseSchema = {
  $id: "UnitCreateOrUpdateResponse",
  type: "object",
  description:
    "One Unit of a bulk create or patch: the Unit as written (without Data, which GET returns), or " +
    "the Error that kept it from being written (nothing of that Unit was written then).",
  properties: {
    Unit: { $ref: "Unit#" },
    Error: { $ref: "ResponseError#" },
  },
} as const;

// BridgeWorker: the `where` attributes of bridge workers, over the `bridge_workers` table
// (migrations/0004_bridge_workers.ts). Secret is never filterable: only its hash is stored.
import { defineCatalogue } from "./define.ts";

export const bridgeWorkerCatalogue = defineCatalogue({
  entity: "BridgeWorker",
  table: "bridge_workers",
  attributes: {
    Annotations: "map<string>",
    BridgeWorkerID: "uuid",
    Condition: "string",
    CreatedAt: "time",
    DeleteGates: "map<bool>",
    DisplayName: "string",
    IPAddress: { type: "string", searchable: false },
    Labels: "map<string>",
    LastMessage: "string",
    LastSeenAt: "time?",
    OrganizationID: "uuid",
    Slug: "string",
    SpaceID: "uuid",
    UpdatedAt: "time",
  },
  unsupported: ["ClaimToken", "ClaimTTLSeconds", "OrgRole", "Permissions", "Secret", "UserID"],
});

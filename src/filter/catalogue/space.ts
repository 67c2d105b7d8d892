// Space: the V26 attributes that confn stores (the `spaces` table). Trigger and attribute selection
// (TriggerFilterID, TriggerIDs, ...) and Permissions are not stored yet, so naming them is a precise
// "not supported" error rather than "unknown attribute".
import { defineCatalogue } from "./define.ts";

export const spaceCatalogue = defineCatalogue({
  entity: "Space",
  table: "spaces",
  attributes: {
    Annotations: "map<string>",
    CreatedAt: "time",
    DeleteGates: "map<bool>",
    DisplayName: "string",
    Labels: "map<string>",
    OrganizationID: "uuid",
    Slug: "string",
    SpaceID: "uuid",
    UpdatedAt: "time",
  },
  unsupported: [
    "AttributeFilterID",
    "AttributeHash",
    "AttributeIDs",
    "Permissions",
    "TriggerFilterID",
    "TriggerHash",
    "TriggerIDs",
  ],
});

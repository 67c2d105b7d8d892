// Filter: ConfigHub's V26 `where` attributes for saved Filters, over the `filters` table
// (migrations/0002_saved_entities.ts).
import { defineCatalogue } from "./define.ts";

export const filterCatalogue = defineCatalogue({
  entity: "Filter",
  table: "filters",
  attributes: {
    Annotations: "map<string>",
    CreatedAt: "time",
    DeleteGates: "map<bool>",
    DisplayName: "string",
    FilterID: "uuid",
    From: "string",
    FromSpaceID: "uuid?",
    Hash: { type: "string", searchable: false },
    Labels: "map<string>",
    OrganizationID: "uuid",
    ResourceType: "string",
    Slug: "string",
    SpaceID: "uuid",
    UpdatedAt: "time",
    Where: "string",
    WhereData: "string",
  },
});

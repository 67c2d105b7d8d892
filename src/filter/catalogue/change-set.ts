// ChangeSet: ConfigHub's V26 `where` attributes for ChangeSets, over the `change_sets` table
// (migrations/0002_saved_entities.ts).
import { defineCatalogue } from "./define.ts";

export const changeSetCatalogue = defineCatalogue({
  entity: "ChangeSet",
  table: "change_sets",
  attributes: {
    Annotations: "map<string>",
    ChangeSetID: "uuid",
    CreatedAt: "time",
    DeleteGates: "map<bool>",
    Description: "string",
    DisplayName: "string",
    EndTagID: "uuid?",
    Labels: "map<string>",
    OrganizationID: "uuid",
    Slug: "string",
    SpaceID: "uuid",
    StartTagID: "uuid?",
    State: "string",
    UpdatedAt: "time",
  },
});

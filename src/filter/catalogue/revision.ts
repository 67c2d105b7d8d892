// Revision: ConfigHub's V26 `where` attributes for Revisions, over the `revisions` table
// (migrations/0001_initial.ts). Tags are not stored: confn has no Tag entities.
import { defineCatalogue } from "./define.ts";

export const revisionCatalogue = defineCatalogue({
  entity: "Revision",
  table: "revisions",
  attributes: {
    ApplyGates: "map<bool>",
    ApplyWarnings: "map<bool>",
    ApprovedBy: "array<uuid>",
    ChangeSetID: "uuid?",
    CreatedAt: "time",
    // A hex digest: matching free text against it only produces noise.
    DataHash: { type: "string", searchable: false },
    Description: "string",
    LiveAt: "time?",
    OrganizationID: "uuid",
    RevisionID: "uuid",
    RevisionNum: "int",
    Source: "string",
    SpaceID: "uuid",
    UnitID: "uuid",
    UpdatedAt: "time",
    UserAgent: "string",
    UserID: "uuid?",
  },
  unsupported: ["Tags"],
});

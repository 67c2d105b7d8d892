// Mutation: ConfigHub's V26 `where` attributes for Mutations that confn stores, over the
// `mutations` table. Merges, upgrades and Links do not exist in confn, nor an UpdatedAt (a
// Mutation never changes); FunctionName lives inside FunctionInvocations, not in a column.
import { defineCatalogue } from "./define.ts";

export const mutationCatalogue = defineCatalogue({
  entity: "Mutation",
  table: "mutations",
  attributes: {
    CreatedAt: "time",
    InvocationID: "uuid?",
    LinkID: "uuid?",
    MutationID: "uuid",
    MutationNum: "int",
    OrganizationID: "uuid",
    RestoredRevisionNum: "int?",
    RevisionID: "uuid",
    RevisionNum: "int",
    SpaceID: "uuid",
    Subgroup: "string",
    TriggerID: "uuid?",
    UnitID: "uuid",
  },
  unsupported: [
    "FunctionName",
    "MergeBaseRevisionNum",
    "MergeEndRevisionNum",
    "MergeSourceID",
    "UpdatedAt",
    "UpgradedFromUpstreamRevisionNum",
  ],
});

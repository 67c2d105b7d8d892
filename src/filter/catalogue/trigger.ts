// Trigger: ConfigHub's V26 `where` attributes for triggers. The columns follow the naming convention
// (snake_case of the attribute), so a `triggers` table built by that convention needs no mapping.
import { defineCatalogue } from "./define.ts";

export const triggerCatalogue = defineCatalogue({
  entity: "Trigger",
  table: "triggers",
  attributes: {
    Annotations: "map<string>",
    BridgeWorkerID: "uuid?",
    CreatedAt: "time",
    DeleteGates: "map<bool>",
    Description: "string",
    Disabled: "bool",
    DisplayName: "string",
    Event: "string",
    FunctionName: "string",
    Hash: { type: "string", searchable: false },
    InvocationID: "uuid?",
    Labels: "map<string>",
    OrganizationID: "uuid",
    OtherDataSource: "string",
    Slug: "string",
    SpaceID: "uuid",
    ToolchainType: "string",
    TriggerID: "uuid",
    UnitFilterID: "uuid?",
    UpdatedAt: "time",
    Validating: "bool",
    Warn: "bool",
    WhereResource: "string",
    WhereUnit: "string",
  },
});

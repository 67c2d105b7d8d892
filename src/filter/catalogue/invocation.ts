// Invocation: ConfigHub's V26 `where` attributes for saved Invocations, over the `invocations`
// table (migrations/0002_saved_entities.ts).
import { defineCatalogue } from "./define.ts";

export const invocationCatalogue = defineCatalogue({
  entity: "Invocation",
  table: "invocations",
  attributes: {
    Annotations: "map<string>",
    BridgeWorkerID: "uuid?",
    CreatedAt: "time",
    DeleteGates: "map<bool>",
    DisplayName: "string",
    FunctionName: "string",
    Hash: { type: "string", searchable: false },
    InvocationID: "uuid",
    Labels: "map<string>",
    OrganizationID: "uuid",
    Slug: "string",
    SpaceID: "uuid",
    ToolchainType: "string",
    UpdatedAt: "time",
  },
});

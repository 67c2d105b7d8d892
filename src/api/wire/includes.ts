// `include` on the list routes: the reference attributes ConfigHub lets a client expand into the
// `Extended<Entity>` wrapper, per entity, as ConfigHub names them (`include=SpaceID` adds `Space`).
// Each is either expanded by confn (the wrapper key and the schema of the related entity) or not,
// with the reason: confn has no such entities. The Extended schemas take their extra properties
// from here, so a supported expansion is always in the OpenAPI document.

export interface IncludeExpansion {
  /** The member of `Extended<Entity>` it fills: `Space`, `HeadRevision`. */
  readonly key: string;
  /** The `$id` of the related entity's schema. */
  readonly schema: string;
}

export interface IncludeTable {
  /** Attribute -> expansion, for the attributes confn expands. */
  readonly expanded: Readonly<Record<string, IncludeExpansion>>;
  /** Attribute -> why confn cannot expand it. */
  readonly notExpanded: Readonly<Record<string, string>>;
}

const to = (key: string, schema: string): IncludeExpansion => ({ key, schema });
const NO_ORGANIZATION = "confn has no Organization entity in its API";

export const includeTables: Readonly<Record<string, IncludeTable>> = {
  Space: {
    expanded: {},
    notExpanded: {
      AttributeFilterID: "confn has no Attributes",
      AttributeIDs: "confn has no Attributes",
      OrganizationID: NO_ORGANIZATION,
      TriggerFilterID: "a confn Space has no TriggerFilterID",
      TriggerIDs: "a confn Space has no TriggerIDs: list /space/{space_id}/trigger",
    },
  },
  Unit: {
    expanded: {
      SpaceID: to("Space", "Space"),
      ChangeSetID: to("ChangeSet", "ChangeSet"),
      HeadRevisionNum: to("HeadRevision", "Revision"),
      LiveRevisionNum: to("LiveRevision", "Revision"),
      LastAppliedRevisionNum: to("LastAppliedRevision", "Revision"),
      PreviousLiveRevisionNum: to("PreviousLiveRevision", "Revision"),
      HeadMutationNum: to("HeadMutation", "Mutation"),
      UpstreamSpaceID: to("UpstreamSpace", "Space"),
      UpstreamUnitID: to("UpstreamUnit", "Unit"),
      BridgeWorkerID: to("BridgeWorker", "BridgeWorker"),
    },
    notExpanded: {
      ApprovedBy: "confn has no User entities",
      FromLinkID: "confn has no Links",
      OrganizationID: NO_ORGANIZATION,
      TargetID: "confn has no Targets",
      UnitEventID: "confn has no UnitEvents",
    },
  },
  Filter: {
    expanded: { SpaceID: to("Space", "Space"), FromSpaceID: to("FromSpace", "Space") },
    notExpanded: { OrganizationID: NO_ORGANIZATION },
  },
  Invocation: {
    expanded: { SpaceID: to("Space", "Space"), BridgeWorkerID: to("BridgeWorker", "BridgeWorker") },
    notExpanded: { OrganizationID: NO_ORGANIZATION },
  },
  Trigger: {
    expanded: { SpaceID: to("Space", "Space"), BridgeWorkerID: to("BridgeWorker", "BridgeWorker") },
    notExpanded: {
      InvocationID: "a confn Trigger names its function itself and has no InvocationID",
      OrganizationID: NO_ORGANIZATION,
      UnitFilterID: "a confn Trigger runs on every Unit of its Space and has no UnitFilterID",
    },
  },
  ChangeSet: {
    expanded: { SpaceID: to("Space", "Space") },
    notExpanded: {
      EndTagID: "confn has no Tags",
      OrganizationID: NO_ORGANIZATION,
      StartTagID: "confn has no Tags",
    },
  },
  BridgeWorker: {
    expanded: { SpaceID: to("Space", "Space") },
    notExpanded: {
      OrganizationID: NO_ORGANIZATION,
      UserID: "a confn BridgeWorker has no bot user: it authenticates with its secret",
    },
  },
  Revision: {
    expanded: {
      SpaceID: to("Space", "Space"),
      UnitID: to("Unit", "Unit"),
      ChangeSetID: to("ChangeSet", "ChangeSet"),
    },
    notExpanded: {
      OrganizationID: NO_ORGANIZATION,
      Tags: "confn has no Tags",
      UserID: "confn has no User entities",
    },
  },
  Mutation: {
    expanded: {
      SpaceID: to("Space", "Space"),
      UnitID: to("Unit", "Unit"),
      RevisionID: to("Revision", "Revision"),
      InvocationID: to("Invocation", "Invocation"),
      TriggerID: to("Trigger", "Trigger"),
    },
    notExpanded: {
      LinkID: "confn has no Links",
      MergeSourceID: "confn has no merges",
      OrganizationID: NO_ORGANIZATION,
    },
  },
};

/** The include table of an entity (a programming error when it has none). */
export function includeTable(entity: string): IncludeTable {
  const table = includeTables[entity];
  if (!table) throw new TypeError(`includeTable: no include table for ${entity}`);
  return table;
}

/** The Extended wrapper's optional members for the entity's expansions: `{ Space: { $ref: "Space#" } }`. */
export function expansionProperties(entity: string): Record<string, { $ref: string }> {
  const out: Record<string, { $ref: string }> = {};
  for (const { key, schema } of Object.values(includeTable(entity).expanded))
    out[key] = { $ref: `${schema}#` };
  return out;
}

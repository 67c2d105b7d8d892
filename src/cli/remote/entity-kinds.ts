// The entities `confn space|unit|filter|invocation|trigger|change-set` manage, as the API serves
// them: where each lives (`/api/space/{id}/<path>` or `/api/space` itself), its ID field, the key of
// its `Extended*` wrapper, the columns of its list table, and the create flags beyond the common
// ones (slug, display name, labels, annotations).
import { NIL_UUID } from "../../engine/index.ts";

export type WireEntity = Record<string, unknown>;

export interface TableColumn {
  readonly header: string;
  readonly cell: (entity: WireEntity, extended: WireEntity) => string;
  /** Gives up width first when the table is wider than the terminal (free text, label lists). */
  readonly flexible?: boolean;
}

/** A create flag that sets one field of the body: `--where X` -> Where: "X". */
export interface FieldFlag {
  readonly flag: string;
  readonly field: string;
  readonly description: string;
  /** `worker`: a bridge worker named by slug or ID, sent as its ID (the empty string: none). */
  readonly kind?: "string" | "boolean" | "arguments" | "worker";
}

export interface EntityKind {
  /** The command name: `change-set`. */
  readonly name: string;
  /** The API's name, in messages and `Extended*` wrappers: `ChangeSet`. */
  readonly title: string;
  /** The route segment: `change_set`. */
  readonly path: string;
  readonly idField: string;
  /** Lives in a Space (`--space` required except for an organization-wide list). */
  readonly inSpace: boolean;
  readonly columns: readonly TableColumn[];
  readonly createFlags: readonly FieldFlag[];
  /** `select` for the list: what the table needs (a Unit list then reads no config data). */
  readonly listSelect?: string;
  /** `include` for the list: the related entities a column shows (the worker's slug). */
  readonly listInclude?: string;
}

export const str = (value: unknown): string =>
  value === undefined || value === null ? "" : typeof value === "string" ? value : JSON.stringify(value);

/** `k=v,k2=v2`, sorted, for Labels and the like. */
export function pairs(value: unknown): string {
  if (value === null || typeof value !== "object") return "";
  return Object.entries(value as Record<string, unknown>)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${str(v)}`)
    .join(",");
}

/** `2026-12-05 18:20` from an RFC 3339 time: minutes are enough to read a list. */
export function when(value: unknown): string {
  return typeof value === "string" && value.length >= 16 ? value.slice(0, 16).replace("T", " ") : str(value);
}

const slug: TableColumn = { header: "SLUG", cell: (e) => str(e.Slug) };
const labels: TableColumn = { header: "LABELS", cell: (e) => pairs(e.Labels), flexible: true };
const id = (field: string): TableColumn => ({ header: "ID", cell: (e) => str(e[field]) });
const toolchain: FieldFlag = {
  flag: "--toolchain <type>",
  field: "ToolchainType",
  description: "toolchain, e.g. Kubernetes/YAML",
};
const functionFlags: readonly FieldFlag[] = [
  toolchain,
  { flag: "--function <name>", field: "FunctionName", description: "the function to call" },
  {
    flag: "--arg <value>",
    field: "Arguments",
    description: "a positional argument (repeat for more, in order)",
    kind: "arguments",
  },
  {
    flag: "--worker <worker>",
    field: "BridgeWorkerID",
    description: "the bridge worker that runs the function (slug or ID; '' for the built-ins)",
    kind: "worker",
  },
];
/**
 * The worker a saved call runs on: its slug from `include=BridgeWorkerID`; empty for the built-ins;
 * an ID the include cannot resolve is a worker deleted since (the call fails closed until changed).
 */
const worker: TableColumn = {
  header: "WORKER",
  cell: (e, x) => {
    const slug = (x.BridgeWorker as WireEntity | undefined)?.Slug;
    if (slug !== undefined) return str(slug);
    const id = e.BridgeWorkerID;
    return id === undefined || id === null || id === "" || id === NIL_UUID ? "" : `${str(id)} (deleted)`;
  },
};

export const SPACE: EntityKind = {
  name: "space",
  title: "Space",
  path: "space",
  idField: "SpaceID",
  inSpace: false,
  columns: [
    slug,
    { header: "UNITS", cell: (_e, x) => str(x.TotalUnitCount) },
    labels,
    { header: "UPDATED", cell: (e) => when(e.UpdatedAt) },
    id("SpaceID"),
  ],
  createFlags: [],
};

export const UNIT: EntityKind = {
  name: "unit",
  title: "Unit",
  path: "unit",
  idField: "UnitID",
  inSpace: true,
  columns: [
    slug,
    { header: "TOOLCHAIN", cell: (e) => str(e.ToolchainType) },
    { header: "HEAD", cell: (e) => str(e.HeadRevisionNum) },
    labels,
    { header: "CHANGE", cell: (e) => str(e.LastChangeDescription), flexible: true },
    { header: "UPDATED", cell: (e) => when(e.UpdatedAt) },
    id("UnitID"),
  ],
  createFlags: [toolchain],
  listSelect: "Slug,ToolchainType,HeadRevisionNum,Labels,LastChangeDescription,UpdatedAt",
};

export const FILTER: EntityKind = {
  name: "filter",
  title: "Filter",
  path: "filter",
  idField: "FilterID",
  inSpace: true,
  columns: [
    slug,
    { header: "FROM", cell: (e) => str(e.From) },
    { header: "WHERE", cell: (e) => str(e.Where), flexible: true },
    { header: "WHERE-DATA", cell: (e) => str(e.WhereData), flexible: true },
    id("FilterID"),
  ],
  createFlags: [
    { flag: "--from <entity>", field: "From", description: "what it selects: Unit, Space, Trigger, ..." },
    { flag: "--where <expr>", field: "Where", description: "where expression, e.g. \"Labels.tier = 'web'\"" },
    { flag: "--where-data <expr>", field: "WhereData", description: "config-data condition (Unit filters)" },
    {
      flag: "--resource-type <type>",
      field: "ResourceType",
      description: "resource type --where-data reads",
    },
  ],
};

export const INVOCATION: EntityKind = {
  name: "invocation",
  title: "Invocation",
  path: "invocation",
  idField: "InvocationID",
  inSpace: true,
  columns: [
    slug,
    { header: "FUNCTION", cell: (e) => str(e.FunctionName) },
    { header: "ARGUMENTS", cell: (e) => argumentList(e.Arguments), flexible: true },
    { header: "TOOLCHAIN", cell: (e) => str(e.ToolchainType) },
    worker,
    id("InvocationID"),
  ],
  createFlags: functionFlags,
  listInclude: "BridgeWorkerID",
};

export const TRIGGER: EntityKind = {
  name: "trigger",
  title: "Trigger",
  path: "trigger",
  idField: "TriggerID",
  inSpace: true,
  columns: [
    slug,
    { header: "EVENT", cell: (e) => str(e.Event) },
    { header: "FUNCTION", cell: (e) => str(e.FunctionName) },
    { header: "ARGUMENTS", cell: (e) => argumentList(e.Arguments), flexible: true },
    { header: "DISABLED", cell: (e) => str(e.Disabled) },
    worker,
    id("TriggerID"),
  ],
  createFlags: [
    { flag: "--event <event>", field: "Event", description: "when it runs: Mutation" },
    ...functionFlags,
    { flag: "--disabled", field: "Disabled", description: "create it switched off", kind: "boolean" },
  ],
  listInclude: "BridgeWorkerID",
};

export const CHANGE_SET: EntityKind = {
  name: "change-set",
  title: "ChangeSet",
  path: "change_set",
  idField: "ChangeSetID",
  inSpace: true,
  columns: [
    slug,
    { header: "DISPLAY-NAME", cell: (e) => str(e.DisplayName), flexible: true },
    { header: "DESCRIPTION", cell: (e) => str(e.Description), flexible: true },
    id("ChangeSetID"),
  ],
  createFlags: [{ flag: "--description <text>", field: "Description", description: "what the change is" }],
};

export const ENTITY_KINDS: readonly EntityKind[] = [SPACE, UNIT, FILTER, INVOCATION, TRIGGER, CHANGE_SET];

function argumentList(value: unknown): string {
  if (!Array.isArray(value)) return "";
  return value
    .map((a: { ParameterName?: string; Value?: unknown }) =>
      a.ParameterName ? `--${a.ParameterName}=${str(a.Value)}` : str(a.Value),
    )
    .join(" ");
}

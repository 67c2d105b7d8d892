// The kysely view of the tables created by migrations/. One interface per table; column names are
// the snake_case of ConfigHub's PascalCase attributes. Keep in step with every new migration.
import type { ColumnType, Generated, Selectable } from "kysely";

/** A column the database fills (default now()) and returns as a Date. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A nullable timestamp with no default. */
type OptionalTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/**
 * A jsonb column. Values are written as JSON text (see `json()` in ./json.ts) because the two
 * drivers serialise JS arrays differently (pg turns them into PostgreSQL array literals).
 */
type Json<T> = ColumnType<T, string | undefined, string>;

export type StringMap = Record<string, string>;
export type BoolMap = Record<string, boolean>;

export type Role = "admin" | "editor" | "viewer";

export interface OrganizationsTable {
  organization_id: string;
  slug: string;
  display_name: Generated<string>;
  external_id: Generated<string>;
  email_domain: Generated<string>;
  labels: Json<StringMap>;
  annotations: Json<StringMap>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ApiTokensTable {
  token_id: string;
  organization_id: string;
  token_hash: string;
  role: Role;
  description: Generated<string>;
  created_at: Timestamp;
  last_used_at: OptionalTimestamp;
  revoked_at: OptionalTimestamp;
}

export interface SpacesTable {
  space_id: string;
  organization_id: string;
  slug: string;
  display_name: Generated<string>;
  labels: Json<StringMap>;
  annotations: Json<StringMap>;
  delete_gates: Json<BoolMap>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UnitsTable {
  unit_id: string;
  organization_id: string;
  space_id: string;
  slug: string;
  display_name: Generated<string>;
  labels: Json<StringMap>;
  annotations: Json<StringMap>;
  toolchain_type: string;
  data: Generated<string>;
  data_hash: Generated<string>;
  content_hash: Generated<number>;
  /**
   * The plain values of the data's documents as a JSON array (NULL: unknown), for the where_data
   * pre-filter only: never selected with the row (see UnitRow), since it is as large as `data`.
   */
  data_json: ColumnType<never, string | null | undefined, string | null>;
  last_change_description: Generated<string>;
  head_revision_num: Generated<number>;
  head_mutation_num: Generated<number>;
  live_revision_num: Generated<number>;
  last_applied_revision_num: Generated<number>;
  previous_live_revision_num: Generated<number>;
  upstream_organization_id: string | null;
  upstream_space_id: string | null;
  upstream_unit_id: string | null;
  upstream_revision_num: Generated<number>;
  apply_gates: Json<BoolMap>;
  apply_warnings: Json<BoolMap>;
  delete_gates: Json<BoolMap>;
  destroy_gates: Json<BoolMap>;
  approved_by: Json<string[]>;
  from_link_id: Json<string[]>;
  values: Json<StringMap>;
  target_id: string | null;
  bridge_worker_id: string | null;
  change_set_id: string | null;
  target_options: Json<StringMap>;
  provider_type: Generated<string>;
  drift_reconciliation_mode: Generated<string>;
  head_unit_action_num: Generated<number>;
  head_unit_event_num: Generated<number>;
  last_action_at: OptionalTimestamp;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RevisionsTable {
  revision_id: string;
  organization_id: string;
  space_id: string;
  unit_id: string;
  revision_num: number;
  data: string;
  data_hash: Generated<string>;
  content_hash: Generated<number>;
  description: Generated<string>;
  source: string;
  user_id: string | null;
  user_agent: Generated<string>;
  apply_gates: Json<BoolMap>;
  apply_warnings: Json<BoolMap>;
  approved_by: Json<string[]>;
  change_set_id: string | null;
  mutation_sources: ColumnType<unknown[] | null, string | null | undefined, string | null>;
  live_at: OptionalTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MutationsTable {
  mutation_id: string;
  organization_id: string;
  space_id: string;
  unit_id: string;
  mutation_num: number;
  revision_id: string;
  revision_num: number;
  source: string;
  description: Generated<string>;
  function_invocations: Json<unknown[]>;
  resource_mutations: Json<unknown[]>;
  invocation_id: string | null;
  trigger_id: string | null;
  link_id: string | null;
  restored_revision_num: number | null;
  subgroup: Generated<string>;
  user_id: string | null;
  created_at: Timestamp;
}

/** A []FunctionArgument column (saved Invocations and Triggers), as sent by the client. */
export interface StoredArgument {
  ParameterName?: string;
  Value: string | number | boolean;
}

interface SpaceEntityColumns {
  organization_id: string;
  space_id: string;
  slug: string;
  display_name: Generated<string>;
  labels: Json<StringMap>;
  annotations: Json<StringMap>;
  delete_gates: Json<BoolMap>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FiltersTable extends SpaceEntityColumns {
  filter_id: string;
  from: string;
  from_space_id: string | null;
  where: Generated<string>;
  where_data: Generated<string>;
  resource_type: Generated<string>;
  hash: Generated<string>;
}

/** One call of a saved Invocation's list. */
export interface StoredFunctionInvocation {
  FunctionName: string;
  Arguments: StoredArgument[];
}

export interface InvocationsTable extends SpaceEntityColumns {
  invocation_id: string;
  /** The first call of function_invocations (kept for `where` and the single-call wire shape). */
  function_name: string;
  arguments: Json<StoredArgument[]>;
  /** Every call, in the order they run. */
  function_invocations: Json<StoredFunctionInvocation[]>;
  toolchain_type: string;
  bridge_worker_id: string | null;
  where_resource: Generated<string>;
  hash: Generated<string>;
}

export interface TriggersTable extends SpaceEntityColumns {
  trigger_id: string;
  description: Generated<string>;
  event: string;
  toolchain_type: string;
  function_name: string;
  arguments: Json<StoredArgument[]>;
  bridge_worker_id: string | null;
  invocation_id: string | null;
  disabled: Generated<boolean>;
  validating: Generated<boolean>;
  warn: Generated<boolean>;
  where_unit: Generated<string>;
  unit_filter_id: string | null;
  where_resource: Generated<string>;
  other_data_source: Generated<string>;
  hash: Generated<string>;
}

export interface ChangeSetsTable extends SpaceEntityColumns {
  change_set_id: string;
  description: Generated<string>;
  start_tag_id: string | null;
  end_tag_id: string | null;
  state: Generated<string>;
}

export interface BridgeWorkersTable extends SpaceEntityColumns {
  bridge_worker_id: string;
  /** SHA-256 (hex) of the secret; the plaintext is never stored. */
  secret_hash: string;
  /** Ready | NotReady | Unresponsive | Disconnected */
  condition: Generated<string>;
  ip_address: Generated<string>;
  last_seen_at: OptionalTimestamp;
  last_message: Generated<string>;
  /** The WorkerInfo the worker sent on its latest connect. */
  provided_info: Json<Record<string, unknown>>;
  /** Until when the process holding its stream vouches for it (migrations/0009); null: no holder. */
  held_until: OptionalTimestamp;
}

export interface BridgeWorkerStatusesTable {
  bridge_worker_status_id: string;
  bridge_worker_id: string;
  organization_id: string;
  space_id: string;
  bridge_worker_slug: string;
  ip_address: Generated<string>;
  seen_at: Timestamp;
  /** Connected | Disconnected */
  status: string;
}

/** An invocation waiting for the replica that holds the worker's stream (migrations/0005). */
export interface QueuedOperationsTable {
  queued_operation_id: string;
  organization_id: string;
  bridge_worker_id: string;
  unit_id: Generated<string>;
  /** The FunctionInvocationRequest. */
  request: Json<Record<string, unknown>>;
  /** Pending | Delivered | Completed | Failed */
  status: Generated<string>;
  /** Completed: the FunctionInvocationResponse. */
  result: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** Failed: the WorkerDispatchErrorCode and its message. */
  error_code: ColumnType<string | null, string | null | undefined, string | null>;
  error_message: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  deadline: ColumnType<Date, Date | string, Date | string>;
}

export interface DatabaseSchema {
  organizations: OrganizationsTable;
  api_tokens: ApiTokensTable;
  spaces: SpacesTable;
  units: UnitsTable;
  revisions: RevisionsTable;
  mutations: MutationsTable;
  filters: FiltersTable;
  invocations: InvocationsTable;
  triggers: TriggersTable;
  change_sets: ChangeSetsTable;
  bridge_workers: BridgeWorkersTable;
  bridge_worker_statuses: BridgeWorkerStatusesTable;
  queued_operations: QueuedOperationsTable;
}

export type OrganizationRow = Selectable<OrganizationsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type SpaceRow = Selectable<SpacesTable>;
/** A Unit row as the repositories read it: every column but `data_json`. */
export type UnitRow = Omit<Selectable<UnitsTable>, "data_json">;
export type RevisionRow = Selectable<RevisionsTable>;
export type MutationRow = Selectable<MutationsTable>;
export type FilterRow = Selectable<FiltersTable>;
export type InvocationRow = Selectable<InvocationsTable>;
export type TriggerRow = Selectable<TriggersTable>;
export type ChangeSetRow = Selectable<ChangeSetsTable>;
export type BridgeWorkerRow = Selectable<BridgeWorkersTable>;
export type BridgeWorkerStatusRow = Selectable<BridgeWorkerStatusesTable>;

// The columns a Unit row is read with. `units.data_json` (the where_data pre-filter's copy of the
// data, as large as the data) is never among them: `select units.*` would ship it out of the
// database with every Unit read, and the pg driver would parse it. The record type makes the
// compiler name any column added to UnitRow but missing here.
import type { UnitRow } from "./schema.ts";

const unitColumns: Record<keyof UnitRow, true> = {
  unit_id: true,
  organization_id: true,
  space_id: true,
  slug: true,
  display_name: true,
  labels: true,
  annotations: true,
  toolchain_type: true,
  data: true,
  data_hash: true,
  content_hash: true,
  last_change_description: true,
  head_revision_num: true,
  head_mutation_num: true,
  live_revision_num: true,
  last_applied_revision_num: true,
  previous_live_revision_num: true,
  upstream_organization_id: true,
  upstream_space_id: true,
  upstream_unit_id: true,
  upstream_revision_num: true,
  apply_gates: true,
  apply_warnings: true,
  delete_gates: true,
  destroy_gates: true,
  approved_by: true,
  from_link_id: true,
  values: true,
  target_id: true,
  bridge_worker_id: true,
  change_set_id: true,
  target_options: true,
  provider_type: true,
  drift_reconciliation_mode: true,
  head_unit_action_num: true,
  head_unit_event_num: true,
  last_action_at: true,
  version: true,
  created_at: true,
  updated_at: true,
};

/** Every column of a Unit row (for `returning`). */
export const UNIT_COLUMNS = Object.freeze(Object.keys(unitColumns) as (keyof UnitRow)[]);

/** The same, qualified (`units.unit_id`, ...), for selects that also join or sub-select. */
export const UNIT_COLUMNS_QUALIFIED = Object.freeze(UNIT_COLUMNS.map((column) => `units.${column}` as const));

/** Every column but `data`, qualified, for lists that do not return the data. */
export const UNIT_COLUMNS_WITHOUT_DATA = Object.freeze(
  UNIT_COLUMNS_QUALIFIED.filter((c) => c !== "units.data"),
);

// Every migration, in order. A static list (not a directory scan) so the same code runs from
// sources under tsx and from a build, and a missing import is a type error, not a silent skip.
import type { Migration } from "kysely";
import * as m0001 from "./0001_initial.ts";
import * as m0002 from "./0002_saved_entities.ts";
import * as m0003 from "./0003_invocation_function_list.ts";
import * as m0004 from "./0004_bridge_workers.ts";
import * as m0005 from "./0005_queued_operations.ts";
import * as m0006 from "./0006_unit_data_json.ts";
import * as m0007 from "./0007_units_fillfactor.ts";
import * as m0008 from "./0008_mutation_records_json.ts";
import * as m0009 from "./0009_bridge_worker_lease.ts";

export const migrations: Record<string, Migration> = {
  "0001_initial": m0001,
  "0002_saved_entities": m0002,
  "0003_invocation_function_list": m0003,
  "0004_bridge_workers": m0004,
  "0005_queued_operations": m0005,
  "0006_unit_data_json": m0006,
  "0007_units_fillfactor": m0007,
  "0008_mutation_records_json": m0008,
  "0009_bridge_worker_lease": m0009,
};

// A Unit's verdict on chosen validating Triggers, for the Unit lists' `where_trigger` /
// `trigger_filter`: the triggers run on the Unit's current data as saved entries of one engine run
// (so whether the data changed does not matter), and the Unit fails when any of them failed: a
// failed verdict, or an error (which fails closed, as for ApplyGates). Triggers of another
// toolchain are skipped by the engine; a Unit none of them applies to has nothing failing, so it
// passes. Data that does not parse fails.
import { ConfigDataError, isToolchainType, type FunctionLookup } from "../engine/index.ts";
import type { SelectedUnit, TriggerRow } from "../store/index.ts";
import { runUnit } from "./run-unit.ts";
import { savedSource, toSaved } from "./saved-invocations.ts";

export async function passesTriggers(
  functions: FunctionLookup,
  unit: Omit<SelectedUnit, "head_revision_id">,
  triggers: readonly TriggerRow[],
): Promise<boolean> {
  if (triggers.length === 0 || !isToolchainType(unit.toolchain_type)) return true;
  const saved = triggers.map((trigger) => toSaved(trigger, savedSource("Trigger", trigger.trigger_id)));
  try {
    const result = await runUnit(
      functions,
      { unit, data: unit.data, revisionId: null, revisionNum: unit.head_revision_num },
      { toolchain: unit.toolchain_type, invocations: [], saved, triggers: [], options: {} },
    );
    return result.steps.every(
      (step) => step.status !== "failed" && !(step.status === "ran" && step.passed === false),
    );
  } catch (error) {
    if (error instanceof ConfigDataError) return false;
    throw error;
  }
}

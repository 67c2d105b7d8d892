// How messages name a Space's trigger: `Trigger <slug> (<function>)`, by the `source` the engine
// reports on its steps. A plain map, so it also crosses to the engine threads (engine-thread.ts),
// which build response elements without the database.
import type { StepReport } from "../engine/index.ts";

/** Trigger names by SavedInvocation.source. */
export type TriggerNames = ReadonlyMap<string, string>;

/** The name of the trigger whose step is at `index`, undefined for a step that is not a trigger's. */
export function triggerOrigin(
  names: TriggerNames,
  steps: readonly StepReport[],
  index: number | undefined,
): string | undefined {
  const step = index === undefined ? undefined : steps[index];
  return step?.trigger && step.source !== undefined ? names.get(step.source) : undefined;
}

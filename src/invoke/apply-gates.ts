// ApplyGates and ApplyWarnings after a data change, from the engine's reports on the Space's
// triggers: a validating trigger that failed (a failed verdict, or an error, which fails closed)
// sets its key, in ApplyWarnings when the trigger only warns; one that passed clears it. Every
// key of this Space's triggers is recomputed, so the gates of a trigger deleted or disabled since
// the last change go away too; keys of other origins (e.g. `awaiting/triggers`) are kept.
import type { StepReport } from "../engine/index.ts";
import type { BoolMap } from "../store/index.ts";
import type { SpaceTriggers } from "./space-triggers.ts";

export interface Gates {
  readonly applyGates: BoolMap;
  readonly applyWarnings: BoolMap;
}

export function nextGates(current: Gates, triggers: SpaceTriggers, steps: readonly StepReport[]): Gates {
  const prefix = `${triggers.spaceSlug}/`;
  const keep = (map: BoolMap): BoolMap =>
    Object.fromEntries(Object.entries(map).filter(([key]) => !key.startsWith(prefix)));
  const applyGates = keep(current.applyGates);
  const applyWarnings = keep(current.applyWarnings);
  for (const step of steps) {
    if (!step.trigger) continue;
    const trigger = triggers.trigger(step.source);
    if (!trigger?.validating) continue;
    const failed = step.status === "failed" || (step.status === "ran" && step.passed === false);
    if (failed) (trigger.warn ? applyWarnings : applyGates)[triggers.gateKey(trigger)] = true;
  }
  return { applyGates, applyWarnings };
}

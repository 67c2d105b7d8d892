// A Space's enabled `Mutation` triggers, as the engine runs them on every data change. An
// organization-wide invocation crosses many Spaces, so a SpaceTriggerCache loads each Space's set
// once per request. Each trigger becomes a SavedInvocation whose `source` identifies it, so the
// engine's step reports can be traced back to the trigger (for its ApplyGate).
import type { Kysely } from "kysely";
import type { SavedInvocation } from "../engine/index.ts";
import { type DatabaseSchema, type TriggerRow, listEnabledTriggers } from "../store/index.ts";
import { savedSource, toSaved } from "./saved-invocations.ts";
import type { TriggerNames } from "./trigger-origin.ts";

/** The only event confn fires triggers on: a change of a Unit's data. */
export const MUTATION_EVENT = "Mutation";

export class SpaceTriggers {
  readonly spaceSlug: string;
  readonly saved: readonly SavedInvocation[];
  /** `Trigger <slug> (<function>)` by source, for messages (triggerOrigin). */
  readonly names: TriggerNames;
  private readonly bySource: ReadonlyMap<string, TriggerRow>;

  constructor(spaceSlug: string, triggers: readonly TriggerRow[]) {
    this.spaceSlug = spaceSlug;
    const bySource = new Map<string, TriggerRow>();
    const names = new Map<string, string>();
    this.saved = triggers.map((trigger) => {
      const source = savedSource("Trigger", trigger.trigger_id);
      bySource.set(source, trigger);
      names.set(source, `Trigger ${trigger.slug} (${trigger.function_name})`);
      return toSaved(trigger, source);
    });
    this.bySource = bySource;
    this.names = names;
  }

  get triggers(): IterableIterator<TriggerRow> {
    return this.bySource.values();
  }

  /** The trigger a step report's `source` names. */
  trigger(source: string | undefined): TriggerRow | undefined {
    return source === undefined ? undefined : this.bySource.get(source);
  }

  /** ApplyGates / ApplyWarnings key of a validating trigger (V26: `<space>/<trigger>/<function>`). */
  gateKey(trigger: TriggerRow): string {
    return `${this.spaceSlug}/${trigger.slug}/${trigger.function_name}`;
  }
}

export async function loadSpaceTriggers(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
  spaceSlug: string,
): Promise<SpaceTriggers> {
  return new SpaceTriggers(spaceSlug, await listEnabledTriggers(db, organizationId, spaceId, MUTATION_EVENT));
}

/** Each Space's triggers, loaded on first use and kept for the rest of one request. */
export class SpaceTriggerCache {
  private readonly loaded = new Map<string, Promise<SpaceTriggers>>();

  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly organizationId: string,
  ) {}

  get(spaceId: string, spaceSlug: string): Promise<SpaceTriggers> {
    let triggers = this.loaded.get(spaceId);
    if (!triggers) {
      triggers = loadSpaceTriggers(this.db, this.organizationId, spaceId, spaceSlug);
      this.loaded.set(spaceId, triggers);
    }
    return triggers;
  }
}

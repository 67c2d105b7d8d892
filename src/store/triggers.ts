// Triggers: functions a Space runs on an event. `Mutation` triggers run whenever a Unit's data
// changes (src/invoke/trigger-hook.ts); an invoke request may also run saved Triggers by ID. The
// repository stores them; `validating` is derived by the caller from the function's signature.
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { json } from "./json.ts";
import type { DatabaseSchema, StoredArgument, TriggerRow } from "./schema.ts";
import {
  spaceEntityRepository,
  type ListSpaceEntitiesOptions,
  type SpaceEntityAttributes,
  type SpaceEntityModification,
} from "./space-entity-repository.ts";

export interface TriggerAttributes extends SpaceEntityAttributes {
  readonly description: string;
  readonly event: string;
  readonly toolchainType: string;
  readonly functionName: string;
  readonly arguments: readonly StoredArgument[];
  readonly disabled: boolean;
  readonly warn: boolean;
  readonly validating: boolean;
  /** The bridge worker that runs the function; null/absent: the built-in functions. */
  readonly bridgeWorkerId?: string | null;
}

export type ListTriggersOptions = ListSpaceEntitiesOptions;
export type TriggerModification = SpaceEntityModification<TriggerAttributes>;

/**
 * SHA-256 of the fields that decide what the Trigger does (ConfigHub's read-only `Hash`), over a
 * canonical form of the arguments (jsonb returns object keys in its own order).
 */
export function triggerHash(
  attributes: Pick<
    TriggerAttributes,
    "event" | "toolchainType" | "functionName" | "arguments" | "disabled" | "warn"
  >,
): string {
  const spec = [
    attributes.event,
    attributes.toolchainType,
    attributes.functionName,
    attributes.arguments.map((a) => [a.ParameterName ?? "", a.Value]),
    attributes.disabled,
    attributes.warn,
  ];
  return createHash("sha256").update(JSON.stringify(spec)).digest("hex");
}

const triggers = spaceEntityRepository({
  table: "triggers",
  idColumn: "trigger_id",
  entity: "Trigger",
  columns: (attributes: TriggerAttributes) => ({
    description: attributes.description,
    event: attributes.event,
    toolchain_type: attributes.toolchainType,
    function_name: attributes.functionName,
    arguments: json(attributes.arguments),
    disabled: attributes.disabled,
    warn: attributes.warn,
    validating: attributes.validating,
    bridge_worker_id: attributes.bridgeWorkerId ?? null,
    hash: triggerHash(attributes),
  }),
  // The hash covers what the Trigger does; the arguments compare through it (jsonb key order).
  sameOwnAttributes: (current, next) =>
    current.description === next.description &&
    current.validating === next.validating &&
    current.bridge_worker_id === (next.bridgeWorkerId ?? null) &&
    current.hash === triggerHash(next),
});

export const listTriggers = triggers.list;
/** The Trigger, found in the organization (and the Space, when given), or NotFoundError. */
export const getTrigger = triggers.get;
/** Several Triggers of the organization, in the order of `triggerIds`; NotFoundError names the first missing. */
export const getTriggers = triggers.getMany;
export const createTrigger = triggers.create;
/**
 * Reads the Trigger, lets `plan` decide its new attributes (and validate them), and writes them
 * with one Version bump (none when nothing changed), in one transaction.
 */
export const modifyTrigger = triggers.modify;
export const deleteTrigger = triggers.delete;

/**
 * The enabled triggers of one Space for one event, in creation order (the order they run in
 * within their phase).
 */
export async function listEnabledTriggers(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
  event: string,
): Promise<TriggerRow[]> {
  return db
    .selectFrom("triggers")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("space_id", "=", spaceId)
    .where("event", "=", event)
    .where("disabled", "=", false)
    .orderBy("created_at")
    .orderBy("trigger_id")
    .execute();
}

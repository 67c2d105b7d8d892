// Triggers: functions a Space runs on an event. `Mutation` triggers run whenever a Unit's data
// changes (src/api/invoke/triggers); an invoke request may also run saved Triggers by ID. The
// repository stores them; `validating` is derived by the caller from the function's signature.
import { createHash, randomUUID } from "node:crypto";
import { sql, type Expression, type Kysely, type SqlBool } from "kysely";
import {
  DeleteGatedError,
  DuplicateSlugError,
  NotFoundError,
  VersionConflictError,
  isUniqueViolation,
} from "./errors.ts";
import { json, sameMap } from "./json.ts";
import type { BoolMap, DatabaseSchema, StoredArgument, StringMap, TriggerRow } from "./schema.ts";

export interface TriggerAttributes {
  readonly slug: string;
  readonly displayName: string;
  readonly labels: StringMap;
  readonly annotations: StringMap;
  readonly deleteGates: BoolMap;
  readonly description: string;
  readonly event: string;
  readonly toolchainType: string;
  readonly functionName: string;
  readonly arguments: readonly StoredArgument[];
  readonly disabled: boolean;
  readonly warn: boolean;
  readonly validating: boolean;
}

export interface ListTriggersOptions {
  /** Only this Space's Triggers; all of the organization's when omitted. */
  readonly spaceId?: string;
  /** Extra conditions AND-ed to the scope (a compiled `where` over the triggers table). */
  readonly filters?: readonly Expression<SqlBool>[];
}

export async function listTriggers(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  options: ListTriggersOptions = {},
): Promise<TriggerRow[]> {
  let query = db.selectFrom("triggers").selectAll().where("organization_id", "=", organizationId);
  if (options.spaceId !== undefined) query = query.where("space_id", "=", options.spaceId);
  for (const filter of options.filters ?? []) query = query.where(filter);
  return query.orderBy("created_at").orderBy("trigger_id").execute();
}

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

/** The Trigger, found in the organization (and the Space, when given), or NotFoundError. */
export async function getTrigger(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  triggerId: string,
  spaceId?: string,
): Promise<TriggerRow> {
  let query = db
    .selectFrom("triggers")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("trigger_id", "=", triggerId);
  if (spaceId !== undefined) query = query.where("space_id", "=", spaceId);
  const row = await query.executeTakeFirst();
  if (!row) throw new NotFoundError("Trigger", triggerId);
  return row;
}

/** Several Triggers of the organization, in the order of `triggerIds`; NotFoundError names the first missing. */
export async function getTriggers(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  triggerIds: readonly string[],
): Promise<TriggerRow[]> {
  if (triggerIds.length === 0) return [];
  const rows = await db
    .selectFrom("triggers")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("trigger_id", "in", [...new Set(triggerIds)])
    .execute();
  const byId = new Map(rows.map((row) => [row.trigger_id, row]));
  return triggerIds.map((id) => {
    const row = byId.get(id);
    if (!row) throw new NotFoundError("Trigger", id);
    return row;
  });
}

export async function createTrigger(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
  attributes: TriggerAttributes,
): Promise<TriggerRow> {
  try {
    return await db
      .insertInto("triggers")
      .values({
        trigger_id: randomUUID(),
        organization_id: organizationId,
        space_id: spaceId,
        ...columns(attributes),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateSlugError("Trigger", attributes.slug, "this space");
    throw error;
  }
}

export interface TriggerModification {
  /** The Version the caller read, when it sent one. */
  readonly expectedVersion?: number;
  readonly attributes: TriggerAttributes;
}

/**
 * Reads the Trigger, lets `plan` decide its new attributes (and validate them), and writes them
 * with one Version bump (none when nothing changed), in one transaction.
 */
export async function modifyTrigger(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
  triggerId: string,
  plan: (current: TriggerRow) => TriggerModification | Promise<TriggerModification>,
): Promise<TriggerRow> {
  let newSlug = "";
  try {
    return await db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom("triggers")
        .selectAll()
        .where("organization_id", "=", organizationId)
        .where("space_id", "=", spaceId)
        .where("trigger_id", "=", triggerId)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw new NotFoundError("Trigger", triggerId);
      const { expectedVersion, attributes } = await plan(current);
      newSlug = attributes.slug;
      if (expectedVersion !== undefined && expectedVersion !== current.version) {
        throw new VersionConflictError("Trigger", triggerId, expectedVersion, current.version);
      }
      if (sameAttributes(current, attributes)) return current;
      return await trx
        .updateTable("triggers")
        .set((eb) => ({
          ...columns(attributes),
          version: eb("version", "+", 1),
          updated_at: sql<Date>`now()`,
        }))
        .where("trigger_id", "=", triggerId)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateSlugError("Trigger", newSlug, "this space");
    throw error;
  }
}

export async function deleteTrigger(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
  triggerId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom("triggers")
      .select(["trigger_id", "delete_gates"])
      .where("organization_id", "=", organizationId)
      .where("space_id", "=", spaceId)
      .where("trigger_id", "=", triggerId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new NotFoundError("Trigger", triggerId);
    const gates = Object.keys(current.delete_gates);
    if (gates.length > 0) throw new DeleteGatedError("Trigger", triggerId, gates);
    await trx.deleteFrom("triggers").where("trigger_id", "=", triggerId).execute();
  });
}

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

function columns(attributes: TriggerAttributes) {
  return {
    slug: attributes.slug,
    display_name: attributes.displayName,
    labels: json(attributes.labels),
    annotations: json(attributes.annotations),
    delete_gates: json(attributes.deleteGates),
    description: attributes.description,
    event: attributes.event,
    toolchain_type: attributes.toolchainType,
    function_name: attributes.functionName,
    arguments: json(attributes.arguments),
    disabled: attributes.disabled,
    warn: attributes.warn,
    validating: attributes.validating,
    hash: triggerHash(attributes),
  };
}

function sameAttributes(current: TriggerRow, next: TriggerAttributes): boolean {
  return (
    current.slug === next.slug &&
    current.display_name === next.displayName &&
    sameMap(current.labels, next.labels) &&
    sameMap(current.annotations, next.annotations) &&
    sameMap(current.delete_gates, next.deleteGates) &&
    current.description === next.description &&
    current.validating === next.validating &&
    current.hash === triggerHash(next)
  );
}

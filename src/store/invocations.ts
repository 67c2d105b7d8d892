// Invocations: saved, named function calls (`FunctionName`, `Arguments`, `ToolchainType`) that an
// invoke request runs after its explicit list by naming their IDs in `Invocations`. The repository
// stores them; the caller checks the function and its arguments against the registry first.
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
import type { BoolMap, DatabaseSchema, InvocationRow, StoredArgument, StringMap } from "./schema.ts";

export interface InvocationAttributes {
  readonly slug: string;
  readonly displayName: string;
  readonly labels: StringMap;
  readonly annotations: StringMap;
  readonly deleteGates: BoolMap;
  readonly functionName: string;
  readonly arguments: readonly StoredArgument[];
  readonly toolchainType: string;
}

export interface ListInvocationsOptions {
  /** Only this Space's Invocations; all of the organization's when omitted. */
  readonly spaceId?: string;
  /** Extra conditions AND-ed to the scope (a compiled `where` over the invocations table). */
  readonly filters?: readonly Expression<SqlBool>[];
}

export async function listInvocations(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  options: ListInvocationsOptions = {},
): Promise<InvocationRow[]> {
  let query = db.selectFrom("invocations").selectAll().where("organization_id", "=", organizationId);
  if (options.spaceId !== undefined) query = query.where("space_id", "=", options.spaceId);
  for (const filter of options.filters ?? []) query = query.where(filter);
  return query.orderBy("created_at").orderBy("invocation_id").execute();
}

/** The Invocation, found in the organization (and the Space, when given), or NotFoundError. */
export async function getInvocation(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  invocationId: string,
  spaceId?: string,
): Promise<InvocationRow> {
  let query = db
    .selectFrom("invocations")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("invocation_id", "=", invocationId);
  if (spaceId !== undefined) query = query.where("space_id", "=", spaceId);
  const row = await query.executeTakeFirst();
  if (!row) throw new NotFoundError("Invocation", invocationId);
  return row;
}

/**
 * Several Invocations of the organization, in the order of `invocationIds` (a request lists them
 * in the order they should run); NotFoundError names the first one that does not exist.
 */
export async function getInvocations(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  invocationIds: readonly string[],
): Promise<InvocationRow[]> {
  if (invocationIds.length === 0) return [];
  const rows = await db
    .selectFrom("invocations")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("invocation_id", "in", [...new Set(invocationIds)])
    .execute();
  const byId = new Map(rows.map((row) => [row.invocation_id, row]));
  return invocationIds.map((id) => {
    const row = byId.get(id);
    if (!row) throw new NotFoundError("Invocation", id);
    return row;
  });
}

export async function createInvocation(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
  attributes: InvocationAttributes,
): Promise<InvocationRow> {
  try {
    return await db
      .insertInto("invocations")
      .values({
        invocation_id: randomUUID(),
        organization_id: organizationId,
        space_id: spaceId,
        ...columns(attributes),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateSlugError("Invocation", attributes.slug, "this space");
    throw error;
  }
}

export interface InvocationModification {
  /** The Version the caller read, when it sent one. */
  readonly expectedVersion?: number;
  readonly attributes: InvocationAttributes;
}

/**
 * Reads the Invocation, lets `plan` decide its new attributes (and validate them), and writes them
 * with one Version bump (none when nothing changed), in one transaction.
 */
export async function modifyInvocation(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
  invocationId: string,
  plan: (current: InvocationRow) => InvocationModification | Promise<InvocationModification>,
): Promise<InvocationRow> {
  let newSlug = "";
  try {
    return await db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom("invocations")
        .selectAll()
        .where("organization_id", "=", organizationId)
        .where("space_id", "=", spaceId)
        .where("invocation_id", "=", invocationId)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw new NotFoundError("Invocation", invocationId);
      const { expectedVersion, attributes } = await plan(current);
      newSlug = attributes.slug;
      if (expectedVersion !== undefined && expectedVersion !== current.version) {
        throw new VersionConflictError("Invocation", invocationId, expectedVersion, current.version);
      }
      if (sameAttributes(current, attributes)) return current;
      return await trx
        .updateTable("invocations")
        .set((eb) => ({
          ...columns(attributes),
          version: eb("version", "+", 1),
          updated_at: sql<Date>`now()`,
        }))
        .where("invocation_id", "=", invocationId)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateSlugError("Invocation", newSlug, "this space");
    throw error;
  }
}

export async function deleteInvocation(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  spaceId: string,
  invocationId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom("invocations")
      .select(["invocation_id", "delete_gates"])
      .where("organization_id", "=", organizationId)
      .where("space_id", "=", spaceId)
      .where("invocation_id", "=", invocationId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new NotFoundError("Invocation", invocationId);
    const gates = Object.keys(current.delete_gates);
    if (gates.length > 0) throw new DeleteGatedError("Invocation", invocationId, gates);
    await trx.deleteFrom("invocations").where("invocation_id", "=", invocationId).execute();
  });
}

/**
 * SHA-256 of the function name and arguments (ConfigHub's read-only `Hash`), over a canonical form:
 * jsonb returns object keys in its own order, so the hash must not depend on key order.
 */
export function invocationHash(functionName: string, args: readonly StoredArgument[]): string {
  const canonical = args.map((a) => [a.ParameterName ?? "", a.Value]);
  return createHash("sha256")
    .update(JSON.stringify([functionName, canonical]))
    .digest("hex");
}

function columns(attributes: InvocationAttributes) {
  return {
    slug: attributes.slug,
    display_name: attributes.displayName,
    labels: json(attributes.labels),
    annotations: json(attributes.annotations),
    delete_gates: json(attributes.deleteGates),
    function_name: attributes.functionName,
    arguments: json(attributes.arguments),
    toolchain_type: attributes.toolchainType,
    hash: invocationHash(attributes.functionName, attributes.arguments),
  };
}

function sameAttributes(current: InvocationRow, next: InvocationAttributes): boolean {
  return (
    current.slug === next.slug &&
    current.display_name === next.displayName &&
    sameMap(current.labels, next.labels) &&
    sameMap(current.annotations, next.annotations) &&
    sameMap(current.delete_gates, next.deleteGates) &&
    current.function_name === next.functionName &&
    current.toolchain_type === next.toolchainType &&
    current.hash === invocationHash(next.functionName, next.arguments)
  );
}

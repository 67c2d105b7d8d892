// Whether one stored entity satisfies filter conditions: for the Filter lists' `entity` + `id`
// ("the Filters that select this entity"). The table and ID column come from an attribute
// catalogue (constants, never user input); the conditions are compiled, parameterised `where`s.
import { sql, type Expression, type Kysely, type SqlBool } from "kysely";
import type { DatabaseSchema } from "./schema.ts";

export interface StoredEntity {
  readonly table: string;
  readonly idColumn: string;
}

/** The entity's row in the organization, or undefined. */
export async function findEntityRow(
  db: Kysely<DatabaseSchema>,
  entity: StoredEntity,
  organizationId: string,
  id: string,
): Promise<Record<string, unknown> | undefined> {
  const view = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  return view
    .selectFrom(entity.table)
    .selectAll()
    .where(sql.ref("organization_id"), "=", organizationId)
    .where(sql.ref(entity.idColumn), "=", id)
    .executeTakeFirst();
}

/** Whether the entity (which must exist) satisfies every condition. */
export async function entityMatches(
  db: Kysely<DatabaseSchema>,
  entity: StoredEntity,
  organizationId: string,
  id: string,
  filters: readonly Expression<SqlBool>[],
): Promise<boolean> {
  const view = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  let query = view
    .selectFrom(entity.table)
    .select(sql<number>`1`.as("one"))
    .where(sql.ref("organization_id"), "=", organizationId)
    .where(sql.ref(entity.idColumn), "=", id);
  for (const filter of filters) query = query.where(filter);
  return (await query.executeTakeFirst()) !== undefined;
}

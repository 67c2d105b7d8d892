// The CRUD that every saved, space-scoped entity shares (Filters, Invocations, Triggers,
// ChangeSets): org-scoped reads, create with a slug conflict check, Version-checked modification in
// one transaction, and deletion blocked by DeleteGates. Each repository configures one of these with
// its table, ID column and attribute columns, and keeps its own named exports for callers.
import { randomUUID } from "node:crypto";
import { sql, type Expression, type Kysely, type Selectable, type SqlBool } from "kysely";
import {
  DeleteGatedError,
  DuplicateSlugError,
  NotFoundError,
  VersionConflictError,
  isUniqueViolation,
} from "./errors.ts";
import { json, sameMap } from "./json.ts";
import type { BoolMap, DatabaseSchema, StringMap } from "./schema.ts";
import { inTransaction, type TransactionHandle } from "./transaction.ts";

export type SpaceEntityTable = "filters" | "invocations" | "triggers" | "change_sets" | "bridge_workers";

/** The attributes every saved entity has, whatever else it stores. */
export interface SpaceEntityAttributes {
  readonly slug: string;
  readonly displayName: string;
  readonly labels: StringMap;
  readonly annotations: StringMap;
  readonly deleteGates: BoolMap;
}

export interface ListSpaceEntitiesOptions {
  /** Only this Space's entities; all of the organization's when omitted. */
  readonly spaceId?: string;
  /** Extra conditions AND-ed to the scope (a compiled `where` over the entity's table). */
  readonly filters?: readonly Expression<SqlBool>[];
}

export interface SpaceEntityModification<Attributes> {
  /** The Version the caller read, when it sent one. */
  readonly expectedVersion?: number;
  readonly attributes: Attributes;
}

export interface SpaceEntityKind<Table extends SpaceEntityTable, Attributes extends SpaceEntityAttributes> {
  readonly table: Table;
  /** The primary key column, e.g. `filter_id`. */
  readonly idColumn: keyof DatabaseSchema[Table] & `${string}_id`;
  /** The name errors use, e.g. `Filter`. */
  readonly entity: string;
  /** The entity's own columns (beyond the common ones) for `attributes`, including any derived `hash`. */
  readonly columns: (attributes: Attributes) => Record<string, unknown>;
  /** Whether `next` changes anything beyond the common attributes (no change, no Version bump). */
  readonly sameOwnAttributes: (current: Selectable<DatabaseSchema[Table]>, next: Attributes) => boolean;
}

export interface SpaceEntityRepository<Row, Attributes> {
  list(
    db: Kysely<DatabaseSchema>,
    organizationId: string,
    options?: ListSpaceEntitiesOptions,
  ): Promise<Row[]>;
  /** The entity, found in the organization (and the Space, when given), or NotFoundError. */
  get(db: Kysely<DatabaseSchema>, organizationId: string, id: string, spaceId?: string): Promise<Row>;
  /** Several entities of the organization, in the order of `ids`; NotFoundError names the first missing. */
  getMany(db: Kysely<DatabaseSchema>, organizationId: string, ids: readonly string[]): Promise<Row[]>;
  create(
    db: Kysely<DatabaseSchema>,
    organizationId: string,
    spaceId: string,
    attributes: Attributes,
  ): Promise<Row>;
  /**
   * Reads the entity, lets `plan` decide its new attributes (and validate them against the current
   * row), and writes them with one Version bump (none when nothing changed), in one transaction.
   * `plan` runs inside it: any lookup it makes goes through `trx`, never the root handle.
   */
  modify(
    db: Kysely<DatabaseSchema>,
    organizationId: string,
    spaceId: string,
    id: string,
    plan: (
      current: Row,
      trx: TransactionHandle,
    ) => SpaceEntityModification<Attributes> | Promise<SpaceEntityModification<Attributes>>,
  ): Promise<Row>;
  delete(db: Kysely<DatabaseSchema>, organizationId: string, spaceId: string, id: string): Promise<void>;
}

/**
 * The columns every saved entity shares, with a typed view of the table: kysely cannot type queries
 * over a table chosen at run time, so the queries below see every entity table as this one.
 */
interface CommonColumns {
  organization_id: string;
  space_id: string;
  slug: string;
  display_name: string;
  labels: StringMap;
  annotations: StringMap;
  delete_gates: BoolMap;
  version: number;
  created_at: Date;
  updated_at: Date;
}
type CommonView = Record<string, CommonColumns & Record<`${string}_id`, string>>;

export function spaceEntityRepository<
  Table extends SpaceEntityTable,
  Attributes extends SpaceEntityAttributes,
>(
  kind: SpaceEntityKind<Table, Attributes>,
): SpaceEntityRepository<Selectable<DatabaseSchema[Table]>, Attributes> {
  type Row = Selectable<DatabaseSchema[Table]>;
  const table: string = kind.table;
  const entity = kind.entity;
  const idColumn = kind.idColumn as `${string}_id`;
  const view = (db: Kysely<DatabaseSchema>) => db as unknown as Kysely<CommonView>;

  const columns = (attributes: Attributes) => ({
    slug: attributes.slug,
    display_name: attributes.displayName,
    labels: json(attributes.labels),
    annotations: json(attributes.annotations),
    delete_gates: json(attributes.deleteGates),
    ...kind.columns(attributes),
  });

  const sameAttributes = (current: Row, next: Attributes): boolean => {
    const common = current as unknown as CommonColumns;
    return (
      common.slug === next.slug &&
      common.display_name === next.displayName &&
      sameMap(common.labels, next.labels) &&
      sameMap(common.annotations, next.annotations) &&
      sameMap(common.delete_gates, next.deleteGates) &&
      kind.sameOwnAttributes(current, next)
    );
  };

  return {
    async list(db, organizationId, options = {}) {
      let query = view(db).selectFrom(table).selectAll().where("organization_id", "=", organizationId);
      if (options.spaceId !== undefined) query = query.where("space_id", "=", options.spaceId);
      for (const filter of options.filters ?? []) query = query.where(filter);
      const rows = await query.orderBy("created_at").orderBy(idColumn).execute();
      return rows as unknown as Row[];
    },

    async get(db, organizationId, id, spaceId) {
      let query = view(db)
        .selectFrom(table)
        .selectAll()
        .where("organization_id", "=", organizationId)
        .where(idColumn, "=", id);
      if (spaceId !== undefined) query = query.where("space_id", "=", spaceId);
      const row = await query.executeTakeFirst();
      if (!row) throw new NotFoundError(entity, id);
      return row as unknown as Row;
    },

    async getMany(db, organizationId, ids) {
      if (ids.length === 0) return [];
      const rows = await view(db)
        .selectFrom(table)
        .selectAll()
        .where("organization_id", "=", organizationId)
        .where(idColumn, "in", [...new Set(ids)])
        .execute();
      const byId = new Map(rows.map((row) => [row[idColumn], row]));
      return ids.map((id) => {
        const row = byId.get(id);
        if (!row) throw new NotFoundError(entity, id);
        return row as unknown as Row;
      });
    },

    async create(db, organizationId, spaceId, attributes) {
      try {
        const row = await view(db)
          .insertInto(table)
          .values({
            [idColumn]: randomUUID(),
            organization_id: organizationId,
            space_id: spaceId,
            ...columns(attributes),
          } as never)
          .returningAll()
          .executeTakeFirstOrThrow();
        return row as unknown as Row;
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateSlugError(entity, attributes.slug, "this space");
        throw error;
      }
    },

    async modify(db, organizationId, spaceId, id, plan) {
      let newSlug = "";
      try {
        return await inTransaction(view(db), async (trx) => {
          const found = await trx
            .selectFrom(table)
            .selectAll()
            .where("organization_id", "=", organizationId)
            .where("space_id", "=", spaceId)
            .where(idColumn, "=", id)
            .forUpdate()
            .executeTakeFirst();
          if (!found) throw new NotFoundError(entity, id);
          const current = found as unknown as Row;
          const { expectedVersion, attributes } = await plan(current, trx as unknown as TransactionHandle);
          newSlug = attributes.slug;
          if (expectedVersion !== undefined && expectedVersion !== found.version) {
            throw new VersionConflictError(entity, id, expectedVersion, found.version);
          }
          if (sameAttributes(current, attributes)) return current;
          const updated = await trx
            .updateTable(table)
            .set(
              (eb) =>
                ({
                  ...columns(attributes),
                  version: eb("version", "+", 1),
                  updated_at: sql<Date>`now()`,
                }) as never,
            )
            .where(idColumn, "=", id)
            .returningAll()
            .executeTakeFirstOrThrow();
          return updated as unknown as Row;
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateSlugError(entity, newSlug, "this space");
        throw error;
      }
    },

    async delete(db, organizationId, spaceId, id) {
      await inTransaction(view(db), async (trx) => {
        const current = await trx
          .selectFrom(table)
          .select([idColumn, "delete_gates"])
          .where("organization_id", "=", organizationId)
          .where("space_id", "=", spaceId)
          .where(idColumn, "=", id)
          .forUpdate()
          .executeTakeFirst();
        if (!current) throw new NotFoundError(entity, id);
        const gates = Object.keys(current.delete_gates);
        if (gates.length > 0) throw new DeleteGatedError(entity, id, gates);
        await trx.deleteFrom(table).where(idColumn, "=", id).execute();
      });
    },
  };
}

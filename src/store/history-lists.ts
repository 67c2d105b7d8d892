// The filtered lists of a Unit's history (Revisions, Mutations) and of the organization's Revisions,
// and the lookups by number that `include` expansions need (HeadRevisionNum -> Revision). A list
// whose caller did not select Data leaves the `data` column in the database: the CLI's after-write
// diff asks for a few attributes of a long history and must not download every Revision's data.
import type { Expression, Kysely, SqlBool } from "kysely";
import type { DatabaseSchema, MutationRow, RevisionRow } from "./schema.ts";
import { assertUnitExists, type UnitKey } from "./units.ts";

export interface HistoryListOptions {
  /** Conditions AND-ed to the scope (a compiled `where`); unqualified columns are the list's table. */
  readonly filters?: readonly Expression<SqlBool>[];
}

export interface RevisionListOptions extends HistoryListOptions {
  /** Only this Space's Revisions (an organization-wide list limited by a Filter's FromSpaceID). */
  readonly spaceId?: string;
  /** false: the records have no `data` member, and the column is not read. */
  readonly withData?: boolean;
}

/** A listed Revision: without `data` when listed with `withData: false`. */
export type ListedRevision = Omit<RevisionRow, "data"> & { readonly data?: string };

const REVISION_COLUMNS_WITHOUT_DATA = [
  "revision_id",
  "organization_id",
  "space_id",
  "unit_id",
  "revision_num",
  "data_hash",
  "content_hash",
  "description",
  "source",
  "user_id",
  "user_agent",
  "apply_gates",
  "apply_warnings",
  "approved_by",
  "change_set_id",
  "mutation_sources",
  "live_at",
  "created_at",
  "updated_at",
] as const satisfies readonly Exclude<keyof RevisionRow, "data">[];

function revisionQuery(db: Kysely<DatabaseSchema>, organizationId: string, options: RevisionListOptions) {
  let query = db.selectFrom("revisions").where("revisions.organization_id", "=", organizationId);
  if (options.spaceId !== undefined) query = query.where("revisions.space_id", "=", options.spaceId);
  for (const filter of options.filters ?? []) query = query.where(filter);
  return query;
}

async function selectRevisions(
  query: ReturnType<typeof revisionQuery>,
  withData: boolean | undefined,
): Promise<ListedRevision[]> {
  if (withData === false) {
    return query
      .select(REVISION_COLUMNS_WITHOUT_DATA.map((column) => `revisions.${column}` as const))
      .execute();
  }
  return query.selectAll("revisions").execute();
}

/** A Unit's Revisions matching the filters, oldest first. NotFoundError when the Unit is not there. */
export async function listUnitRevisions(
  db: Kysely<DatabaseSchema>,
  key: UnitKey,
  options: RevisionListOptions = {},
): Promise<ListedRevision[]> {
  await assertUnitExists(db, key);
  const query = revisionQuery(db, key.organizationId, options)
    .where("revisions.space_id", "=", key.spaceId)
    .where("revisions.unit_id", "=", key.unitId)
    .orderBy("revisions.revision_num");
  return selectRevisions(query, options.withData);
}

/** The organization's Revisions matching the filters (of every Unit), by Unit and then number. */
export async function listOrganizationRevisions(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  options: RevisionListOptions = {},
): Promise<ListedRevision[]> {
  const query = revisionQuery(db, organizationId, options)
    .orderBy("revisions.space_id")
    .orderBy("revisions.unit_id")
    .orderBy("revisions.revision_num");
  return selectRevisions(query, options.withData);
}

/** A Unit's Mutations matching the filters, oldest first. NotFoundError when the Unit is not there. */
export async function listUnitMutations(
  db: Kysely<DatabaseSchema>,
  key: UnitKey,
  options: HistoryListOptions = {},
): Promise<MutationRow[]> {
  await assertUnitExists(db, key);
  let query = db
    .selectFrom("mutations")
    .selectAll("mutations")
    .where("mutations.organization_id", "=", key.organizationId)
    .where("mutations.space_id", "=", key.spaceId)
    .where("mutations.unit_id", "=", key.unitId);
  for (const filter of options.filters ?? []) query = query.where(filter);
  return query.orderBy("mutations.mutation_num").execute();
}

/** The Unit's Revision of that number, if it exists (0 is "none" in ConfigHub's counters). */
export async function findRevisionByNum(
  db: Kysely<DatabaseSchema>,
  key: UnitKey,
  revisionNum: number,
): Promise<RevisionRow | undefined> {
  return db
    .selectFrom("revisions")
    .selectAll()
    .where("organization_id", "=", key.organizationId)
    .where("space_id", "=", key.spaceId)
    .where("unit_id", "=", key.unitId)
    .where("revision_num", "=", revisionNum)
    .executeTakeFirst();
}

/** The Unit's Mutation of that number, if it exists. */
export async function findMutationByNum(
  db: Kysely<DatabaseSchema>,
  key: UnitKey,
  mutationNum: number,
): Promise<MutationRow | undefined> {
  return db
    .selectFrom("mutations")
    .selectAll()
    .where("organization_id", "=", key.organizationId)
    .where("space_id", "=", key.spaceId)
    .where("unit_id", "=", key.unitId)
    .where("mutation_num", "=", mutationNum)
    .executeTakeFirst();
}

/** One Revision of the organization by ID, if it exists. */
export async function findRevision(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  revisionId: string,
): Promise<RevisionRow | undefined> {
  return db
    .selectFrom("revisions")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("revision_id", "=", revisionId)
    .executeTakeFirst();
}

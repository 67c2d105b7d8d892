// where_data in the database (issue 17): each Unit's config data also as jsonb, the plain values of
// its documents (a JSON array, one element per document), written with the data by the store's
// unitDataColumns. An organization-wide `where_data` first narrows the Units with a SQL/JSON path
// over it (src/filter/where-data/jsonpath.ts) instead of parsing every Unit. NULL means unknown
// (data of a toolchain other than Kubernetes/YAML, data that does not parse, a Unit written before
// this migration until the start-up backfill reaches it): such a Unit always passes the pre-filter.
import type { Kysely } from "kysely";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("units").addColumn("data_json", "jsonb").execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("units").dropColumn("data_json").execute();
}

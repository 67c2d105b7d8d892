// Room on each page of `units` for a row's next version (issue 17, writes close to previews): every
// data write updates the Unit row, and a Unit row is large (its data, and since 0006 its data_json).
// On a full page the new version goes to another page and every index of `units` (the GIN index on
// labels among them) gets an entry for it; with room left, PostgreSQL writes a heap-only (HOT)
// update that touches no index. Measured on PGlite: the batched UPDATE of an invocation's save takes
// a quarter less time at fillfactor 50; 70 leaves too little room for rows of 2-3 KB. Pages already
// written keep their layout until rewritten; new pages follow the setting.
import { sql, type Kysely } from "kysely";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table units set (fillfactor = 50)`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table units reset (fillfactor)`.execute(db);
}

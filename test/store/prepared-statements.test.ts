// Statements with many bind parameters run as named prepared statements, on PGlite
// (src/store/pglite-prepared-statements.ts, with its own Bind encoder) and on PostgreSQL
// (src/store/pg-prepared-statements.ts): they must give what an unnamed statement gives (values
// of every type, multi-byte text, NULL, errors), leave the connection usable after a failure,
// survive a schema change, and keep a bounded number of statements prepared.
import { createHash } from "node:crypto";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { PREPARE_MIN_PARAMETERS } from "../../src/store/pglite-prepared-statements.ts";
import { PREPARED_PER_CONNECTION } from "../../src/store/pg-prepared-statements.ts";
import { inTransaction } from "../../src/store/transaction.ts";
import { testDatabases } from "../support/databases.ts";

describe.each(testDatabases())("statements with many parameters on $name", (target) => {
  let database: Database;
  let db: Database["db"];
  const table = `prepared_probe_${process.pid}`;
  beforeAll(async () => {
    database = await target.open();
    db = database.db;
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
    await sql`create table ${sql.table(table)} (
      id integer primary key, name text, doc jsonb, ref uuid, flag boolean, at timestamptz
    )`.execute(db);
  });

  interface ProbeRow {
    id: number;
    name: string | null;
    doc: unknown;
    ref: string | null;
    flag: boolean | null;
    at: Date | null;
  }
  const rows = (from: number, count: number): ProbeRow[] =>
    Array.from({ length: count }, (_, i) => ({
      id: from + i,
      // Multi-byte UTF-8 (2, 3 and 4 bytes), quotes and a NUL-free control character.
      name: i % 7 === 0 ? null : `é日本🙂 "${from + i}"\t'x'`,
      doc: { n: from + i, list: ["a", "ü"], nested: { ok: i % 2 === 0 } },
      ref: i % 5 === 0 ? null : `00000000-0000-4000-8000-${String(from + i).padStart(12, "0")}`,
      flag: i % 3 === 0 ? null : i % 2 === 0,
      at: i % 4 === 0 ? null : new Date(Date.UTC(2026, 11, 6, 10, 0, i % 60)),
    }));
  const insert = (handle: Database["db"], list: readonly ProbeRow[]) =>
    handle
      .insertInto(table as never)
      .values(list.map((row) => ({ ...row, doc: JSON.stringify(row.doc) })) as never)
      .execute();
  const select = async (handle: Database["db"], ids: readonly number[]) =>
    (
      await sql<ProbeRow>`select id, name, doc, ref, flag, at from ${sql.table(table)}
        where id in (${sql.join(ids)}) order by id`.execute(handle)
    ).rows;

  it("gives back every value as written, the first time and once prepared", async () => {
    const written = rows(1, 20); // 120 parameters
    await insert(db, written);
    const ids = written
      .map((row) => row.id)
      .concat(Array.from({ length: PREPARE_MIN_PARAMETERS }, (_, i) => -i));
    expect(ids.length).toBeGreaterThanOrEqual(PREPARE_MIN_PARAMETERS);
    // Several runs of the same text: PostgreSQL may switch to a generic plan after five.
    for (let run = 0; run < 8; run++) expect(await select(db, ids)).toEqual(written);
  });

  it("takes up to 65,535 parameters (the count is unsigned on the wire)", async () => {
    const many = rows(100_000, 6_000); // 36,000 parameters
    await insert(db, many);
    const [{ n, names }] = (
      await sql<{ n: number; names: number }>`select count(*)::int as n, count(name)::int as names
        from ${sql.table(table)} where id >= 100000`.execute(db)
    ).rows as [{ n: number; names: number }];
    expect(n).toBe(6_000);
    expect(names).toBe(many.filter((row) => row.name !== null).length);
  });

  it("reports a failed statement's error, rolls its transaction back and goes on", async () => {
    const fresh = rows(1_000, 20);
    const duplicate = [...fresh.slice(0, 19), { ...fresh[0]! }];
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(inTransaction(db, (trx) => insert(trx, duplicate))).rejects.toMatchObject({
        code: "23505",
      });
      expect(
        await select(
          db,
          fresh.map((row) => row.id),
        ),
      ).toEqual([]);
    }
    // Outside a transaction too, then the same statement text with good values.
    await expect(insert(db, duplicate)).rejects.toMatchObject({ code: "23505" });
    await insert(db, fresh);
    expect(
      await select(
        db,
        fresh.map((row) => row.id),
      ),
    ).toEqual(fresh);
  });

  it("reports a statement that does not parse, and the next one runs", async () => {
    const ids = Array.from({ length: PREPARE_MIN_PARAMETERS }, (_, i) => i);
    await expect(
      sql`select id from ${sql.table(table)} where id in (${sql.join(ids)}) order bye id`.execute(db),
    ).rejects.toMatchObject({ code: "42601" });
    // Rows 1-20 are the first test's.
    expect((await select(db, [1, ...ids])).map((row) => row.id)).toEqual(
      ids.filter((id) => id >= 1 && id <= 20),
    );
  });

  it("fails at most one call when a schema change alters a prepared statement's result", async () => {
    const ids = Array.from({ length: PREPARE_MIN_PARAMETERS }, (_, i) => i + 1);
    const selectAll = () =>
      sql<Record<string, unknown>>`select * from ${sql.table(table)}
      where id in (${sql.join(ids)}) order by id`.execute(db);
    expect((await selectAll()).rows[0]).not.toHaveProperty("extra");
    await sql`alter table ${sql.table(table)} add column extra text not null default 'added'`.execute(db);
    // PostgreSQL refuses a cached plan whose result columns changed; that statement is then
    // prepared again, so the next call sees the new column.
    const outcomes = [await selectAll().catch((error: unknown) => error), await selectAll()];
    const last = outcomes[1] as Awaited<ReturnType<typeof selectAll>>;
    expect(last.rows[0]).toMatchObject({ id: 1, extra: "added" });
    if (outcomes[0] instanceof Error)
      expect(outcomes[0].message).toMatch(/cached plan must not change result type/);
    else expect((outcomes[0] as typeof last).rows[0]).toMatchObject({ extra: "added" });
  });

  it.runIf(target.name === "PostgreSQL")(
    "keeps a bounded number of statements prepared per connection, more only inside a transaction",
    async () => {
      await db.connection().execute(async (connection) => {
        const prepared = async (handle: Database["db"]) =>
          Number(
            (await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(handle))
              .rows[0]?.n,
          );
        const shapes = async (handle: Database["db"], count: number) => {
          for (let shape = 0; shape < count; shape++) {
            const ids = Array.from({ length: PREPARE_MIN_PARAMETERS + shape }, (_, i) => i + 1);
            expect((await select(handle, ids)).map((row) => row.id)).toEqual(ids.filter((id) => id <= 20));
          }
        };
        await shapes(connection, 40);
        // The one just run is kept beside the others until the next statement.
        expect(await prepared(connection)).toBeGreaterThan(0);
        expect(await prepared(connection)).toBeLessThanOrEqual(PREPARED_PER_CONNECTION);
        // A name is the digest of its statement: on any server connection (a pooler may hand a
        // Bind to another one), a name stands for one statement only.
        const named = await sql<{ name: string; statement: string }>`select name, statement
          from pg_prepared_statements`.execute(connection);
        for (const { name, statement } of named.rows) {
          expect(name).toBe(`confn_${createHash("sha256").update(statement).digest("hex").slice(0, 40)}`);
        }
        await inTransaction(connection, async (trx) => {
          await shapes(trx, 80);
          expect(await prepared(trx)).toBeLessThanOrEqual(2 * PREPARED_PER_CONNECTION);
        });
        expect(await prepared(connection)).toBeLessThanOrEqual(PREPARED_PER_CONNECTION);
        // A statement with few parameters runs unnamed.
        const before = await prepared(connection);
        await select(connection, [1, 2, 3]);
        expect(await prepared(connection)).toBe(before);
      });
    },
  );

  it.runIf(target.name === "PGlite")("keeps a bounded number of statements prepared", async () => {
    const prepared = async () =>
      Number(
        (await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(db)).rows[0]
          ?.n,
      );
    for (let shape = 0; shape < 40; shape++) {
      const ids = Array.from({ length: PREPARE_MIN_PARAMETERS + shape }, (_, i) => i);
      await select(db, ids);
    }
    const count = await prepared();
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(32);
    // A statement with few parameters goes through PGlite's query() unnamed.
    const before = await prepared();
    await select(db, [1, 2, 3]);
    expect(await prepared()).toBe(before);
  });
});

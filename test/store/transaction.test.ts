// The transaction guard: inside inTransaction's callback only the transaction handle reaches the
// database. A query on the root handle there would wait for the transaction's own connection
// forever (PGlite) or drain the pool (PostgreSQL); the guard fails it at once, and the database
// keeps answering.
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import {
  RootHandleInTransactionError,
  inTransaction,
  transactionRunsAlone,
} from "../../src/store/transaction.ts";
import { testDatabases } from "../support/databases.ts";

describe.each(testDatabases())("inTransaction on $name", (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await target.open();
  });

  const one = async (handle: Database["db"]) =>
    (await sql<{ one: number }>`select 1 as one`.execute(handle)).rows[0]?.one;

  it("runs queries on the transaction handle and commits", async () => {
    expect(await inTransaction(database.db, (trx) => one(trx))).toBe(1);
  });

  it("fails a root-handle query inside the callback instead of waiting for ever", async () => {
    const { db } = database;
    await expect(inTransaction(db, async () => one(db))).rejects.toBeInstanceOf(RootHandleInTransactionError);
    // Also from code the callback calls, after it has used the transaction.
    const lookup = () => one(db);
    await expect(
      inTransaction(db, async (trx) => {
        await one(trx);
        return lookup();
      }),
    ).rejects.toThrow(/Pass the transaction handle/);
    // The transaction rolled back and released its connection: the database still answers.
    expect(await one(db)).toBe(1);
  });

  it("says whether a transaction runs alone: only inside one, and only on PGlite", async () => {
    const alone = target.name === "PGlite";
    expect(transactionRunsAlone()).toBe(false);
    const inside = await inTransaction(database.db, async (trx) => {
      const before = transactionRunsAlone();
      await one(trx);
      return [before, transactionRunsAlone()];
    });
    expect(inside).toEqual([alone, alone]);
    expect(transactionRunsAlone()).toBe(false);
  });

  it("allows root-handle queries before and after a transaction, and in parallel with one", async () => {
    const { db } = database;
    const results = await Promise.all([
      one(db),
      inTransaction(db, (trx) => one(trx)),
      one(db),
      inTransaction(db, (trx) => one(trx)),
    ]);
    expect(results).toEqual([1, 1, 1, 1]);
  });

  // What the PGlite dialect (src/store/pglite-dialect.ts) must do like PostgreSQL's: a rolled-back
  // transaction leaves nothing, its failed statement's error reaches the caller, and a query
  // outside it neither sees its rows nor runs inside it.
  describe("commit and rollback", () => {
    const table = `probe_${process.pid}_${Date.now()}`;
    const count = async (handle: Database["db"]) =>
      Number(
        (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(handle)).rows[0]
          ?.n,
      );
    const insert = (handle: Database["db"], id: number) =>
      sql`insert into ${sql.table(table)} (id) values (${id})`.execute(handle);

    beforeAll(async () => {
      await sql`create table ${sql.table(table)} (id int primary key)`.execute(database.db);
      return async () => {
        await sql`drop table ${sql.table(table)}`.execute(database.db);
      };
    });

    it("keeps what a committed transaction wrote", async () => {
      await inTransaction(database.db, (trx) => insert(trx, 1));
      expect(await count(database.db)).toBe(1);
    });

    it("leaves nothing of a transaction whose callback throws", async () => {
      await expect(
        inTransaction(database.db, async (trx) => {
          await insert(trx, 2);
          throw new Error("changed my mind");
        }),
      ).rejects.toThrow("changed my mind");
      expect(await count(database.db)).toBe(1);
    });

    it("reports a failed statement and rolls back the statements before it", async () => {
      await expect(
        inTransaction(database.db, async (trx) => {
          await insert(trx, 3);
          await insert(trx, 1);
        }),
      ).rejects.toThrow(/duplicate key/);
      expect(await count(database.db)).toBe(1);
    });

    it("does not show an open transaction's rows to a query outside it", async () => {
      let inside!: () => void;
      const wrote = new Promise<void>((resolve) => (inside = resolve));
      let finish!: () => void;
      const released = new Promise<void>((resolve) => (finish = resolve));
      const transaction = inTransaction(database.db, async (trx) => {
        await insert(trx, 4);
        inside();
        await released;
        throw new Error("rolled back");
      });
      await wrote;
      const outside = count(database.db);
      // PostgreSQL answers the outside query at once, from another connection, while the
      // transaction is open; PGlite's single connection queues it until the transaction ends.
      if (database.dialect === "postgres") expect(await outside).toBe(1);
      finish();
      await expect(transaction).rejects.toThrow("rolled back");
      expect(await outside).toBe(1);
      expect(await count(database.db)).toBe(1);
    });
  });
});

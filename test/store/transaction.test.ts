// The transaction guard: inside inTransaction's callback only the transaction handle reaches the
// database. A query on the root handle there would wait for the transaction's own connection
// forever (PGlite) or drain the pool (PostgreSQL); the guard fails it at once, and the database
// keeps answering.
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { RootHandleInTransactionError, inTransaction } from "../../src/store/transaction.ts";
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
});

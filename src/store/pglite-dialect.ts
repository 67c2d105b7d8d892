// kysely over the embedded PGlite. kysely ships a PGlite dialect only from 0.29, which declares
// Node >= 22; we run on Node 20 with kysely's 0.28 line (maintained alongside 0.29), so the
// dialect is here: PostgreSQL's SQL (adapter, compiler, introspector) over PGlite's single
// connection. That one connection is used by one holder at a time: guardDialect's lock
// (transaction.ts, told by `singleConnection`) serialises it, so this driver does no locking.
// Statements with many bind parameters (the batched saves) run as named prepared statements
// (pglite-prepared-statements.ts); the others through PGlite's query().
import type { PGlite, Transaction as PGliteTransaction } from "@electric-sql/pglite";
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from "kysely";
import { PGlitePreparedStatements } from "./pglite-prepared-statements.ts";

/** PostgreSQL's adapter; the migration lock is a no-op, the single connection being held already. */
class PGliteAdapter extends PostgresAdapter {
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

export class PGliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}

  createAdapter() {
    return new PGliteAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}

class PGliteDriver implements Driver {
  private readonly connection: PGliteConnection;

  constructor(private readonly pglite: PGlite) {
    this.connection = new PGliteConnection(pglite);
  }

  async init(): Promise<void> {
    if (this.pglite.closed) throw new Error("the PGlite database is already closed");
    await this.pglite.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async releaseConnection(): Promise<void> {}
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await (connection as PGliteConnection).begin(settings);
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).end("commit");
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).end("rollback");
  }
  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdentifier(name)}`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdentifier(name)}`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdentifier(name)}`));
  }
  async destroy(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}

/**
 * A transaction runs inside PGlite's own `transaction()` (which holds PGlite's exclusive lock, so
 * nothing else on the instance interleaves with it) and stays open until kysely commits or rolls
 * back.
 */
class PGliteConnection implements DatabaseConnection {
  private transaction: PGliteTransaction | undefined;
  private finish: ((outcome: "commit" | "rollback") => void) | undefined;
  private finished: Promise<void> | undefined;

  private readonly prepared: PGlitePreparedStatements;

  constructor(private readonly pglite: PGlite) {
    this.prepared = new PGlitePreparedStatements(pglite);
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { rows, affectedRows } = PGlitePreparedStatements.worthPreparing(query.parameters)
      ? await this.prepared.execute<R>(query.sql, query.parameters, this.transaction !== undefined)
      : await (this.transaction ?? this.pglite).query<R>(query.sql, [...query.parameters], {
          rowMode: "object",
        });
    return {
      rows: rows ?? [],
      ...(affectedRows != null ? { numAffectedRows: BigInt(affectedRows) } : {}),
    };
  }

  // eslint-disable-next-line require-yield -- PGlite returns whole results; kysely asks only when a caller streams
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("PGlite cannot stream a query's rows");
  }

  async begin(settings: TransactionSettings): Promise<void> {
    let begun!: () => void;
    const started = new Promise<void>((resolve) => (begun = resolve));
    const outcome = new Promise<"commit" | "rollback">((resolve) => (this.finish = resolve));
    // The driver's side of inTransaction: the one place a PGlite transaction opens.
    // eslint-disable-next-line no-restricted-syntax
    this.finished = this.pglite.transaction(async (trx) => {
      this.transaction = trx;
      if (settings.isolationLevel || settings.accessMode) {
        const modes = [
          settings.isolationLevel ? `isolation level ${settings.isolationLevel}` : "",
          settings.accessMode ?? "",
        ].filter((mode) => mode !== "");
        await trx.query(`set transaction ${modes.join(", ")}`);
      }
      begun();
      if ((await outcome) === "rollback") await trx.rollback();
    });
    // A failure before the callback ran (PGlite closed) must not leave begin() waiting.
    await Promise.race([started, this.finished]);
  }

  async end(outcome: "commit" | "rollback"): Promise<void> {
    const finished = this.finished;
    this.finish?.(outcome);
    try {
      if (outcome === "commit") await finished;
      else await finished?.catch(() => undefined);
    } finally {
      this.transaction = undefined;
      this.finish = undefined;
      this.finished = undefined;
    }
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

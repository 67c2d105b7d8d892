// Transactions, and the guard that keeps the root handle out of them.
//
// A query on the root `Kysely` inside a transaction's callback asks for a second connection while
// the transaction holds the first. On PGlite (one connection) that waits forever for the
// transaction it runs inside, freezing every request of every organization; on PostgreSQL a dozen
// of them in parallel exhaust the pool the same way. So every transaction opens through
// `inTransaction`, which marks its callback's async context, and the driver of every database
// (`guardDialect`) refuses a connection to a query started in that context on the same database:
// the mistake fails at once, with a message saying what to pass instead, instead of hanging.
// The lint rules in eslint.config.js keep `.transaction()` out of other files and `db` out of
// functions that receive `trx`.
import { AsyncLocalStorage } from "node:async_hooks";
import type { DatabaseConnection, Dialect, Driver, Kysely, Transaction } from "kysely";
import { currentOrganization, type OrganizationShare } from "./organization-share.ts";
import type { DatabaseSchema } from "./schema.ts";

/** The handle a transaction's callback receives; pass it (never the root `db`) to everything it calls. */
export type TransactionHandle = Transaction<DatabaseSchema>;

/** A programming error: the root handle was used where only the transaction's may be. */
export class RootHandleInTransactionError extends Error {
  override readonly name = "RootHandleInTransactionError";
  constructor() {
    super(
      "a query on the root database handle started inside a transaction on the same database; it would " +
        "wait for the transaction's own connection. Pass the transaction handle (trx) to the code it calls",
    );
  }
}

/** One transaction's callback context: which driver opened it, and whether its callback is running. */
interface TransactionScope {
  driver: Driver | undefined;
  open: boolean;
  /** Its database runs one transaction at a time (PGlite): see transactionRunsAlone. */
  alone: boolean;
}

const scopes = new AsyncLocalStorage<TransactionScope>();

/** Runs `work` in a transaction of `db`; within it, only `trx` may reach the database. */
export function inTransaction<DB, T>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  const scope: TransactionScope = { driver: undefined, open: false, alone: false };
  return scopes.run(scope, () =>
    // eslint-disable-next-line no-restricted-syntax -- the one place transactions open
    db.transaction().execute(async (trx) => {
      scope.open = true;
      try {
        return await work(trx);
      } finally {
        scope.open = false;
      }
    }),
  );
}

/**
 * Whether the code calling it runs inside an `inTransaction` callback on a database that runs one
 * transaction at a time (PGlite): then no other writer can change a row between two of its
 * statements, and a row lock taken only to keep others out would cost without guarding anything.
 */
export function transactionRunsAlone(): boolean {
  const scope = scopes.getStore();
  return scope !== undefined && scope.open && scope.alone;
}

export interface GuardOptions {
  /** Each organization's share of the pool (organization-share.ts); unlimited when absent. */
  readonly share?: OrganizationShare;
  /** The database has one connection (PGlite): the guard serialises its use. */
  readonly singleConnection?: boolean;
}

/**
 * `dialect` with a driver that refuses root-handle connections inside `inTransaction` callbacks
 * and, given a share, holds each organization to its share of the pool.
 */
export function guardDialect(dialect: Dialect, options: GuardOptions = {}): Dialect {
  // A single connection (PGlite) is held by one query or transaction at a time. The guard takes
  // that lock itself, after its check, so a root-handle query inside a transaction fails at once
  // instead of waiting for the lock its own transaction holds.
  const serialise = options.singleConnection === true;
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () =>
      guardDriver(dialect.createDriver(), serialise ? new ConnectionLock() : undefined, options.share),
  };
}

function guardDriver(
  driver: Driver,
  lock: ConnectionLock | undefined,
  share: OrganizationShare | undefined,
): Driver {
  /** The organization permit each connection in use was taken with. */
  const permits = new Map<DatabaseConnection, () => void>();
  const guarded: Driver = {
    init: () => driver.init(),
    async acquireConnection(): Promise<DatabaseConnection> {
      const scope = scopes.getStore();
      if (scope) {
        // The first connection a scope asks for is its transaction's own; any later one from the
        // same driver while the callback runs is the root handle used inside it.
        if (scope.driver === undefined) {
          scope.driver = guarded;
          scope.alone = lock !== undefined;
        } else if (scope.driver === guarded && scope.open) throw new RootHandleInTransactionError();
      }
      const organizationId = share ? currentOrganization() : undefined;
      const permit = organizationId !== undefined ? await share!.acquire(organizationId) : undefined;
      await lock?.obtain();
      try {
        const connection = await driver.acquireConnection();
        if (permit) permits.set(connection, permit);
        return connection;
      } catch (error) {
        lock?.release();
        permit?.();
        throw error;
      }
    },
    beginTransaction: (connection, settings) => driver.beginTransaction(connection, settings),
    commitTransaction: (connection) => driver.commitTransaction(connection),
    rollbackTransaction: (connection) => driver.rollbackTransaction(connection),
    async releaseConnection(connection) {
      try {
        await driver.releaseConnection(connection);
      } finally {
        lock?.release();
        permits.get(connection)?.();
        permits.delete(connection);
      }
    },
    destroy: () => driver.destroy(),
  };
  if (driver.savepoint) guarded.savepoint = driver.savepoint.bind(driver);
  if (driver.rollbackToSavepoint) guarded.rollbackToSavepoint = driver.rollbackToSavepoint.bind(driver);
  if (driver.releaseSavepoint) guarded.releaseSavepoint = driver.releaseSavepoint.bind(driver);
  return guarded;
}

/** One holder at a time, first come first served (a single-connection database). */
class ConnectionLock {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  obtain(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

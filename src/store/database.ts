// The database handle every other module uses: a typed kysely instance over the embedded PGlite
// (src/store/pglite-dialect.ts) or PostgreSQL (pg pool), with the same migrations and SQL.
//
// PGlite has a single connection. Its use is serialised (guardDialect's lock is taken per
// connection acquisition, and a transaction holds it until commit), so concurrent requests queue
// rather than interleave. The one rule that follows: inside a transaction use its handle only; a query on
// `db` there would wait for the transaction it runs inside. Both dialects are wrapped by
// guardDialect (./transaction.ts), which fails such a query at once instead.
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import { StoreError } from "./errors.ts";
import pg from "pg";
import { MEMORY_DATA_DIR, describeDatabase, type DatabaseConfig } from "./database-config.ts";
import { lockDataDir } from "./data-dir-lock.ts";
import type { DatabaseSchema } from "./schema.ts";
import { OrganizationShare } from "./organization-share.ts";
import { PGliteDialect } from "./pglite-dialect.ts";
import { preparingPool } from "./pg-prepared-statements.ts";
import { guardDialect } from "./transaction.ts";
import {
  listenForNotifications,
  type NotificationHandler,
  type NotificationListener,
} from "./notifications.ts";

export type DialectName = "pglite" | "postgres";

export interface Database {
  readonly db: Kysely<DatabaseSchema>;
  readonly dialect: DialectName;
  /** For logs: where the data lives, never a password. */
  readonly description: string;
  /** The schema holding confn's tables when it is not the connection's default. */
  readonly schema: string | undefined;
  /**
   * PostgreSQL only: LISTEN on `channels` with a session of its own (replicas sharing the
   * database wake each other). Undefined on the embedded database: one process, nobody to tell.
   */
  readonly listen?: (
    channels: readonly string[],
    onNotification: NotificationHandler,
    onError: (error: unknown) => void,
  ) => Promise<NotificationListener>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PGlite only: start from this dump (`PGlite.dumpDataDir()`) instead of an empty database. */
  readonly loadDataDir?: Blob | File;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<Database> {
  return config.kind === "pglite" ? openPGlite(config.dataDir, options) : openPostgres(config);
}

async function openPGlite(dataDir: string, options: OpenOptions): Promise<Database> {
  const inMemory = dataDir === MEMORY_DATA_DIR;
  let lock: ReturnType<typeof lockDataDir> | undefined;
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true });
    lock = lockDataDir(dataDir);
  }
  try {
    const pglite = new PGlite({
      ...(inMemory ? {} : { dataDir }),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
    await pglite.waitReady;
    const db = new Kysely<DatabaseSchema>({
      dialect: guardDialect(new PGliteDialect(pglite), { singleConnection: true }),
    });
    return {
      db,
      dialect: "pglite",
      description: describeDatabase({ kind: "pglite", dataDir }),
      schema: undefined,
      async close() {
        try {
          await db.destroy();
          // db.destroy() only closes an instance kysely has initialised (one that ran a query).
          if (!pglite.closed) await pglite.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function openPostgres(config: Extract<DatabaseConfig, { kind: "postgres" }>): Promise<Database> {
  const { schema } = config;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new TypeError(`invalid schema name '${schema}': use lower-case letters, digits and _`);
  }
  const poolSize = config.poolSize ?? DEFAULT_POOL_SIZE;
  const statementTimeoutMs = config.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: config.url,
    max: poolSize,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    // No statement holds a pooled connection longer than this, and no session is left "idle in
    // transaction" by a request that went wrong (0 disables the statement bound).
    ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
  });
  // One organization may hold all connections but one: another organization always finds one.
  const share = new OrganizationShare(Math.max(1, poolSize - 1));
  const db = new Kysely<DatabaseSchema>({
    dialect: guardDialect(new PostgresDialect({ pool: preparingPool(pool) }), { share }),
  });
  try {
    // Fail now, with the driver's message, rather than on the first request.
    await pool.query(schema ? `create schema if not exists ${schema}` : "select 1");
  } catch (error) {
    await db.destroy();
    throw setupError(error, config) ?? error;
  }
  return {
    db,
    dialect: "postgres",
    description: describeDatabase(config),
    schema,
    listen: (channels, onNotification, onError) =>
      listenForNotifications(config.url, channels, onNotification, onError),
    close: () => db.destroy(),
  };
}

/**
 * The first connection's failure as a setup mistake the user can fix (wrong host, database missing,
 * password refused), naming DATABASE_URL and what to do; undefined for anything else.
 */
function setupError(error: unknown, config: { url: string }): StoreError | undefined {
  const where = describeDatabase({ kind: "postgres", url: config.url });
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  let database = "";
  try {
    database = decodeURIComponent(new URL(config.url).pathname.slice(1));
  } catch {
    // Checked when the configuration was read; nothing more to say.
  }
  switch (code) {
    case "3D000":
      return new StoreError(
        "DATABASE_SETUP",
        `${where} (DATABASE_URL): ${message}; create it (createdb ${database || "NAME"}) or point DATABASE_URL at an existing database`,
      );
    case "28P01":
    case "28000":
      return new StoreError(
        "DATABASE_SETUP",
        `${where} (DATABASE_URL) refused the login: ${message}; check the user and password in DATABASE_URL`,
      );
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
      return new StoreError(
        "DATABASE_SETUP",
        `cannot reach ${where} (DATABASE_URL): ${message}; is PostgreSQL running there? (unset DATABASE_URL to use the embedded database)`,
      );
    default:
      return undefined;
  }
}

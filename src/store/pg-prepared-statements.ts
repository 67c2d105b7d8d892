// Named prepared statements on PostgreSQL (pg), for the statements that are expensive to parse and
// plan and run again and again with other values: a batched save (~1,600 bind parameters for 64
// Units) and the lock SELECT before it. kysely sends every statement unnamed, so PostgreSQL parses,
// analyses and plans it on each call: measured on bench invoke, binding a 64-Unit save took 7-20 ms
// of the backend's time, more than running it. Under a name, it is parsed once per connection,
// and after five runs the plan cache (plan_cache_mode = auto) may keep a generic plan and skip
// planning too. The embedded database does the same through its own protocol
// (pglite-prepared-statements.ts), with the same threshold.
//
// pg prepares a statement given a name once per connection and remembers it; this wraps the pool
// so that kysely's connections name the statements worth it (at least PREPARE_MIN_PARAMETERS
// parameters, as on PGlite), and keeps at most PREPARED_PER_CONNECTION of them per connection:
// the least recently used are deallocated (and forgotten by pg) once the connection is outside a
// transaction. A statement that fails is deallocated likewise and prepared again next time. A
// name is a digest of the statement's text, so it stands for the same statement on every
// connection, whichever server connection a pooler (PgBouncer) hands a Bind to.
import { createHash } from "node:crypto";
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";
import type pg from "pg";
import { PREPARE_MIN_PARAMETERS } from "./pglite-prepared-statements.ts";

/** Statements kept prepared per connection outside a transaction (twice as many inside one). */
export const PREPARED_PER_CONNECTION = 16;

/** What pg keeps per connection of the statements it prepared (not in its types; checked at runtime). */
interface ParsedStatements {
  readonly parsedStatements: Record<string, string>;
}

/**
 * A connection's named statements, by SQL text, least recently used first (Map keeps insertion
 * order). Statements are deallocated only while the connection is outside a transaction: a
 * deallocate that fails then aborts nothing.
 */
class ConnectionStatements {
  private readonly names = new Map<string, string>();
  /** Names of statements that failed, perhaps still prepared on the server: deallocated when idle. */
  private stale: string[] = [];

  constructor(
    private readonly client: pg.PoolClient,
    private readonly parsed: Record<string, string>,
  ) {}

  /** Outside a transaction: back to at most PREPARED_PER_CONNECTION statements, and none that failed. */
  async tidy(): Promise<void> {
    if (this.stale.length === 0 && this.names.size <= PREPARED_PER_CONNECTION) return;
    if (this.client.getTransactionStatus() !== "I") return;
    for (const name of this.stale.splice(0)) await this.deallocate(name);
    for (const [sql, name] of this.names) {
      if (this.names.size <= PREPARED_PER_CONNECTION) break;
      this.names.delete(sql);
      await this.deallocate(name);
    }
  }

  /**
   * The statement's name; undefined: run it unnamed (this connection holds too many statements,
   * which happens only inside a transaction: tidy() makes room once it ends).
   */
  nameFor(sql: string): string | undefined {
    const known = this.names.get(sql);
    if (known !== undefined) {
      this.names.delete(sql);
      this.names.set(sql, known);
      return known;
    }
    if (this.names.size >= 2 * PREPARED_PER_CONNECTION) return undefined;
    const name = statementName(sql);
    // Still to be deallocated after a failure: preparing it again now would clash with it.
    if (this.stale.includes(name)) return undefined;
    this.names.set(sql, name);
    return name;
  }

  /**
   * The statement failed: it is deallocated once the connection is idle and prepared again after
   * that, so a cached plan that a schema change made stale fails one call (in the meantime it runs
   * unnamed).
   */
  forget(sql: string, name: string): void {
    if (this.names.get(sql) === name) this.names.delete(sql);
    if (this.parsed[name] === undefined) return;
    delete this.parsed[name];
    this.stale.push(name);
  }

  private async deallocate(name: string): Promise<void> {
    delete this.parsed[name];
    // It may be gone already (pg closes a statement whose values it could not encode).
    await this.client.query(`deallocate ${name}`).catch(() => undefined);
  }
}

/** The statement's name: a digest of its text (PostgreSQL takes names of up to 63 bytes). */
function statementName(sql: string): string {
  return `confn_${createHash("sha256").update(sql).digest("hex").slice(0, 40)}`;
}

function parsedStatements(client: pg.PoolClient): Record<string, string> | undefined {
  const connection = (client as unknown as { connection?: Partial<ParsedStatements> }).connection;
  const parsed = connection?.parsedStatements;
  return typeof parsed === "object" && parsed !== null ? parsed : undefined;
}

/** Each pooled connection's statements, for as long as the connection lives. */
const statementsOf = new WeakMap<pg.PoolClient, ConnectionStatements>();

/** The connection's statements; undefined (everything runs unnamed) should pg keep them elsewhere one day. */
function connectionStatements(client: pg.PoolClient): ConnectionStatements | undefined {
  const known = statementsOf.get(client);
  if (known) return known;
  const parsed = parsedStatements(client);
  if (!parsed) return undefined;
  const statements = new ConnectionStatements(client, parsed);
  statementsOf.set(client, statements);
  return statements;
}

function preparingClient(client: pg.PoolClient): PostgresPoolClient {
  const known = connectionStatements(client);
  async function run<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> {
    await known?.tidy();
    // kysely's connection hands over a copy of its parameters already: no second one.
    const values = parameters as unknown[];
    const name = parameters.length >= PREPARE_MIN_PARAMETERS ? known?.nameFor(sql) : undefined;
    if (name === undefined) return (await client.query(sql, values)) as unknown as PostgresQueryResult<R>;
    try {
      return (await client.query({ name, text: sql, values })) as unknown as PostgresQueryResult<R>;
    } catch (error) {
      known?.forget(sql, name);
      throw error;
    }
  }
  return {
    query: ((sqlOrCursor: string | PostgresCursor<unknown>, parameters?: readonly unknown[]) =>
      typeof sqlOrCursor === "string"
        ? run(sqlOrCursor, parameters ?? [])
        : client.query(sqlOrCursor as never)) as PostgresPoolClient["query"],
    release: (destroy?: boolean) => client.release(destroy),
  };
}

/** The pool as kysely's PostgresDialect takes it, its connections naming the statements worth preparing. */
export function preparingPool(pool: pg.Pool): PostgresPool {
  return {
    connect: async () => preparingClient(await pool.connect()),
    end: () => pool.end(),
  };
}

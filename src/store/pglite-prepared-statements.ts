// Named prepared statements on the embedded PGlite, for the statements that are expensive to parse
// and plan and run again and again with other values: a batched save (~1,300 bind parameters for
// 64 Units) and the lock SELECT before it. PGlite's query() sends each statement unnamed, so
// PostgreSQL parses, analyses and plans it on every call; kept under a name, it is parsed once, and
// after five runs PostgreSQL's plan cache (plan_cache_mode = auto) may keep a generic plan and
// skip planning too. Measured on a 64-Unit save, that is a third of the save's database CPU.
//
// Only statements with at least PREPARE_MIN_PARAMETERS parameters are prepared: those are the
// repeated batch statements, while the many small queries cost little to parse and some (a user's
// LIKE filter) plan better with their values. At most CACHE_SIZE are kept, the least recently used
// closed first. A statement that fails is closed and prepared again next time, so a plan that a
// schema change made stale ("cached plan must not change result type") fails one call, not all.
//
// It speaks PGlite's public protocol API (execProtocol, the same messages query() sends) inside
// PGlite's query mutex, so nothing interleaves with it. On PostgreSQL, pg-prepared-statements.ts
// does the same through pg.
import { parse, protocol, type PGlite, type Results } from "@electric-sql/pglite";

/** Statements with fewer bind parameters go through PGlite's query() unnamed. */
export const PREPARE_MIN_PARAMETERS = 64;
const CACHE_SIZE = 32;

interface PreparedStatement {
  readonly name: string;
  /** The parameter types PostgreSQL inferred, which pick each value's serializer. */
  readonly parameterTypes: readonly number[];
}

export class PGlitePreparedStatements {
  /** By SQL text, least recently used first (Map keeps insertion order). */
  private readonly statements = new Map<string, PreparedStatement>();
  private nextName = 1;

  constructor(private readonly pglite: PGlite) {}

  /**
   * Whether `execute` should run a statement with these parameters: enough of them (see
   * PREPARE_MIN_PARAMETERS), and no bytes (query() sends those in binary format; none of ours are).
   */
  static worthPreparing(parameters: readonly unknown[]): boolean {
    return parameters.length >= PREPARE_MIN_PARAMETERS && !parameters.some(ArrayBuffer.isView);
  }

  /**
   * Runs the statement under its name (preparing it on first use) and returns what PGlite's
   * query() would for the same statement, in object row mode. `inTransaction`: whether a
   * transaction is open, as PGlite's query() asks before it syncs the data directory.
   */
  async execute<R>(sql: string, parameters: readonly unknown[], inTransaction: boolean): Promise<Results<R>> {
    if (this.pglite.closed) throw new Error("PGlite is closed");
    const results = await this.pglite.runExclusive(async () => {
      const statement = this.statements.get(sql) ?? (await this.prepare(sql));
      // Most recently used goes last.
      this.statements.delete(sql);
      this.statements.set(sql, statement);
      try {
        return parse.parseResults(await this.run(statement, parameters), this.pglite.parsers, {
          rowMode: "object",
        });
      } catch (error) {
        await this.close(sql).catch(() => undefined);
        throw error;
      }
    });
    if (!inTransaction) await this.pglite.syncToFs();
    return results[0] as Results<R>;
  }

  private async prepare(sql: string): Promise<PreparedStatement> {
    const name = `confn_prepared_${this.nextName++}`;
    const described = await this.extendedQuery([
      protocol.serialize.parse({ name, text: sql }),
      protocol.serialize.describe({ type: "S", name }),
    ]);
    const statement = { name, parameterTypes: parse.parseDescribeStatementResults(described) };
    if (this.statements.size >= CACHE_SIZE) {
      const [leastRecent] = this.statements.keys();
      if (leastRecent !== undefined) await this.close(leastRecent);
    }
    return statement;
  }

  private run(statement: PreparedStatement, parameters: readonly unknown[]) {
    // As PGlite's query() serialises them: by the type PostgreSQL inferred for each parameter.
    const values = parameters.map((value, index) => {
      if (value === null || value === undefined) return null;
      const serialize = this.pglite.serializers[statement.parameterTypes[index]!];
      return serialize ? (serialize(value) as string) : String(value);
    });
    return this.extendedQuery([
      bindMessage(statement.name, values),
      protocol.serialize.describe({ type: "P" }),
      protocol.serialize.execute({}),
    ]);
  }

  private async close(sql: string): Promise<void> {
    const statement = this.statements.get(sql);
    if (!statement) return;
    this.statements.delete(sql);
    await this.extendedQuery([protocol.serialize.close({ type: "S", name: statement.name })]);
  }

  /**
   * Sends the messages one by one, then Sync whatever happened: after an error PostgreSQL skips
   * to the Sync, and without it the next statement would be skipped too.
   */
  private async extendedQuery(messages: readonly Uint8Array[]) {
    const received = [];
    try {
      for (const message of messages) {
        received.push(...(await this.pglite.execProtocol(message, { syncToFs: false })).messages);
      }
    } finally {
      await this.pglite.execProtocol(protocol.serialize.sync(), { syncToFs: false });
    }
    return received;
  }
}

/**
 * PostgreSQL's Bind message for the unnamed portal: every value in text format, results in text.
 * PGlite's own serializer measures each string's UTF-8 length in a JavaScript loop, twice, and
 * grows its buffer by copying, which for a batch's ~200 KB of values costs more than the
 * statement's parse; this one measures and copies natively into one buffer of the right size.
 * Layout (protocol 3.0, "Bind"): 'B', length, portal, statement, format codes (none: all text),
 * the values (length or -1 for NULL, then the bytes), result format codes (none: all text).
 */
export function bindMessage(statement: string, values: readonly (string | null)[]): Uint8Array {
  const statementBytes = Buffer.byteLength(statement);
  let length = 4 + 1 + (statementBytes + 1) + 2 + 2 + 2;
  for (const value of values) length += 4 + (value === null ? 0 : Buffer.byteLength(value));
  const message = Buffer.allocUnsafe(1 + length);
  let at = message.writeUInt8(0x42, 0); // 'B'
  at = message.writeInt32BE(length, at);
  at = message.writeUInt8(0, at); // the unnamed portal
  at += message.write(statement, at);
  at = message.writeUInt8(0, at);
  at = message.writeInt16BE(0, at); // no parameter format codes: all text
  at = message.writeUInt16BE(values.length, at); // up to 65,535, as PostgreSQL reads it
  for (const value of values) {
    if (value === null) {
      at = message.writeInt32BE(-1, at);
      continue;
    }
    const lengthAt = at;
    at += 4;
    const written = message.write(value, at);
    message.writeInt32BE(written, lengthAt);
    at += written;
  }
  message.writeInt16BE(0, at); // no result format codes: all text
  return message;
}

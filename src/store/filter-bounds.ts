// Regexes in a `where` run inside PostgreSQL, so their bounds belong to the store, the only place
// that runs SQL. RE2 syntax (checked before the query is built) rules out backreferences, the
// source of exponential backtracking in PostgreSQL's engine, but a pattern can still be costly (a large bounded repeat over a big table). So a query whose filter uses a
// regex runs with a statement timeout, set with `set_config(..., is_local => true)` (SET LOCAL, but
// parameterised) inside its own transaction, and the database's verdicts come back as FilterErrors
// (400), not as 500s:
//   57014 query_canceled            -> FILTER_TIMEOUT
//   2201B invalid_regular_expression -> FILTER_INVALID_REGEX ("regular expression is too complex")
// PGlite runs in-process without timers, so it ignores statement_timeout; there the bound rests on
// the RE2 restriction alone.
import { sql, type Kysely, type Transaction } from "kysely";
import { FilterError, FilterErrorCode } from "../filter/index.ts";
import { inTransaction } from "./transaction.ts";

export const DEFAULT_FILTER_TIMEOUT_MS = 5_000;

export interface FilterBoundsOptions {
  /** The statement timeout for a query whose filter runs a regex. */
  readonly timeoutMs?: number;
  /** The `where` text, quoted in errors (defaults to `filter.source`). */
  readonly source?: string;
}

/**
 * Runs `query` with the bounds a filter needs: when `filter.usesRegex`, inside a transaction with a
 * local statement timeout (reusing the caller's transaction if `db` is one). Database errors caused
 * by the filter become FilterErrors; anything else is rethrown untouched.
 */
export async function withFilterBounds<DB, T>(
  db: Kysely<DB> | Transaction<DB>,
  filter: { readonly usesRegex: boolean; readonly source?: string } | undefined,
  query: (db: Kysely<DB>) => Promise<T>,
  options: FilterBoundsOptions = {},
): Promise<T> {
  const timeoutMs = Math.trunc(options.timeoutMs ?? DEFAULT_FILTER_TIMEOUT_MS);
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`withFilterBounds: timeoutMs must be a positive integer, got ${options.timeoutMs}`);
  }
  try {
    if (!filter?.usesRegex) return await query(db);
    if (db.isTransaction) return await boundedIn(db, timeoutMs, query);
    return await inTransaction(db, (trx) => boundedIn(trx, timeoutMs, query));
  } catch (error) {
    throw asFilterError(error, timeoutMs, options.source ?? filter?.source ?? "") ?? error;
  }
}

async function boundedIn<DB, T>(
  db: Kysely<DB>,
  timeoutMs: number,
  query: (db: Kysely<DB>) => Promise<T>,
): Promise<T> {
  const previous = await sql<{ value: string }>`select current_setting('statement_timeout') as value`.execute(
    db,
  );
  await sql`select set_config('statement_timeout', ${String(timeoutMs)}, true)`.execute(db);
  const result = await query(db);
  // Inside a caller's transaction the setting would outlive this query: put it back.
  await sql`select set_config('statement_timeout', ${previous.rows[0]?.value ?? "0"}, true)`.execute(db);
  return result;
}

function asFilterError(error: unknown, timeoutMs: number, source: string): FilterError | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === "57014") {
    return new FilterError({
      code: FilterErrorCode.Timeout,
      language: "where",
      source,
      problem: `the filter ran longer than ${timeoutMs} ms`,
      hint: "simplify the regular expression or narrow the filter with other conditions",
    });
  }
  if (code === "2201B") {
    const reason = error instanceof Error ? error.message : "rejected by the database";
    return new FilterError({
      code: FilterErrorCode.InvalidRegex,
      language: "where",
      source,
      problem: "the database cannot run this regular expression",
      hint: reason,
    });
  }
  return undefined;
}

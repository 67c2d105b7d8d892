// Planner statistics for the embedded database. PostgreSQL's autovacuum daemon keeps them fresh
// (ANALYZE after enough rows changed); PGlite runs no background processes, so a table that never
// was analyzed keeps the planner's defaults forever. With those, the keyset-paginated Unit read of
// an invocation (organization, unit_id > last, a where_data pre-filter, ORDER BY unit_id LIMIT n)
// is planned as "scan every remaining Unit, then sort": each batch costs the whole rest of the
// organization, and an organization-wide call grows with the square of its Units.
// So the server does for PGlite what autovacuum does for PostgreSQL, on a timer: a table whose size
// on disk moved well away from what its last ANALYZE saw (or that never was analyzed) is analyzed
// again. Checking reads only the catalog (no table scan); ANALYZE samples a bounded number of rows.
import { sql, type Kysely } from "kysely";
import type { DatabaseSchema } from "./schema.ts";

/** How often the tables are checked (the first check runs at start). */
export const DEFAULT_STATISTICS_INTERVAL_MS = 30_000;

/** A table is analyzed again once its pages differ from the last ANALYZE's by this share... */
const CHANGED_SHARE = 0.2;
/** ...and by at least this many pages (8 KiB each), so small tables are not analyzed on every change. */
const CHANGED_PAGES = 8;

export interface StatisticsUpkeep {
  /** The first check (at start); resolves with the tables it analyzed. */
  readonly started: Promise<string[]>;
  /** Stops the timer and waits for a check in progress. */
  stop(): Promise<void>;
}

/** The tables of the current schema whose statistics are out of date, and analyzes them. */
export async function refreshStatistics(db: Kysely<DatabaseSchema>): Promise<string[]> {
  const { rows } = await sql<{ table: string; analyzed_pages: number; reltuples: number; pages: number }>`
    select c.relname as "table", c.relpages as analyzed_pages, c.reltuples::float8 as reltuples,
           (pg_relation_size(c.oid) / current_setting('block_size')::int)::int as pages
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind = 'r'
  `.execute(db);
  const stale = rows.filter((row) => {
    if (row.pages === 0) return false;
    if (row.reltuples < 0) return true; // never analyzed
    const moved = Math.abs(row.pages - row.analyzed_pages);
    return moved >= CHANGED_PAGES && moved > CHANGED_SHARE * row.analyzed_pages;
  });
  for (const { table } of stale) await sql`analyze ${sql.table(table)}`.execute(db);
  return stale.map((row) => row.table);
}

/** Checks now, then every `intervalMs`; errors go to `onError` and the next check tries again. */
export function startStatisticsUpkeep(
  db: Kysely<DatabaseSchema>,
  onError: (error: unknown) => void,
  intervalMs = DEFAULT_STATISTICS_INTERVAL_MS,
): StatisticsUpkeep {
  let running: Promise<string[]> | undefined;
  const check = (): Promise<string[]> => {
    // A check still running (a long ANALYZE) is not started twice.
    running ??= refreshStatistics(db)
      .catch((error: unknown) => {
        onError(error);
        return [];
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const started = check();
  // Unref'd: the timer alone never keeps the process alive.
  const timer = setInterval(() => void check(), intervalMs).unref();
  return {
    started,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

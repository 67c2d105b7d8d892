// Which database to open, from the environment: DATABASE_URL selects PostgreSQL through pg;
// otherwise the embedded PGlite, persisted in CONFN_DATA_DIR (default .confn/data) or kept in
// memory when CONFN_DATA_DIR is `memory://`.
import { resolve } from "node:path";
import { StoreError } from "./errors.ts";

export const MEMORY_DATA_DIR = "memory://";
export const DEFAULT_DATA_DIR = ".confn/data";

export type DatabaseConfig =
  | {
      readonly kind: "pglite";
      /** An absolute directory, or MEMORY_DATA_DIR. */
      readonly dataDir: string;
    }
  | {
      readonly kind: "postgres";
      readonly url: string;
      /** Creates and uses this schema (search_path) instead of the connection's default. */
      readonly schema?: string;
      readonly poolSize?: number;
      /** PostgreSQL's statement_timeout for every pooled connection (default 30 s; 0: none). */
      readonly statementTimeoutMs?: number;
    };

export function databaseConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) return { kind: "postgres", url: checkedUrl(url) };
  const dataDir = env.CONFN_DATA_DIR?.trim() || DEFAULT_DATA_DIR;
  return { kind: "pglite", dataDir: dataDir === MEMORY_DATA_DIR ? dataDir : resolve(cwd, dataDir) };
}

const URL_FORM = "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE";

/** A DATABASE_URL that pg can use; a setup error naming the variable and its form otherwise. */
function checkedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreError(
      "DATABASE_SETUP",
      `DATABASE_URL is not a URL: expected ${URL_FORM} (unset DATABASE_URL to use the embedded database)`,
    );
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new StoreError(
      "DATABASE_SETUP",
      `DATABASE_URL must be a PostgreSQL URL (${URL_FORM}), not ${parsed.protocol}// (unset DATABASE_URL to use the embedded database)`,
    );
  }
  if (parsed.hostname === "" && !parsed.searchParams.has("host")) {
    throw new StoreError("DATABASE_SETUP", `DATABASE_URL names no host: expected ${URL_FORM}`);
  }
  return url;
}

/** A description safe to print: never the password of a connection URL. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === "pglite") {
    return config.dataDir === MEMORY_DATA_DIR ? "PGlite (in memory)" : `PGlite at ${config.dataDir}`;
  }
  let where = "PostgreSQL";
  try {
    const url = new URL(config.url);
    where = `PostgreSQL at ${url.host}${url.pathname}`;
  } catch {
    // A libpq keyword string rather than a URL: say nothing more than the kind.
  }
  return config.schema ? `${where} (schema ${config.schema})` : where;
}

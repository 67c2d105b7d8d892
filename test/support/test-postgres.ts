// The PostgreSQL that database tests also run on when CONFN_TEST_DATABASE_URL is set (.ci/run
// sets it when 127.0.0.1:5432 answers).
import { describeDatabase } from "../../src/store/database-config.ts";

export const POSTGRES_URL_VARIABLE = "CONFN_TEST_DATABASE_URL";

export function testPostgresUrl(): string | undefined {
  return process.env[POSTGRES_URL_VARIABLE]?.trim() || undefined;
}

export function describeTestPostgres(): string {
  const url = testPostgresUrl();
  return url ? describeDatabase({ kind: "postgres", url }) : "PostgreSQL";
}

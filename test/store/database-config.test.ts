// DATABASE_URL mistakes are setup errors that name the variable and the fix (the CLI prints them as
// one line and exits 2), found when the configuration is read or at the first connection.
import { describe, expect, it } from "vitest";
import { databaseConfigFromEnv, openDatabase, StoreError } from "../../src/store/index.ts";
import { thrown } from "../support/thrown.ts";

function setupError(run: () => unknown): StoreError {
  const error = thrown(run);
  expect(error).toBeInstanceOf(StoreError);
  expect((error as StoreError).code).toBe("DATABASE_SETUP");
  return error as StoreError;
}

describe("DATABASE_URL", () => {
  it("is refused when it is not a PostgreSQL URL, naming the variable and the expected form", () => {
    expect(setupError(() => databaseConfigFromEnv({ DATABASE_URL: "postgres//localhost/db" })).message).toBe(
      "DATABASE_URL is not a URL: expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE (unset DATABASE_URL to use the embedded database)",
    );
    expect(
      setupError(() => databaseConfigFromEnv({ DATABASE_URL: "mysql://root@localhost/db" })).message,
    ).toBe(
      "DATABASE_URL must be a PostgreSQL URL (postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE), not mysql:// (unset DATABASE_URL to use the embedded database)",
    );
  });

  it("selects PostgreSQL for a valid URL and the embedded database without one", () => {
    expect(databaseConfigFromEnv({ DATABASE_URL: "postgresql://u@h:5432/d" })).toEqual({
      kind: "postgres",
      url: "postgresql://u@h:5432/d",
    });
    expect(databaseConfigFromEnv({ CONFN_DATA_DIR: "memory://" })).toEqual({
      kind: "pglite",
      dataDir: "memory://",
    });
  });

  it("names the variable and the fix when the server is unreachable", async () => {
    const error = await openDatabase({ kind: "postgres", url: "postgres://postgres@127.0.0.1:1/test" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toMatch(
      /^cannot reach PostgreSQL at 127\.0\.0\.1:1\/test \(DATABASE_URL\): .*ECONNREFUSED.*; is PostgreSQL running there\?/,
    );
  });

  it.runIf(process.env.CONFN_TEST_DATABASE_URL)("names a missing database and how to create it", async () => {
    const url = new URL(process.env.CONFN_TEST_DATABASE_URL!);
    url.pathname = "/confn_no_such_database";
    const error = await openDatabase({ kind: "postgres", url: url.toString() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as StoreError).code).toBe("DATABASE_SETUP");
    expect((error as StoreError).message).toMatch(
      /\(DATABASE_URL\): database "confn_no_such_database" does not exist; create it \(createdb confn_no_such_database\)/,
    );
  });
});

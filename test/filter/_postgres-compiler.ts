// A kysely instance that only compiles (DummyDriver + the PostgreSQL query compiler), for asserting
// SQL text and parameters in the style of kysely's own tests.
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type Expression,
  type SqlBool,
} from "kysely";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const compileOnly = new Kysely<any>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** `select "unit_id" from "<table>" where <condition>` as SQL text and parameters. */
export function selectWhere(
  table: string,
  condition: Expression<SqlBool>,
): { sql: string; parameters: readonly unknown[] } {
  const { sql, parameters } = compileOnly.selectFrom(table).select("unit_id").where(condition).compile();
  return { sql, parameters };
}

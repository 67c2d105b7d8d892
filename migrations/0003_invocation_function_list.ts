// A saved Invocation may call several functions in order (ConfigHub's newer `FunctionInvocations`
// list). The list is kept whole in `function_invocations` ([{FunctionName, Arguments}], jsonb);
// `function_name` and `arguments` keep mirroring its first entry, so `where` on FunctionName and
// clients of the single-call shape go on working. Existing Invocations become one-entry lists.
import { sql, type Kysely } from "kysely";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("invocations")
    .addColumn("function_invocations", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await sql`
    update invocations
    set function_invocations = jsonb_build_array(
      jsonb_build_object('FunctionName', function_name, 'Arguments', arguments)
    )
  `.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("invocations").dropColumn("function_invocations").execute();
}

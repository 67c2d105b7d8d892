// A Mutation's ResourceMutationList and FunctionInvocation list as `json`, not `jsonb` (issue 17,
// writes close to previews): every changed Unit of a real write stores both (the list ~1-2 KB for a
// set-image), and no query ever looks inside them: they are written once and read back whole.
// `jsonb` input parses the text into its binary form; `json` input only checks that the text is
// JSON and keeps it as sent. Measured on PGlite, 64 rows of a 1.6 KB list at a time: 0.14-0.17 ms a
// row as jsonb, 0.07-0.09 as json. Reads are alike: both come back parsed.
import { sql, type Kysely } from "kysely";

const COLUMNS = ["resource_mutations", "function_invocations"] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function retype(db: Kysely<any>, type: "json" | "jsonb"): Promise<void> {
  for (const column of COLUMNS) {
    const c = sql.ref(column);
    await sql`alter table mutations
      alter column ${c} drop default,
      alter column ${c} type ${sql.raw(type)} using ${c}::${sql.raw(type)},
      alter column ${c} set default ${sql.raw(`'[]'::${type}`)}`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await retype(db, "json");
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await retype(db, "jsonb");
}

// `confn migrate`: applies pending migrations to the configured database (the server also does
// this on every start) and says which ran.
import type { Command } from "commander";
import { action } from "../cli-error.ts";
import { withAdminDatabase } from "../admin-database.ts";

export function register(program: Command): void {
  program
    .command("migrate")
    .description(
      "apply pending database migrations (DATABASE_URL, or the embedded database in CONFN_DATA_DIR)",
    )
    .action(
      action(async () => {
        await withAdminDatabase(async (database, { applied }) => {
          process.stdout.write(
            applied.length === 0
              ? `${database.description}: already up to date\n`
              : `${database.description}: applied ${applied.join(", ")}\n`,
          );
        });
      }),
    );
}

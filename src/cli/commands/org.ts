// `confn org create SLUG`: creates an organization and an admin token for it, directly in the
// configured database (no server needed; stop a server using the same embedded database first).
// The token goes to stdout alone, so `TOKEN=$(confn org create acme)` works; the rest to stderr.
import type { Command } from "commander";
import { createOrganization, createApiToken } from "../../store/index.ts";
import { withAdminDatabase } from "../admin-database.ts";
import { CliUsageError, action } from "../cli-error.ts";

const SLUG = /^[A-Za-z0-9]([-_.A-Za-z0-9]*[A-Za-z0-9])?$/;

export function checkSlug(slug: string, what: string): void {
  if (slug.length > 128 || !SLUG.test(slug)) {
    throw new CliUsageError(
      `invalid ${what} '${slug}': use letters, digits, '-', '_' and '.', starting and ending with a letter or digit (at most 128)`,
    );
  }
}

export function register(program: Command): void {
  const org = program.command("org").description("manage organizations (directly in the database)");
  org
    .command("create")
    .description("create an organization and print an admin token for it")
    .argument("<slug>", "the organization's slug")
    .option("--display-name <name>", "a friendly name (default: the slug)")
    .action(
      action(async (slug: string, options: { displayName?: string }) => {
        checkSlug(slug, "organization slug");
        await withAdminDatabase(async ({ db }) => {
          const organization = await createOrganization(db, {
            slug,
            ...(options.displayName ? { displayName: options.displayName } : {}),
          });
          const { token } = await createApiToken(db, {
            organizationId: organization.organization_id,
            role: "admin",
            description: "created by confn org create",
          });
          process.stderr.write(
            `created organization '${slug}' (${organization.organization_id}) and an admin token (shown once):\n`,
          );
          process.stdout.write(`${token}\n`);
        });
      }),
    );
}

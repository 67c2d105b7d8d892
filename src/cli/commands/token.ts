// `confn token create --org SLUG --role ROLE`: issues an API token directly in the configured
// database and prints it (only its hash is stored, so this is the one chance to copy it).
import { Option, type Command } from "commander";
import { NotFoundError, findOrganizationBySlug, ROLES, createApiToken } from "../../store/index.ts";
import type { Role } from "../../store/index.ts";
import { withAdminDatabase } from "../admin-database.ts";
import { action } from "../cli-error.ts";
import { checkSlug } from "./org.ts";

export function register(program: Command): void {
  const token = program.command("token").description("manage API tokens (directly in the database)");
  token
    .command("create")
    .description("issue an API token for an organization and print it")
    .requiredOption("--org <slug>", "the organization the token belongs to")
    .addOption(new Option("--role <role>", "what the token may do").choices(ROLES).makeOptionMandatory())
    .option("--description <text>", "a note on who or what uses the token", "")
    .action(
      action(async (options: { org: string; role: Role; description: string }) => {
        checkSlug(options.org, "organization slug");
        await withAdminDatabase(async ({ db }) => {
          const organization = await findOrganizationBySlug(db, options.org);
          if (!organization) throw new NotFoundError("Organization", options.org);
          const { token: secret } = await createApiToken(db, {
            organizationId: organization.organization_id,
            role: options.role,
            description: options.description,
          });
          process.stderr.write(
            `created ${/^[aeiou]/.test(options.role) ? "an" : "a"} ${options.role} token for organization '${options.org}' (shown once):\n`,
          );
          process.stdout.write(`${secret}\n`);
        });
      }),
    );
}

// `confn token create|list|revoke`: API tokens, two ways.
// - Through a running server (`--server URL` or CONFN_URL; an admin token from --token-file,
//   CONFN_TOKEN or .confn/admin-token): no downtime, the server's organization (token-api.ts).
// - Directly in the configured database (no server URL): `--org SLUG` names the organization; with
//   the embedded database the server must be stopped (PGlite admits one process).
// Either way a new token's secret goes to stdout alone, once: only its hash is stored.
import { Option, type Command } from "commander";
import {
  NotFoundError,
  findOrganizationBySlug,
  ROLES,
  createApiToken,
  listApiTokens,
  revokeApiToken,
  type Database,
  type OrganizationRow,
} from "../../store/index.ts";
import type { Role } from "../../store/index.ts";
import { withAdminDatabase } from "../admin-database.ts";
import { CliUsageError, action } from "../cli-error.ts";
import { addConnectionOptions, processIo, runCommand, type CommandResult } from "../command-run.ts";
import type { ConnectionFlags } from "../remote/server-connection.ts";
import { checkSlug } from "./org.ts";

interface TokenFlags extends ConnectionFlags {
  org?: string;
  json?: boolean;
}

const HOW =
  "through the server with --server URL (or CONFN_URL), or directly in the database with --org SLUG (server stopped)";

/** The API when a server URL is given; otherwise the database, which needs --org. */
function viaServer(flags: TokenFlags): boolean {
  const server = flags.server !== undefined || (process.env.CONFN_URL ?? "").trim() !== "";
  if (server && flags.org !== undefined) {
    throw new CliUsageError(
      "--org is for the database path; through a server the token's organization is your admin token's: drop --org (or --server/CONFN_URL)",
    );
  }
  if (!server && flags.org === undefined) throw new CliUsageError(`name where to manage tokens: ${HOW}`);
  if (!server && (flags.tokenFile !== undefined || flags.timeout !== undefined)) {
    throw new CliUsageError("--token-file and --timeout need a server: add --server URL (or set CONFN_URL)");
  }
  return server;
}

const api = () => import("./token-api.ts");

async function inOrganization(
  slug: string,
  work: (database: Database, org: OrganizationRow) => Promise<void>,
) {
  checkSlug(slug, "organization slug");
  await withAdminDatabase(async (database) => {
    const organization = await findOrganizationBySlug(database.db, slug);
    if (!organization) throw new NotFoundError("Organization", slug);
    await work(database, organization);
  });
}

function runApi(command: () => Promise<CommandResult>): Promise<void> {
  return runCommand(command).then((code) => {
    process.exitCode = code;
  });
}

export function register(program: Command): void {
  const token = program
    .command("token")
    .description(
      "manage API tokens: through a running server (--server URL or CONFN_URL), or in the database (--org SLUG)",
    )
    .addHelpText(
      "after",
      "\nThrough a server (no downtime): confn token create --server http://127.0.0.1:7878 --role viewer\n" +
        "In the database (server stopped): confn token create --org default --role viewer",
    );

  addConnectionOptions(
    token
      .command("create")
      .description("issue an API token and print it (shown once)")
      .option("--org <slug>", "database path: the organization the token belongs to")
      .addOption(new Option("--role <role>", "what the token may do").choices(ROLES).makeOptionMandatory())
      .option("--description <text>", "a note on who or what uses the token", "")
      .option("--json", "through a server: print the API's answer (token and secret)"),
  ).action(
    action(async (flags: TokenFlags & { role: Role; description: string }) => {
      if (viaServer(flags)) return runApi(async () => (await api()).createTokenViaApi(flags, processIo()));
      await inOrganization(flags.org!, async ({ db }, organization) => {
        const { token: secret } = await createApiToken(db, {
          organizationId: organization.organization_id,
          role: flags.role,
          description: flags.description,
        });
        process.stderr.write(
          `created ${/^[aeiou]/.test(flags.role) ? "an" : "a"} ${flags.role} token for organization '${flags.org}' (shown once):\n`,
        );
        process.stdout.write(`${secret}\n`);
      });
    }),
  );

  addConnectionOptions(
    token
      .command("list")
      .description("list the organization's tokens, live and revoked (never their secrets)")
      .option("--org <slug>", "database path: the organization")
      .option("--json", "print the tokens as JSON"),
  ).action(
    action(async (flags: TokenFlags) => {
      const { listTokensViaApi, tokenTable } = await api();
      if (viaServer(flags)) return runApi(() => listTokensViaApi(flags, processIo()));
      await inOrganization(flags.org!, async ({ db }, organization) => {
        const { toWireApiToken } = await import("../../api/wire/api-token.ts");
        const tokens = (await listApiTokens(db, organization.organization_id)).map(toWireApiToken);
        process.stdout.write(
          flags.json
            ? `${JSON.stringify(tokens, null, 2)}\n`
            : tokenTable(tokens, { stdout: process.stdout }),
        );
      });
    }),
  );

  addConnectionOptions(
    token
      .command("revoke")
      .description("revoke a token: it is refused from then on")
      .argument("<token-id>", "the token's ID (see confn token list)")
      .option("--org <slug>", "database path: the organization")
      .option("--json", "print the revoked token as JSON"),
  ).action(
    action(async (id: string, flags: TokenFlags) => {
      if (viaServer(flags))
        return runApi(async () => (await api()).revokeTokenViaApi(id, flags, processIo()));
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
        throw new CliUsageError(`TOKEN-ID ${id}: expected a token ID (a UUID; see confn token list)`);
      }
      await inOrganization(flags.org!, async ({ db }, organization) => {
        const outcome = await revokeApiToken(db, organization.organization_id, id);
        if (outcome.kind === "not-found") throw new NotFoundError("API token", id);
        if (outcome.kind === "already-revoked") throw new CliUsageError(`API token ${id} is already revoked`);
        if (outcome.kind === "last-admin") {
          throw new CliUsageError(
            `API token ${id} is the organization's last live admin token: issue another admin token first`,
          );
        }
        process.stdout.write(`revoked ${outcome.row.role} token ${id} of organization '${flags.org}'\n`);
      });
    }),
  );
}

// `confn token create|list|revoke` against a running server (GET/POST /api/token,
// DELETE /api/token/{id}, a confn extension for admin tokens), so a CI token is issued without
// stopping the server that holds the embedded database. The new token's secret goes to stdout
// alone (`TOKEN=$(confn token create --server URL --role viewer)`), the rest to stderr; it is shown
// this once: the server keeps only its hash.
import { CliUsageError } from "../cli-error.ts";
import type { CommandIo, CommandResult } from "../command-run.ts";
import { fitTable, terminalWidth } from "../output/fit-table.ts";
import { str, when, type TableColumn, type WireEntity } from "../remote/entity-kinds.ts";
import type { ConnectionFlags } from "../remote/server-connection.ts";
import { isUuid } from "../remote/slug-resolution.ts";
import { clientFor } from "./entity-actions.ts";

export interface TokenApiFlags extends ConnectionFlags {
  json?: boolean;
}

export interface TokenCreateFlags extends TokenApiFlags {
  role: string;
  description?: string;
}

export const TOKEN_COLUMNS: readonly TableColumn[] = [
  { header: "ID", cell: (t) => str(t.TokenID) },
  { header: "ROLE", cell: (t) => str(t.Role) },
  { header: "DESCRIPTION", cell: (t) => str(t.Description), flexible: true },
  { header: "CREATED", cell: (t) => when(t.CreatedAt) },
  { header: "REVOKED", cell: (t) => when(t.RevokedAt) },
];

export function tokenTable(tokens: readonly object[], io: Pick<CommandIo, "stdout">): string {
  const rows = tokens.map((t) =>
    TOKEN_COLUMNS.map((column) => column.cell(t as WireEntity, t as WireEntity)),
  );
  return fitTable(TOKEN_COLUMNS, rows, terminalWidth(io.stdout));
}

const article = (role: string) => (/^[aeiou]/.test(role) ? "an" : "a");

export async function createTokenViaApi(flags: TokenCreateFlags, io: CommandIo): Promise<CommandResult> {
  const client = clientFor(flags, io);
  const { body } = await client.post<{ Token: WireEntity; Secret: string }>(
    "/token",
    `create ${article(flags.role)} ${flags.role} API token`,
    {},
    { Role: flags.role, Description: flags.description ?? "" },
  );
  if (flags.json) return { text: `${JSON.stringify(body, null, 2)}\n`, exitCode: 0 };
  io.stderr.write(
    `created ${article(flags.role)} ${flags.role} token ${str(body.Token.TokenID)} on ${client.connection.baseUrl} (shown once):\n`,
  );
  return { text: `${body.Secret}\n`, exitCode: 0 };
}

export async function listTokensViaApi(flags: TokenApiFlags, io: CommandIo): Promise<CommandResult> {
  const tokens = (await clientFor(flags, io).get<WireEntity[] | null>("/token", "API tokens")) ?? [];
  if (flags.json) return { text: `${JSON.stringify(tokens, null, 2)}\n`, exitCode: 0 };
  return { text: tokenTable(tokens, io), exitCode: 0 };
}

export async function revokeTokenViaApi(
  id: string,
  flags: TokenApiFlags,
  io: CommandIo,
): Promise<CommandResult> {
  if (!isUuid(id))
    throw new CliUsageError(`TOKEN-ID ${id}: expected a token ID (a UUID; see confn token list)`);
  const revoked = await clientFor(flags, io).delete<WireEntity>(`/token/${id}`, `revoke API token ${id}`);
  if (flags.json) return { text: `${JSON.stringify(revoked, null, 2)}\n`, exitCode: 0 };
  return {
    text: `revoked ${str(revoked.Role)} token ${id} (${str(revoked.Description) || "no description"})\n`,
    exitCode: 0,
  };
}

// Where the server is and who we are to it: `--server` / CONFN_URL (default the address `confn
// serve` listens on), a token from `--token-file`, CONFN_TOKEN or the `.confn/admin-token` that a
// first `confn serve` in this directory wrote, and the request timeout.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { CliUsageError } from "../cli-error.ts";

export const DEFAULT_SERVER_URL = "http://127.0.0.1:7878";
/** Generous: an organization-wide invocation over thousands of Units answers in one response. */
export const DEFAULT_TIMEOUT_MS = 300_000;
const ADMIN_TOKEN_FILE = ".confn/admin-token";

export interface ConnectionFlags {
  server?: string;
  tokenFile?: string;
  timeout?: string;
}

export interface ServerConnection {
  /** The server's base URL, without a trailing slash (the API is under `/api`). */
  readonly baseUrl: string;
  readonly token: string;
  /** Where the token came from, to name it when the server refuses it. */
  readonly tokenSource: string;
  readonly timeoutMs: number;
}

export interface ConnectionEnvironment {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export function resolveConnection(flags: ConnectionFlags, where: ConnectionEnvironment): ServerConnection {
  return {
    baseUrl: serverUrl(flags.server ?? nonEmpty(where.env.CONFN_URL) ?? DEFAULT_SERVER_URL, flags.server),
    ...resolveToken(flags, where),
    timeoutMs: flags.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(flags.timeout),
  };
}

function serverUrl(text: string, flag: string | undefined): string {
  const source = flag === undefined ? "CONFN_URL" : "--server";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliUsageError(`${source} ${text}: not a URL (expected e.g. ${DEFAULT_SERVER_URL})`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliUsageError(`${source} ${text}: expected an http:// or https:// URL`);
  }
  return url.href.replace(/\/+$/, "");
}

/** --token-file, then CONFN_TOKEN, then ./.confn/admin-token. */
function resolveToken(
  flags: ConnectionFlags,
  { env, cwd }: ConnectionEnvironment,
): Pick<ServerConnection, "token" | "tokenSource"> {
  if (flags.tokenFile !== undefined) {
    const file = resolve(cwd, flags.tokenFile);
    return { token: readToken(file, "--token-file"), tokenSource: `--token-file ${file}` };
  }
  const fromEnv = nonEmpty(env.CONFN_TOKEN);
  if (fromEnv !== undefined) return { token: fromEnv.trim(), tokenSource: "CONFN_TOKEN" };
  const adminFile = resolve(cwd, ADMIN_TOKEN_FILE);
  try {
    return { token: readToken(adminFile, ADMIN_TOKEN_FILE), tokenSource: adminFile };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw new CliUsageError(
      `no API token: pass --token-file FILE, set CONFN_TOKEN, or run where \`confn serve\` wrote ${ADMIN_TOKEN_FILE}`,
    );
  }
}

function readToken(file: string, source: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // The default file's absence is not an error of its own: the caller explains every option.
    if (code === "ENOENT" && source === ADMIN_TOKEN_FILE) throw error;
    throw new CliUsageError(`cannot read ${source} ${file}: ${(error as Error).message}`);
  }
  const token = text.trim();
  if (token === "" || /\s/.test(token)) {
    throw new CliUsageError(`${source} ${file}: expected one token on one line`);
  }
  return token;
}

/** `90`, `90s`, `1500ms`, `2m`: seconds unless a unit says otherwise. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m)?$/.exec(text.trim());
  const amount = match ? Number(match[1]) : NaN;
  if (!match || amount <= 0) {
    throw new CliUsageError(`--timeout ${text}: expected a positive duration such as 30s, 1500ms or 2m`);
  }
  const unit = match[2] ?? "s";
  return unit === "ms" ? amount : unit === "s" ? amount * 1000 : amount * 60_000;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

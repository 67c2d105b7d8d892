// How a remote command meets its process: what it sees (CommandIo; tests pass their own), what it
// returns (the text for stdout and an exit code), and runCommand, which prints either the text or
// `confn: <message>` on stderr (RemoteErrors and usage errors without a stack trace).
import type { Command } from "commander";
import { reportCliError } from "./cli-error.ts";
import { RemoteError } from "./remote/remote-error.ts";

/** What a command sees of its process; tests pass their own. */
export interface CommandIo {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin?: NodeJS.ReadableStream;
  readonly fetch?: typeof fetch;
}

export interface CommandResult {
  readonly text: string;
  readonly exitCode: 0 | 1;
}

export const processIo = (): CommandIo => ({
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
});

/**
 * Runs a command: prints its text to stdout and returns the exit code; a failure prints
 * `confn: <message>` to stderr (RemoteErrors and usage errors without a stack trace).
 */
export async function runCommand(
  command: () => Promise<CommandResult>,
  io: Pick<CommandIo, "stdout" | "stderr"> = processIo(),
): Promise<0 | 1 | 2> {
  try {
    const { text, exitCode } = await command();
    io.stdout.write(text);
    return exitCode;
  } catch (error) {
    if (error instanceof RemoteError) {
      io.stderr.write(`confn: ${error.message}\n`);
      return error.exitCode;
    }
    return reportCliError(error, io.stderr) as 0 | 1 | 2;
  }
}

/** --server, --token-file and --timeout: how every remote command finds and talks to its server. */
export function addConnectionOptions(command: Command): Command {
  return command
    .option("--server <url>", "the confn server (default: $CONFN_URL, or http://127.0.0.1:7878)")
    .option(
      "--token-file <file>",
      "file holding the API token (default: $CONFN_TOKEN, or .confn/admin-token)",
    )
    .option("--timeout <duration>", "give up on a request after this long: 30s, 1500ms, 2m (default 5m)");
}

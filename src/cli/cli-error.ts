// How the confn command reports failures: a CliUsageError (bad flags or arguments) exits 2, any
// other error exits 1. Messages go to stderr as `confn: <message>`, without a stack trace for
// the errors we expect (typed store errors, usage errors).
import { StoreError } from "../store/index.ts";

export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Prints `error` and returns the exit code it deserves. */
export function reportCliError(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (error instanceof CliUsageError) {
    stderr.write(`confn: ${error.message}\n`);
    return EXIT_USAGE;
  }
  // A database setup mistake (DATABASE_URL) is the caller's to fix, like a bad flag.
  if (error instanceof StoreError && error.code === "DATABASE_SETUP") {
    stderr.write(`confn: ${error.message}\n`);
    return EXIT_USAGE;
  }
  // Expected failures (typed store errors, file-system and network errors) need no stack trace.
  if (error instanceof StoreError || isSystemError(error)) {
    stderr.write(`confn: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stderr.write(`confn: ${message}\n`);
  return EXIT_FAILURE;
}

function isSystemError(error: unknown): boolean {
  return (
    error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string" && "syscall" in error
  );
}

/** Wraps an action so its failures print and set the exit code instead of escaping commander. */
export function action<A extends unknown[]>(
  run: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await run(...args);
    } catch (error) {
      process.exitCode = reportCliError(error);
    }
  };
}

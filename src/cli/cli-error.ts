// How the confn command reports failures: a CliUsageError (bad flags or arguments) exits 2, any
// other error exits 1. Messages go to stderr as `confn: <message>`, without a stack trace for
// the errors we expect (typed store errors, usage errors).

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
  if (isStoreError(error) && error.code === "DATABASE_SETUP") {
    stderr.write(`confn: ${error.message}\n`);
    return EXIT_USAGE;
  }
  // Expected failures (typed store errors, file-system and network errors) need no stack trace.
  if (isStoreError(error) || isSystemError(error)) {
    stderr.write(`confn: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stderr.write(`confn: ${message}\n`);
  return EXIT_FAILURE;
}

/**
 * The store's typed errors (StoreError and its subclasses), recognised by class name: importing the store's class would load the
 * database layer (kysely, pg, PGlite) into every command, even `confn --help` (issue 16 §1).
 */
function isStoreError(error: unknown): error is Error & { code: string } {
  if (!(error instanceof Error) || typeof (error as { code?: unknown }).code !== "string") return false;
  for (let proto: object | null = Object.getPrototypeOf(error); proto; proto = Object.getPrototypeOf(proto)) {
    if ((proto as { constructor?: { name?: string } }).constructor?.name === "StoreError") return true;
  }
  return false;
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

// Typed store errors. The store never speaks HTTP: src/api/plugins/error-handler.ts maps each code to a
// status (NOT_FOUND -> 404, the conflicts -> 409, ...), so the same failures read the same from the CLI.

/** Stable error codes (UPPER_SNAKE_CASE like every error family; docs/errors.md says what each means). */
export const storeErrorCodes = [
  "NOT_FOUND",
  "VERSION_CONFLICT",
  "DUPLICATE_SLUG",
  "NOT_EMPTY",
  "DELETE_GATED",
  "DATA_DIR_LOCKED",
  "MIGRATION_FAILED",
  "DATABASE_SETUP",
] as const;

export type StoreErrorCode = (typeof storeErrorCodes)[number];

export class StoreError extends Error {
  override readonly name: string = "StoreError";
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** An entity that does not exist in the caller's organization (or at all: callers cannot tell). */
export class NotFoundError extends StoreError {
  override readonly name = "NotFoundError";
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super("NOT_FOUND", `${entity} ${id} not found`);
  }
}

/** Optimistic concurrency: the row changed since the caller read `expected`. */
export class VersionConflictError extends StoreError {
  override readonly name = "VersionConflictError";
  constructor(
    readonly entity: string,
    readonly id: string,
    readonly expected: number,
    readonly actual: number | undefined,
  ) {
    super(
      "VERSION_CONFLICT",
      actual === undefined
        ? `${entity} ${id} data conflict: it changed since it was read (Version ${expected}); re-read it and retry`
        : `${entity} ${id} data conflict: Version ${expected} is stale, the current Version is ${actual}; re-read it and retry`,
    );
  }
}

export class DuplicateSlugError extends StoreError {
  override readonly name = "DuplicateSlugError";
  constructor(
    readonly entity: string,
    readonly slug: string,
    readonly scope: string,
  ) {
    super("DUPLICATE_SLUG", `${entity} with Slug '${slug}' already exists in ${scope}`);
  }
}

export class NotEmptyError extends StoreError {
  override readonly name = "NotEmptyError";
  constructor(
    readonly entity: string,
    readonly id: string,
    readonly contents: string,
  ) {
    super(
      "NOT_EMPTY",
      `${entity} ${id} is not empty (${contents}); delete those first or pass recursive=true`,
    );
  }
}

/** DeleteGates on the entity: any entry blocks deletion. */
export class DeleteGatedError extends StoreError {
  override readonly name = "DeleteGatedError";
  constructor(
    readonly entity: string,
    readonly id: string,
    readonly gates: readonly string[],
  ) {
    super(
      "DELETE_GATED",
      `${entity} ${id} could not be deleted: DeleteGates ${gates.join(", ")} block deletion`,
    );
  }
}

export class DataDirLockedError extends StoreError {
  override readonly name = "DataDirLockedError";
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      "DATA_DIR_LOCKED",
      `the embedded database at ${dataDir} is in use by process ${pid} (a running confn server?): ` +
        `stop it first, or point CONFN_DATA_DIR elsewhere`,
    );
  }
}

export class MigrationError extends StoreError {
  override readonly name = "MigrationError";
  constructor(
    readonly migration: string | undefined,
    cause: unknown,
  ) {
    super(
      "MIGRATION_FAILED",
      `migration ${migration ?? "(setup)"} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.cause = cause;
  }
}

/** PostgreSQL's unique_violation, raised the same way by pg and PGlite. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, constraint: violated } = error as { code?: unknown; constraint?: unknown };
  return code === "23505" && (constraint === undefined || violated === constraint);
}

// The worker SDK's error catalogue. A worker retries what may heal by itself (the server restarting,
// a dropped connection) and stops with one of these when retrying cannot help (a refused secret, a
// deleted worker, a server without a worker port), so `confn worker run` exits with the reason
// instead of reconnecting forever.

/** Stable error codes (UPPER_SNAKE_CASE like every error family; docs/errors.md says what each means). */
export const workerErrorCodes = [
  /** The worker's settings are unusable: URL, worker ID, secret, concurrency, or the function module. */
  "WORKER_CONFIG",
  /** The server refused the worker's secret (401/403): wrong, or rotated since. */
  "WORKER_UNAUTHORIZED",
  /** The server has no worker with this ID (deleted, or in another organization). */
  "WORKER_NOT_FOUND",
  /** The server advertises no worker port in /api/info: it does not accept bridge workers. */
  "WORKER_UNSUPPORTED",
  /** The server could not be reached or the connection broke (retried with backoff). */
  "WORKER_CONNECTION",
  /** The server answered something the protocol does not allow (retried with backoff). */
  "WORKER_PROTOCOL",
] as const;

export type WorkerErrorCode = (typeof workerErrorCodes)[number];

/** Codes after which reconnecting cannot succeed: the worker stops. */
const FATAL: ReadonlySet<WorkerErrorCode> = new Set([
  "WORKER_CONFIG",
  "WORKER_UNAUTHORIZED",
  "WORKER_NOT_FOUND",
  "WORKER_UNSUPPORTED",
]);

export class WorkerError extends Error {
  override readonly name = "WorkerError";
  constructor(
    readonly code: WorkerErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** Reconnecting cannot fix this. */
  get fatal(): boolean {
    return FATAL.has(this.code);
  }
}

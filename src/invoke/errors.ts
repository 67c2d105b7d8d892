// The invoke pipeline's typed errors: what made a request wrong (or a write impossible), with a
// stable code and the input at fault. The pipeline knows nothing of HTTP; the API's error handler
// maps each code to a status (src/api/plugins/error-handler.ts) and sends `message` unchanged.
// Errors of lower layers pass through as they are: the store's NotFoundError (a Space, Unit,
// Filter, Revision or ChangeSet that is not the caller's), FilterError / FilterFieldError (a bad
// `where` or `where_data`).

/**
 * Codes of InvokeError:
 * - `UNSUPPORTED_TOOLCHAIN`: a call or request names a toolchain confn runs no functions on (400).
 * - `UNKNOWN_FUNCTION`: a call names a function the toolchain's registry does not have (400).
 * - `INVALID_ARGUMENT`: a call's arguments do not satisfy the function's signature (400).
 * - `FILTER_NOT_FOR_UNITS`: the saved Filter named by `filter` selects other entities than Units (400).
 * - `FILTER_SPACE_MISMATCH`: the saved Filter's FromSpaceID is not the invocation's Space (400).
 * - `CHANGE_SET_MISMATCH`: a selected Unit's ChangeSet is not the call's `change_set_id` (409).
 * - `NO_PROCESSABLE_DATA`: not one selected Unit's configuration data could be parsed (422).
 * - `TRIGGER_DATA_INVALID`: a data write's new data does not parse, so the Space's triggers cannot run (422).
 * - `TRIGGER_FAILED`: a Space's trigger failed with an error on a data write, so nothing was saved (422).
 * - `WORKERS_UNAVAILABLE`: the request names a bridge worker, but no worker dispatch is configured (503).
 * - `WORKER_DISCONNECTED`: no selected Unit could be dispatched: the worker is disconnected (503).
 * - `WORKER_BUSY`: no selected Unit could be dispatched: the worker has too many operations outstanding (429, `retryAfterSeconds`).
 */
export const invokeErrorCodes = [
  "UNSUPPORTED_TOOLCHAIN",
  "UNKNOWN_FUNCTION",
  "INVALID_ARGUMENT",
  "FILTER_NOT_FOR_UNITS",
  "FILTER_SPACE_MISMATCH",
  "CHANGE_SET_MISMATCH",
  "NO_PROCESSABLE_DATA",
  "TRIGGER_DATA_INVALID",
  "TRIGGER_FAILED",
  "WORKERS_UNAVAILABLE",
  "WORKER_DISCONNECTED",
  "WORKER_BUSY",
] as const;

export type InvokeErrorCode = (typeof invokeErrorCodes)[number];

export class InvokeError extends Error {
  override readonly name = "InvokeError";
  constructor(
    readonly code: InvokeErrorCode,
    /** The offending input: a request field (`body/FunctionInvocations/0`), a saved entity, a Unit. */
    readonly input: string,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** For WORKER_BUSY: seconds after which the call may succeed (the API's Retry-After). */
  readonly retryAfterSeconds?: number;
}

export function isInvokeError(error: unknown): error is InvokeError {
  return error instanceof InvokeError;
}

// The one catalogue of failures talking to a confn server. Each carries a stable `code`, the HTTP
// status when the server answered, the request id the server echoed (to find its log line) and the
// exit code it deserves: 2 when what the user typed is wrong (the server says 400, or a named
// entity does not exist), 1 for everything else (unreachable server, auth, conflicts, 5xx).
/** Stable error codes (UPPER_SNAKE_CASE like every error family; docs/errors.md says what each means). */
export const remoteErrorCodes = [
  "CONNECTION_FAILED",
  "TIMEOUT",
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "UNPROCESSABLE",
  "SERVER_ERROR",
  "BAD_RESPONSE",
] as const;

export type RemoteErrorCode = (typeof remoteErrorCodes)[number];

const EXIT_CODES: Record<RemoteErrorCode, 1 | 2> = {
  CONNECTION_FAILED: 1,
  TIMEOUT: 1,
  BAD_REQUEST: 2,
  UNAUTHORIZED: 1,
  FORBIDDEN: 1,
  NOT_FOUND: 2,
  CONFLICT: 1,
  UNPROCESSABLE: 1,
  SERVER_ERROR: 1,
  BAD_RESPONSE: 1,
};

export class RemoteError extends Error {
  override readonly name = "RemoteError";
  readonly exitCode: 1 | 2;
  constructor(
    readonly code: RemoteErrorCode,
    message: string,
    readonly status?: number,
    readonly requestId?: string,
    options?: ErrorOptions,
  ) {
    super(requestId ? `${message} [request ${requestId}]` : message, options);
    this.exitCode = EXIT_CODES[code];
  }
}

/** The code for a non-2xx status. */
export function codeForStatus(status: number): RemoteErrorCode {
  switch (status) {
    case 400:
      return "BAD_REQUEST";
    case 401:
      return "UNAUTHORIZED";
    case 403:
      return "FORBIDDEN";
    case 404:
      return "NOT_FOUND";
    case 409:
      return "CONFLICT";
    case 422:
      return "UNPROCESSABLE";
    default:
      return status >= 500 ? "SERVER_ERROR" : "BAD_REQUEST";
  }
}

/** The same error with `hint` after the server's message (and before the request id). */
export function withHint(error: RemoteError, hint: string): RemoteError {
  const suffix = error.requestId ? ` [request ${error.requestId}]` : "";
  const base =
    suffix && error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
  return new RemoteError(error.code, `${base}${hint}`, error.status, error.requestId, { cause: error });
}

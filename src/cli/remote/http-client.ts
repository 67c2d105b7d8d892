// A small JSON client for the confn API: bearer auth, a timeout on every request, and every
// failure turned into a RemoteError that says what was asked, of which server, and why it failed
// (connection refused, timeout, the server's own message for a 4xx/5xx, verbatim).
import { codeForStatus, RemoteError } from "./remote-error.ts";
import type { ServerConnection } from "./server-connection.ts";

export type Query = Record<string, string | undefined>;

export interface JsonResponse<T> {
  readonly status: number;
  readonly body: T;
}

export class ConfnClient {
  constructor(
    readonly connection: ServerConnection,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** GET `/api<path>`; `what` names the thing asked for, for the error messages ("space demo"). */
  async get<T>(path: string, what: string, query: Query = {}): Promise<T> {
    return (await this.send<T>("GET", path, what, query)).body;
  }

  async post<T>(path: string, what: string, query: Query, body: unknown): Promise<JsonResponse<T>> {
    return this.send<T>("POST", path, what, query, body);
  }

  /** PATCH with a JSON merge patch (the body ConfigHub's PATCH routes take). */
  async patch<T>(path: string, what: string, query: Query, body: unknown): Promise<T> {
    return (await this.send<T>("PATCH", path, what, query, body)).body;
  }

  async delete<T>(path: string, what: string, query: Query = {}): Promise<T> {
    return (await this.send<T>("DELETE", path, what, query)).body;
  }

  private async send<T>(
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    what: string,
    query: Query,
    body?: unknown,
  ): Promise<JsonResponse<T>> {
    const { baseUrl, token, timeoutMs } = this.connection;
    const url = new URL(`${baseUrl}/api${path}`);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          ...(body === undefined
            ? {}
            : { "content-type": method === "PATCH" ? "application/merge-patch+json" : "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw this.transportError(error, what);
    }
    const requestId = response.headers.get("x-request-id") ?? undefined;
    if (!response.ok) throw this.statusError(response.status, text, what, requestId);
    try {
      return { status: response.status, body: (text === "" ? null : JSON.parse(text)) as T };
    } catch {
      throw new RemoteError(
        "BAD_RESPONSE",
        `${what}: the server at ${baseUrl} answered ${response.status} with a body that is not JSON`,
        response.status,
        requestId,
      );
    }
  }

  private transportError(error: unknown, what: string): RemoteError {
    const { baseUrl, timeoutMs } = this.connection;
    if (error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError")) {
      return new RemoteError(
        "TIMEOUT",
        `${what}: no answer from ${baseUrl} within ${timeoutMs / 1000}s (raise --timeout for large invocations)`,
      );
    }
    // fetch reports network failures as TypeError("fetch failed") with the system error as cause.
    const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
    const reason =
      cause?.code === "ECONNREFUSED"
        ? "connection refused (is `confn serve` running there? set --server or CONFN_URL)"
        : cause?.code === "ENOTFOUND"
          ? "unknown host"
          : cause?.code === "HPE_INVALID_CONSTANT"
            ? // An HTTP/2-only listener, most likely confn's worker port (PORT + 1).
              "it does not answer HTTP/1.1 (a bridge worker port speaks HTTP/2 only; use the API port)"
            : (cause?.message ?? (error as Error).message);
    return new RemoteError(
      "CONNECTION_FAILED",
      `${what}: cannot reach the confn server at ${baseUrl}: ${reason}`,
      undefined,
      undefined,
      {
        cause: error,
      },
    );
  }

  private statusError(
    status: number,
    text: string,
    what: string,
    requestId: string | undefined,
  ): RemoteError {
    const message = serverMessage(text);
    const code = codeForStatus(status);
    const { baseUrl, tokenSource } = this.connection;
    const explained: Partial<Record<typeof code, string>> = {
      UNAUTHORIZED: `${baseUrl} refused the token from ${tokenSource} (401): ${message}`,
      FORBIDDEN: `${what}: permission denied (403): ${message}`,
      NOT_FOUND: `${what}: not found (404): ${message}`,
    };
    return new RemoteError(code, explained[code] ?? `${what}: ${status}: ${message}`, status, requestId);
  }
}

/** The Message of a StandardErrorResponse, or the body itself when it is not one. */
function serverMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { Message?: unknown };
    if (typeof parsed.Message === "string") return parsed.Message;
  } catch {
    // Not JSON (a proxy's error page): show the start of it.
  }
  const trimmed = text.trim();
  return trimmed === "" ? "(empty response)" : trimmed.slice(0, 500);
}

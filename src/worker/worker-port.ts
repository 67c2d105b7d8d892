// The worker's side of the transport, as ConfigHub's Go client does it: an unauthenticated
// GET {url}/api/info names the WorkerPort; the worker then speaks HTTP/2 to the same host on that
// port (cleartext h2c with prior knowledge for http://, TLS with ALPN h2 for https://), one
// session carrying the event stream and every request beside it.
import { connect, constants, type ClientHttp2Session, type OutgoingHttpHeaders } from "node:http2";
import { WorkerError } from "./worker-error.ts";
import type { WorkerSettings } from "./worker-settings.ts";

/** The largest answer read from `me` or `action_result` (they are small JSON documents). */
const MAX_REPLY_BYTES = 1024 * 1024;

/** `http(s)://host:WorkerPort` for the server at `settings.url`. */
export async function workerOrigin(
  settings: Pick<WorkerSettings, "url" | "workerPort">,
  timeoutMs: number,
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  const base = new URL(settings.url);
  const origin = (port: number) => `${base.protocol}//${base.hostname}:${port}`;
  if (settings.workerPort !== undefined) return origin(settings.workerPort);

  const infoUrl = `${settings.url}/api/info`;
  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(infoUrl, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    throw new WorkerError("WORKER_CONNECTION", `GET ${infoUrl}: ${transportReason(error)}`, { cause: error });
  }
  if (!response.ok) {
    // A 5xx may be a server starting up; anything else will not change by retrying.
    const code = response.status >= 500 ? "WORKER_CONNECTION" : "WORKER_UNSUPPORTED";
    throw new WorkerError(
      code,
      `GET ${infoUrl}: the server answered ${response.status}: ${text.slice(0, 300)}`,
    );
  }
  let port: unknown;
  try {
    port = (JSON.parse(text) as { WorkerPort?: unknown }).WorkerPort;
  } catch {
    throw new WorkerError(
      "WORKER_UNSUPPORTED",
      `GET ${infoUrl}: the answer is not JSON: is ${settings.url} a confn server?`,
    );
  }
  const number =
    typeof port === "number" ? port : typeof port === "string" && /^\d+$/.test(port) ? Number(port) : NaN;
  if (!(Number.isInteger(number) && number >= 1 && number <= 65535)) {
    throw new WorkerError(
      "WORKER_UNSUPPORTED",
      `GET ${infoUrl} advertises no WorkerPort${port === undefined || port === "" ? "" : ` (got ${JSON.stringify(port)})`}: ` +
        "this server does not accept bridge workers",
    );
  }
  return origin(number);
}

/** Opens an HTTP/2 session and waits until it is connected (or fails, or `timeoutMs` passes). */
export function openSession(origin: string, timeoutMs: number): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connect(origin);
    const timer = setTimeout(() => {
      session.destroy();
      reject(
        new WorkerError("WORKER_CONNECTION", `connect to ${origin}: no answer within ${timeoutMs / 1000}s`),
      );
    }, timeoutMs);
    const onError = (error: Error) => {
      clearTimeout(timer);
      session.destroy();
      reject(
        new WorkerError("WORKER_CONNECTION", `connect to ${origin}: ${transportReason(error)}`, {
          cause: error,
        }),
      );
    };
    session.once("error", onError);
    session.once("connect", () => {
      clearTimeout(timer);
      session.off("error", onError);
      // Later session errors end the stream, which the worker handles; keep them from being unhandled.
      session.on("error", () => {});
      resolve(session);
    });
  });
}

export interface Reply {
  readonly status: number;
  readonly text: string;
}

/** One request on the session: sends `body` (JSON), reads the whole (small) answer. */
export function request(
  session: ClientHttp2Session,
  headers: OutgoingHttpHeaders,
  body: unknown,
  timeoutMs: number,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const what = `${headers[":method"]} ${headers[":path"]}`;
    let stream;
    try {
      stream = session.request({
        ...headers,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      });
    } catch (error) {
      reject(new WorkerError("WORKER_CONNECTION", `${what}: ${transportReason(error)}`, { cause: error }));
      return;
    }
    let status = 0;
    const chunks: Buffer[] = [];
    let size = 0;
    stream.setTimeout(timeoutMs, () => {
      stream.close(constants.NGHTTP2_CANCEL);
      reject(new WorkerError("WORKER_CONNECTION", `${what}: no answer within ${timeoutMs / 1000}s`));
    });
    stream.on("response", (responseHeaders) => {
      status = Number(responseHeaders[":status"]);
    });
    stream.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REPLY_BYTES) {
        stream.close(constants.NGHTTP2_CANCEL);
        reject(
          new WorkerError("WORKER_PROTOCOL", `${what}: the answer is larger than ${MAX_REPLY_BYTES} bytes`),
        );
        return;
      }
      chunks.push(chunk);
    });
    stream.on("end", () => resolve({ status, text: Buffer.concat(chunks).toString("utf8") }));
    stream.on("error", (error) =>
      reject(new WorkerError("WORKER_CONNECTION", `${what}: ${transportReason(error)}`, { cause: error })),
    );
    if (body === undefined) stream.end();
    else stream.end(JSON.stringify(body));
  });
}

/**
 * The WorkerError for a worker-port answer other than 200. `acceptedBefore`: the server took this
 * secret earlier in the process's life, so a refusal now means the worker was deleted or the secret
 * rotated since (the server does not say which), and issuing yet another secret is the wrong advice.
 */
export function statusError(
  what: string,
  workerId: string,
  reply: Reply,
  acceptedBefore = false,
): WorkerError {
  const message = serverMessage(reply.text);
  switch (reply.status) {
    case 401:
    case 403:
      if (acceptedBefore) {
        return new WorkerError(
          "WORKER_UNAUTHORIZED",
          `${what}: the server no longer accepts the secret worker ${workerId} connected with ` +
            `(${reply.status}): ${message}; since then the worker was deleted or its secret rotated, by ` +
            "`confn worker rotate-secret` or by another `confn worker run` of it started without " +
            "CONFIGHUB_WORKER_SECRET (processes that serve one worker share its secret: docs/worker-sdk.md)",
        );
      }
      return new WorkerError(
        "WORKER_UNAUTHORIZED",
        `${what}: the server refused the secret of worker ${workerId} (${reply.status}): ${message}; ` +
          "check CONFIGHUB_WORKER_SECRET, or issue a new one with `confn worker rotate-secret`",
      );
    case 404:
      return new WorkerError(
        "WORKER_NOT_FOUND",
        `${what}: the server has no worker ${workerId} (404): ${message}; was it deleted?`,
      );
    default:
      return new WorkerError(
        reply.status >= 500 || reply.status === 429 ? "WORKER_CONNECTION" : "WORKER_PROTOCOL",
        `${what}: the server answered ${reply.status}: ${message}`,
      );
  }
}

/** The Message of a `{"Code", "Message"}` body, or the start of the body. */
function serverMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { Message?: unknown };
    if (typeof parsed.Message === "string") return parsed.Message;
  } catch {
    // not JSON
  }
  return text.trim().slice(0, 300) || "(empty answer)";
}

/** A network failure in words: "connection refused", "unknown host", or the system's message. */
export function transportReason(error: unknown): string {
  const cause = (error as { cause?: NodeJS.ErrnoException }).cause ?? (error as NodeJS.ErrnoException);
  if (cause?.code === "ECONNREFUSED") return "connection refused (is the server running?)";
  if (cause?.code === "ENOTFOUND") return "unknown host";
  if (error instanceof DOMException && error.name === "TimeoutError") return "no answer in time";
  return cause?.message ?? String(error);
}

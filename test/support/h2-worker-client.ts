// A bridge worker's side of the worker port, spoken exactly as ConfigHub's Go client speaks it:
// HTTP/2 with prior knowledge over cleartext (node:http2 `connect("http://...")`), the secret as a
// bearer token, the WorkerInfo as the body of POST .../stream with `accept: text/event-stream` and
// `cache-control: no-cache`, events read as `data: ` lines, answers posted to .../action_result.
import {
  connect,
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type SecureClientSessionOptions,
} from "node:http2";
import { decodeEvents } from "../../src/worker-protocol/index.ts";

export interface H2Response {
  readonly status: number;
  readonly body: string;
}

interface StreamEvent {
  Event: string;
  Data: { Action: string; Payload: Record<string, unknown> };
}

/** One worker connection: the session, and the open event stream once `openStream` succeeded. */
export class H2WorkerClient {
  readonly session: ClientHttp2Session;
  readonly events: StreamEvent[] = [];
  #stream: ClientHttp2Stream | undefined;
  #waiters: { match: (e: StreamEvent) => boolean; resolve: (e: StreamEvent) => void }[] = [];
  #ended: Promise<void> | undefined;

  constructor(
    url: string,
    private readonly workerId: string,
    private secret: string,
    options: SecureClientSessionOptions = {},
  ) {
    this.session = connect(url, options);
    this.session.on("error", () => undefined);
  }

  useSecret(secret: string): void {
    this.secret = secret;
  }

  request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<H2Response> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const stream = this.session.request({
      ":method": method,
      ":path": `/api/bridge_worker/${this.workerId}${path}`,
      authorization: `Bearer ${this.secret}`,
      ...(payload ? { "content-type": "application/json", "content-length": String(payload.length) } : {}),
      ...headers,
    });
    return new Promise((resolve, reject) => {
      let status = 0;
      let text = "";
      stream.on("response", (h) => (status = Number(h[":status"])));
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => (text += chunk));
      stream.on("end", () => resolve({ status, body: text }));
      stream.on("error", reject);
      stream.end(payload);
    });
  }

  /** POST .../stream; resolves with the status once the response headers arrive (200: events follow). */
  openStream(workerInfo: unknown): Promise<H2Response> {
    const payload = Buffer.from(JSON.stringify(workerInfo));
    const stream = this.session.request({
      ":method": "POST",
      ":path": `/api/bridge_worker/${this.workerId}/stream`,
      authorization: `Bearer ${this.secret}`,
      accept: "text/event-stream",
      "cache-control": "no-cache",
      "content-type": "application/json",
      "content-length": String(payload.length),
    });
    this.#stream = stream;
    this.#ended = new Promise((resolve) => {
      stream.on("close", () => resolve());
    });
    let buffer = "";
    stream.setEncoding("utf8");
    stream.on("error", () => undefined);
    stream.end(payload);
    return new Promise((resolve) => {
      stream.on("response", (headers) => {
        const status = Number(headers[":status"]);
        if (status !== 200) {
          let text = "";
          stream.on("data", (chunk: string) => (text += chunk));
          stream.on("end", () => resolve({ status, body: text }));
          return;
        }
        stream.on("data", (chunk: string) => {
          const { events, rest } = decodeEvents(buffer + chunk);
          buffer = rest;
          for (const event of events as StreamEvent[]) this.#deliver(event);
        });
        resolve({ status, body: String(headers["content-type"]) });
      });
    });
  }

  /** The next event (already received or to come) that `match` accepts. */
  next(match: (event: StreamEvent) => boolean): Promise<StreamEvent> {
    const index = this.events.findIndex(match);
    if (index !== -1) return Promise.resolve(this.events.splice(index, 1)[0]!);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  nextInvocation(): Promise<StreamEvent> {
    return this.next((e) => e.Event === "FunctionWorkerEvent" && e.Data.Action === "InvokeFunctions");
  }

  /** Answers every heartbeat from now on, as a healthy worker does. */
  answerHeartbeats(message = ""): void {
    const loop = async () => {
      for (;;) {
        await this.next((e) => e.Event === "WorkerEvent" && e.Data.Action === "Heartbeat");
        if (this.#stream?.closed) return;
        await this.actionResult({
          Action: "Heartbeat",
          Status: "Completed",
          Result: "None",
          Message: message,
        }).catch(() => undefined);
      }
    };
    void loop();
  }

  actionResult(result: Record<string, unknown>): Promise<H2Response> {
    return this.request("POST", "/action_result", result);
  }

  /** Resolves when the server (or we) ended the event stream. */
  streamEnded(): Promise<void> {
    return this.#ended ?? Promise.resolve();
  }

  /** The worker goes away: its stream is reset, as when the process dies. */
  dropStream(): void {
    this.#stream?.close();
  }

  close(): void {
    this.#stream?.close();
    this.session.close();
  }

  #deliver(event: StreamEvent): void {
    const index = this.#waiters.findIndex((w) => w.match(event));
    if (index === -1) {
      this.events.push(event);
      // Heartbeats pile up while no one waits for them: drop the oldest.
      if (this.events.length > 100) {
        const oldBeat = this.events.findIndex((e) => e.Data.Action === "Heartbeat");
        if (oldBeat !== -1) this.events.splice(oldBeat, 1);
      }
      return;
    }
    const [waiter] = this.#waiters.splice(index, 1);
    waiter!.resolve(event);
  }
}

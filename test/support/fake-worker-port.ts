// The server side of the bridge worker protocol (spec/server-api.md §4), built on node:http2 for
// tests of the worker SDK: GET /api/info on a plain HTTP listener advertises the worker port; the
// worker port (h2c) serves `me`, the event stream (recording each registration and its headers) and
// `action_result` (recording each result). Tests push events and drop streams by hand.
import { createServer as createHttpServer, type Server } from "node:http";
import {
  createServer as createHttp2Server,
  type Http2Server,
  type IncomingHttpHeaders,
  type ServerHttp2Stream,
} from "node:http2";
import type { AddressInfo } from "node:net";
import {
  encodeEvent,
  type ActionResult,
  type ServerEvent,
  type WorkerInfo,
} from "../../src/worker-protocol/index.ts";

export interface Registration {
  readonly headers: IncomingHttpHeaders;
  readonly info: WorkerInfo;
}

export interface FakeWorkerPortOptions {
  /** The worker it knows; undefined knows any (the requests show which came). */
  readonly workerId?: string;
  /** The secret it accepts; undefined accepts any (the registration's headers show which came). */
  readonly secret?: string;
  readonly slug?: string;
  /** What /api/info answers; default `{ WorkerPort: "<port>" }`. */
  readonly info?: (workerPort: number) => unknown;
}

export class FakeWorkerPort {
  readonly registrations: Registration[] = [];
  readonly results: ActionResult[] = [];
  /** `METHOD path` of every request to the worker port, in order. */
  readonly requests: string[] = [];
  /** Streams the worker closed (its own close, not the server's drop). */
  closedByWorker = 0;
  url = "";
  workerPort = 0;
  private current: ServerHttp2Stream | undefined;
  private readonly waiters: (() => void)[] = [];
  private readonly infoServer: Server;
  private readonly portServer: Http2Server;

  /** The secret it accepts from now on (undefined: any); starts as options.secret. */
  secret: string | undefined;

  constructor(private readonly options: FakeWorkerPortOptions) {
    this.secret = options.secret;
    this.portServer = createHttp2Server();
    this.portServer.on("stream", (stream, headers) => this.serve(stream, headers));
    this.infoServer = createHttpServer((request, response) => {
      if (request.url !== "/api/info") {
        response.writeHead(404).end();
        return;
      }
      const body = this.options.info
        ? this.options.info(this.workerPort)
        : { WorkerPort: String(this.workerPort) };
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  }

  /** Listens on a free worker port, and for /api/info on `infoPort` (default: a free one). */
  async listen(infoPort = 0): Promise<this> {
    await new Promise<void>((resolve) => this.portServer.listen(0, "127.0.0.1", resolve));
    await new Promise<void>((resolve) => this.infoServer.listen(infoPort, "127.0.0.1", resolve));
    this.workerPort = (this.portServer.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${(this.infoServer.address() as AddressInfo).port}`;
    return this;
  }

  /** The stream is open now. */
  get streaming(): boolean {
    return this.current !== undefined && !this.current.closed;
  }

  /** Sends one event on the open stream. */
  send(event: ServerEvent | Record<string, unknown>): void {
    if (!this.current) throw new Error("no worker stream is open");
    this.current.write(encodeEvent(event as ServerEvent));
  }

  /** Writes raw text on the open stream (comments, malformed lines). */
  write(text: string): void {
    if (!this.current) throw new Error("no worker stream is open");
    this.current.write(text);
  }

  /** Ends the open stream from the server's side, as a server restart or a proxy would. */
  dropStream(): void {
    this.current?.close();
    this.current = undefined;
  }

  /** Resolves once `predicate` holds (checked after every registration, result and close). */
  async until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The result for `operationId`, once it arrives. */
  async result(operationId: string): Promise<ActionResult> {
    await this.until(
      () => this.results.some((r) => r.QueuedOperationID === operationId),
      `result ${operationId}`,
    );
    return this.results.find((r) => r.QueuedOperationID === operationId)!;
  }

  async close(): Promise<void> {
    this.dropStream();
    await new Promise<void>((resolve) => this.infoServer.close(() => resolve()));
    await new Promise<void>((resolve) => this.portServer.close(() => resolve()));
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private serve(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    const method = headers[":method"];
    const path = headers[":path"] ?? "";
    this.requests.push(`${method} ${path}`);
    const workerId = this.options.workerId ?? path.split("/")[3] ?? "";
    const base = `/api/bridge_worker/${workerId}`;
    const reply = (status: number, body: unknown) => {
      stream.respond({ ":status": status, "content-type": "application/json" });
      stream.end(JSON.stringify(body));
    };
    if (!path.startsWith(`${base}/`)) {
      reply(404, { Code: "404", Message: `BridgeWorker ${path.split("/")[3]} not found` });
      return;
    }
    const secret = this.secret;
    if (
      secret === undefined
        ? !headers.authorization?.startsWith("Bearer ")
        : headers.authorization !== `Bearer ${secret}`
    ) {
      reply(401, { Code: "401", Message: "invalid worker secret" });
      return;
    }
    const body: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => body.push(chunk));
    stream.on("end", () => {
      const text = Buffer.concat(body).toString("utf8");
      if (method === "GET" && path === `${base}/me`) {
        reply(200, { BridgeWorkerID: workerId, Slug: this.options.slug ?? "fake-worker" });
      } else if (method === "POST" && path === `${base}/stream`) {
        this.registrations.push({ headers, info: JSON.parse(text) as WorkerInfo });
        stream.respond({ ":status": 200, "content-type": "text/event-stream" });
        // A comment line first: clients must ignore lines without `data: `.
        stream.write(": connected\n\n");
        this.current = stream;
        stream.on("close", () => {
          if (this.current === stream) {
            this.current = undefined;
            this.closedByWorker++;
          }
          this.notify();
        });
        this.notify();
      } else if (method === "POST" && path === `${base}/action_result`) {
        this.results.push(JSON.parse(text) as ActionResult);
        stream.respond({ ":status": 200, "content-type": "application/json" });
        stream.end(JSON.stringify("ok"));
        this.notify();
      } else {
        reply(404, { Code: "404", Message: `no route ${method} ${path}` });
      }
    });
  }
}

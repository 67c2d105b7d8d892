// A bridge worker: announces its functions to a confn (or ConfigHub) server and runs them on the
// Units the server sends, for as long as it runs. It connects as ConfigHub's Go library does
// (spec/server-api.md §4): GET /api/info for the worker port, then over HTTP/2 `me`, and the event
// stream whose request body is the WorkerInfo registration. Heartbeats are answered at once;
// InvokeFunctions events run through the engine, one Unit's strictly in order, different Units side
// by side; every result goes back as an ActionResult. A dropped connection is retried with backoff
// (1 s doubling to 60 s, with jitter), re-registering each time; a refused secret or a deleted
// worker stops it with the reason. stop() refuses new work, lets what is running finish and post
// its results, then closes the stream.
import { EventEmitter } from "node:events";
import { constants, type ClientHttp2Session, type ClientHttp2Stream } from "node:http2";
import type { FunctionDefinition, FunctionRegistry } from "../engine/index.ts";
import {
  decodeEvents,
  type ActionResult,
  type InvokeFunctionsPayload,
  type WorkerInfo,
} from "../worker-protocol/index.ts";
import { Backoff, type BackoffOptions } from "./backoff.ts";
import { workerFunctions } from "./function-module.ts";
import { freeMemory, heartbeatResult } from "./heartbeat.ts";
import { invokeFunctions } from "./invoke-functions.ts";
import { UnitQueues } from "./unit-queues.ts";
import { WorkerError } from "./worker-error.ts";
import { openSession, request, statusError, transportReason, workerOrigin } from "./worker-port.ts";
import { checkWorkerSettings, type WorkerSettings } from "./worker-settings.ts";

export type WorkerLogLevel = "info" | "warn" | "error";
export type WorkerLog = (level: WorkerLogLevel, message: string) => void;

export interface WorkerOptions extends WorkerSettings {
  /** The functions this worker offers, defined as the built-ins are (docs/writing-functions.md). */
  readonly functions: readonly FunctionDefinition[];
  /** Units run side by side at most. Default 16. */
  readonly concurrency?: number;
  /** Reconnect delays. Default 1 s doubling to 60 s, with jitter. */
  readonly backoff?: BackoffOptions;
  /** Reconnect when the stream brings nothing (not even a heartbeat) for this long. Default 120 s, as ConfigHub's client. */
  readonly idleTimeoutMs?: number;
  /** Bound on connecting, /api/info, `me` and posting a result. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** How long stop() lets running invocations finish before closing anyway. Default 30 s. */
  readonly shutdownTimeoutMs?: number;
  /**
   * How long one Unit's functions may run before the worker gives up on them: it answers Failed and
   * frees their place among `concurrency`, so a function that never returns cannot wedge the worker.
   * Default 60 s (the server gives up after its CONFN_WORKER_TIMEOUT, 30 s by default).
   */
  readonly invocationTimeoutMs?: number;
  /** Where the worker reports connects, disconnects and lost results. Default: lines on stderr. */
  readonly log?: WorkerLog;
  /** Bytes free, for the heartbeat's MemoryPressure message. Default: the machine's (or container's). */
  readonly freeMemory?: () => number;
}

export interface WorkerEventMap {
  /** The stream is open and the registration accepted. */
  connected: [{ slug: string }];
  /** The stream ended; the worker reconnects after `retryInMs` unless it is stopping. */
  disconnected: [{ reason: string; retryInMs: number | undefined }];
}

/** How long invocations run back to back before the event loop gets a turn (inTurn). */
const TURN_SLICE_MS = 5;

/** The largest event line accepted: a Unit's ConfigData (16 MiB) in base64 inside JSON, with room. */
const MAX_EVENT_LINE = 64 * 1024 * 1024;

type State = "new" | "running" | "stopping" | "stopped";

export class Worker extends EventEmitter<WorkerEventMap> {
  /** What the worker registers with on every connect. */
  readonly info: WorkerInfo;
  readonly registry: FunctionRegistry;
  /**
   * Settles when the worker has stopped: fulfilled after stop(), rejected with a WorkerError when
   * retrying cannot help (refused secret, deleted worker, a server without a worker port).
   */
  readonly done: Promise<void>;

  private readonly settings: WorkerSettings;
  private readonly queues: UnitQueues;
  private readonly backoff: Backoff;
  private readonly idleTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly shutdownTimeoutMs: number;
  private readonly invocationTimeoutMs: number;
  private readonly log: WorkerLog;
  private readonly freeMemory: () => number;
  private readonly posts = new Set<Promise<void>>();
  /** When the next invocation may start (inTurn), and when the event loop last had a turn. */
  private turn: Promise<void> = Promise.resolve();
  private turnStarted = performance.now();
  private nextLoopTurn: Promise<void> | undefined;
  private state: State = "new";
  private session: ClientHttp2Session | undefined;
  private stream: ClientHttp2Stream | undefined;
  /** Ends the current event stream with a reason (the loop then reconnects, or stops with why). */
  private abandonStream: ((reason: string) => void) | undefined;
  private slug: string | undefined;
  /** The server accepted this worker's secret once (a stream opened): a later refusal means it was rotated. */
  private accepted = false;
  private wakeUp: (() => void) | undefined;
  private begin!: () => void;

  constructor(options: WorkerOptions) {
    super();
    this.settings = checkWorkerSettings(options);
    ({ registry: this.registry, info: this.info } = workerFunctions(options.functions));
    try {
      this.queues = new UnitQueues(options.concurrency ?? 16);
      this.backoff = new Backoff(options.backoff);
    } catch (error) {
      throw new WorkerError("WORKER_CONFIG", (error as Error).message, { cause: error });
    }
    this.idleTimeoutMs = options.idleTimeoutMs ?? 120_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.shutdownTimeoutMs = options.shutdownTimeoutMs ?? 30_000;
    this.invocationTimeoutMs = options.invocationTimeoutMs ?? 60_000;
    if (!(this.invocationTimeoutMs > 0)) {
      throw new WorkerError(
        "WORKER_CONFIG",
        `invocationTimeoutMs must be a positive number of milliseconds, got ${this.invocationTimeoutMs}`,
      );
    }
    this.log = options.log ?? stderrLog;
    this.freeMemory = options.freeMemory ?? freeMemory;
    this.done = new Promise<void>((resolve) => (this.begin = resolve)).then(() => this.run());
    // A caller that only uses start() and stop() must not see an unhandled rejection; awaiting
    // `done` still gets the error.
    this.done.catch(() => {});
  }

  /** The stream is open now. */
  get connected(): boolean {
    return this.stream !== undefined && this.slug !== undefined;
  }

  /**
   * Starts connecting. Resolves on the first successful registration (or when stopped before it);
   * rejects with a WorkerError when the worker cannot connect at all (see `done`).
   */
  start(): Promise<void> {
    if (this.state !== "new") throw new Error("a Worker starts once");
    this.state = "running";
    const connected = new Promise<void>((resolve, reject) => {
      this.once("connected", () => resolve());
      this.done.then(resolve, reject);
    });
    this.begin();
    return connected;
  }

  /**
   * Stops: events that arrive from now on are answered Failed ("shutting down"), running and queued
   * invocations finish and post their results (for at most shutdownTimeoutMs), then the stream and
   * the connection close. Resolves when the worker has stopped.
   */
  async stop(): Promise<void> {
    if (this.state === "new") {
      this.state = "stopped";
      this.begin();
    } else if (this.state === "running") {
      this.state = "stopping";
      this.wakeUp?.();
      const deadline = delay(this.shutdownTimeoutMs);
      const finished = await Promise.race([
        this.queues
          .idle()
          .then(() => Promise.allSettled([...this.posts]))
          .then(() => true),
        deadline.promise.then(() => false),
      ]);
      deadline.cancel();
      if (!finished) {
        this.log(
          "warn",
          `stopping with ${this.queues.size} invocation(s) unfinished after ${this.shutdownTimeoutMs / 1000}s`,
        );
      }
      this.stream?.close(constants.NGHTTP2_NO_ERROR);
    }
    await this.done.catch(() => {});
  }

  private async run(): Promise<void> {
    try {
      while (this.state === "running") {
        let reason: string;
        try {
          reason = await this.connectOnce();
        } catch (error) {
          const workerError =
            error instanceof WorkerError
              ? error
              : new WorkerError("WORKER_CONNECTION", transportReason(error), { cause: error });
          if (workerError.fatal) {
            this.log("error", workerError.message);
            throw workerError;
          }
          reason = workerError.message;
        } finally {
          this.closeSession();
        }
        if (this.state !== "running") break;
        const retryInMs = this.backoff.next();
        this.log("warn", `disconnected: ${reason}; reconnecting in ${(retryInMs / 1000).toFixed(1)}s`);
        this.emit("disconnected", { reason, retryInMs });
        await this.sleep(retryInMs);
      }
    } finally {
      this.state = "stopped";
      this.closeSession();
    }
  }

  /** One connection: discover the port, connect, `me`, then the stream until it ends. Resolves with why it ended. */
  private async connectOnce(): Promise<string> {
    const origin = await workerOrigin(this.settings, this.requestTimeoutMs);
    if (this.state !== "running") return "stopping";
    const session = await openSession(origin, this.requestTimeoutMs);
    this.session = session;
    if (this.state !== "running") return "stopping";
    const mePath = `${this.basePath()}/me`;
    const me = await request(session, this.headers("GET", mePath), undefined, this.requestTimeoutMs);
    if (me.status !== 200) throw statusError(`GET ${mePath}`, this.settings.workerId, me, this.accepted);
    let slug: string;
    try {
      slug = String((JSON.parse(me.text) as { Slug?: unknown }).Slug ?? this.settings.workerId);
    } catch {
      throw new WorkerError(
        "WORKER_PROTOCOL",
        `GET ${mePath}: the answer is not a BridgeWorker JSON document`,
      );
    }
    if (this.state !== "running") return "stopping";
    return this.readStream(session, slug, origin);
  }

  /** POSTs the registration and handles the events until the stream ends. */
  private readStream(session: ClientHttp2Session, slug: string, origin: string): Promise<string> {
    const path = `${this.basePath()}/stream`;
    return new Promise((resolve, reject) => {
      const stream = session.request({
        ...this.headers("POST", path),
        accept: "text/event-stream",
        "cache-control": "no-cache",
        "content-type": "application/json",
      });
      this.stream = stream;
      let status = 0;
      let buffer = "";
      let endReason: string | undefined;
      let idleTimer: NodeJS.Timeout | undefined;
      const idle = () => {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => {
          endReason = `no event or heartbeat from the server for ${this.idleTimeoutMs / 1000}s`;
          stream.close(constants.NGHTTP2_CANCEL);
        }, this.idleTimeoutMs);
      };
      const abandon = (reason: string) => {
        endReason = reason;
        stream.close(constants.NGHTTP2_CANCEL);
      };
      this.abandonStream = abandon;
      idle();
      stream.setEncoding("utf8");
      stream.on("response", (headers) => {
        status = Number(headers[":status"]);
        if (status !== 200) return;
        this.slug = slug;
        this.accepted = true;
        this.backoff.reset();
        this.log("info", `worker ${slug} connected to ${origin}; offering ${describeFunctions(this.info)}`);
        this.emit("connected", { slug });
      });
      stream.on("data", (chunk: string) => {
        idle();
        buffer += chunk;
        if (status !== 200) {
          if (buffer.length > 4096) buffer = buffer.slice(0, 4096);
          return;
        }
        if (buffer.length > MAX_EVENT_LINE) {
          abandon(`the server sent an event line longer than ${MAX_EVENT_LINE} bytes`);
          return;
        }
        // Most chunks of a large event end mid-line: decode only once a line is complete.
        if (!chunk.includes("\n")) return;
        let events: unknown[];
        try {
          ({ events, rest: buffer } = decodeEvents(buffer));
        } catch (error) {
          abandon(`the server sent a malformed event line: ${(error as Error).message}`);
          return;
        }
        for (const event of events) this.handle(event);
      });
      stream.on("error", (error) => {
        endReason ??= transportReason(error);
      });
      stream.on("close", () => {
        clearTimeout(idleTimer);
        this.stream = undefined;
        if (this.abandonStream === abandon) this.abandonStream = undefined;
        this.slug = undefined;
        if (status !== 0 && status !== 200) {
          reject(
            statusError(`POST ${path}`, this.settings.workerId, { status, text: buffer }, this.accepted),
          );
          return;
        }
        if (this.state !== "running") resolve("stopping");
        else
          resolve(
            endReason ??
              (status === 0
                ? "the server did not answer the stream request"
                : "the server ended the event stream"),
          );
      });
      stream.end(JSON.stringify(this.info));
    });
  }

  /** One event from the stream; anything unexpected is answered or reported, never thrown. */
  private handle(raw: unknown): void {
    const event = (raw ?? {}) as { Event?: unknown; Data?: { Action?: unknown; Payload?: unknown } };
    const action = event.Data?.Action;
    if (event.Event === "WorkerEvent") {
      // keepalive and standby (V26) need no answer.
      if (action === "Heartbeat") void this.post(heartbeatResult(this.freeMemory()), "heartbeat");
      return;
    }
    const payload = (event.Data?.Payload ?? {}) as Partial<InvokeFunctionsPayload>;
    const operationId = typeof payload.QueuedOperationID === "string" ? payload.QueuedOperationID : undefined;
    if (operationId === undefined) {
      this.log("warn", `ignored an event without a QueuedOperationID: ${JSON.stringify(raw).slice(0, 200)}`);
      return;
    }
    const what = `operation ${operationId}`;
    if (event.Event !== "FunctionWorkerEvent" || action !== "InvokeFunctions") {
      void this.post(
        failed(
          operationId,
          String(action),
          `this worker runs functions only; it does not handle ${String(event.Event)} ${String(action)}`,
        ),
        what,
      );
      return;
    }
    if (this.state !== "running") {
      void this.post(failed(operationId, "InvokeFunctions", "the worker is shutting down"), what);
      return;
    }
    const unitId = payload.InvocationRequest?.UnitID;
    this.queues.enqueue(typeof unitId === "string" && unitId !== "" ? unitId : operationId, async () => {
      const result = await this.withinLimit(
        this.inTurn(() =>
          invokeFunctions(this.registry, payload as InvokeFunctionsPayload, (message) =>
            this.log("warn", message),
          ),
        ),
        operationId,
        unitId,
      );
      // The slot goes to the next invocation while the result travels (stop() waits for posts).
      void this.post(result, what);
    });
  }

  /**
   * The invocation's result, or a Failed one once invocationTimeoutMs passed without it (the
   * function is left running: JavaScript cannot stop it, but its place goes to the next Unit).
   */
  private async withinLimit(
    running: Promise<ActionResult>,
    operationId: string,
    unitId: unknown,
  ): Promise<ActionResult> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<ActionResult>((resolve) => {
      timer = setTimeout(() => {
        const seconds = this.invocationTimeoutMs / 1000;
        const unit = typeof unitId === "string" ? ` on Unit ${unitId}` : "";
        this.log(
          "warn",
          `functions${unit} still running after ${seconds} s: gave up on them (a function that never returns?)`,
        );
        resolve(
          failed(
            operationId,
            "InvokeFunctions",
            `the worker's functions did not finish within ${seconds} s (its invocationTimeoutMs); it gave up on this Unit`,
          ),
        );
      }, this.invocationTimeoutMs);
    });
    try {
      return await Promise.race([running, limit]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Runs `invocation` in its turn: once the invocation before it has finished, or is waiting for
   * something (it is still running when the event loop comes round: I/O, a timer). Functions that
   * never wait thus run one after another instead of interleaved at every `await` of the engine,
   * which would keep up to `concurrency` Units' parsed documents alive at once (more garbage
   * surviving into the old generation, more CPU per Unit); functions that wait still run side by
   * side. Besides, after TURN_SLICE_MS of invocations back to back the event loop gets a turn
   * first: otherwise every queued invocation would run in one go (turns pass along as microtasks),
   * and the results computed meanwhile would go out, and new events come in, only once the queue
   * ran dry: the server would wait for a batch, then the worker for the next one. A turn per slice
   * keeps both busy, and still sends a few results per write rather than one.
   */
  private inTurn<T>(invocation: () => Promise<T>): Promise<T> {
    const started = this.turn.then(() => this.sliceTurn());
    const result = started.then(invocation);
    const finished = result.then(
      () => undefined,
      () => undefined,
    );
    this.turn = Promise.race([finished, started.then(() => this.loopTurn())]);
    return result;
  }

  /** At once within a slice of TURN_SLICE_MS, else on a later turn of the event loop. */
  private sliceTurn(): Promise<void> | undefined {
    if (performance.now() - this.turnStarted < TURN_SLICE_MS) return undefined;
    return this.loopTurn().then(() => {
      this.turnStarted = performance.now();
    });
  }

  /** Settles on the next turn of the event loop; one timer however many ask in this turn. */
  private loopTurn(): Promise<void> {
    this.nextLoopTurn ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.nextLoopTurn = undefined;
        resolve();
      }),
    );
    return this.nextLoopTurn;
  }

  /** Posts an ActionResult on the current connection; a failure is logged (the server times the operation out). */
  private post(result: ActionResult, what: string): Promise<void> {
    const session = this.session;
    if (!session || session.closed || session.destroyed) {
      this.log("warn", `${what}: result not sent: not connected`);
      return Promise.resolve();
    }
    const path = `${this.basePath()}/action_result`;
    const posted = request(session, this.headers("POST", path), result, this.requestTimeoutMs).then(
      (reply) => {
        if (reply.status !== 200) {
          this.log("warn", `${what}: ${statusError(`POST ${path}`, this.settings.workerId, reply).message}`);
        }
        // The secret no longer works (rotated, or the worker deleted) though the stream still runs:
        // reconnect, which stops the worker with the reason if `me` refuses the secret too.
        if (reply.status === 401)
          this.abandonStream?.("the server refused this worker's secret on action_result");
      },
      (error: unknown) => this.log("warn", `${what}: result not sent: ${(error as Error).message}`),
    );
    this.posts.add(posted);
    void posted.finally(() => this.posts.delete(posted));
    return posted;
  }

  private closeSession(): void {
    const session = this.session;
    this.session = undefined;
    if (!session) return;
    // Stopping: let the last results' requests finish. Reconnecting: the connection is gone anyway.
    if (this.state === "running") session.destroy();
    else session.close();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeUp = wake;
    });
  }

  private basePath(): string {
    return `/api/bridge_worker/${this.settings.workerId}`;
  }

  private headers(method: "GET" | "POST", path: string) {
    return { ":method": method, ":path": path, authorization: `Bearer ${this.settings.secret}` };
  }
}

function failed(operationId: string, action: string, message: string): ActionResult {
  const now = new Date().toISOString();
  return {
    QueuedOperationID: operationId,
    Action: action,
    Status: "Failed",
    Result: "FunctionInvocationFailed",
    Message: message,
    StartedAt: now,
    TerminatedAt: now,
  };
}

function describeFunctions(info: WorkerInfo): string {
  const byToolchain = info.FunctionWorkerInfo?.SupportedFunctions ?? {};
  return Object.entries(byToolchain)
    .map(([toolchain, functions]) => `${toolchain}: ${Object.keys(functions ?? {}).join(", ")}`)
    .join("; ");
}

function delay(ms: number): { promise: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return { promise, cancel: () => clearTimeout(timer) };
}

function stderrLog(level: WorkerLogLevel, message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`);
}

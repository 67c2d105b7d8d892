// The bridge workers connected to this process, and the WorkerExecutor over them (issue 13). A
// transport (the API's worker port) hands each accepted stream to `connect` as a WorkerStream and
// each posted ActionResult to `receive`; this class keeps the streams, sends heartbeats, correlates
// results with pending operations by QueuedOperationID, and records connection state in the store.
// It knows no HTTP, so the same registry could sit behind another transport (or PostgreSQL).
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type {
  FunctionInvocationRequest,
  FunctionInvocationResponse,
  FunctionSignatureMap,
} from "../engine/index.ts";
import {
  NotFoundError,
  getBridgeWorker,
  recordWorkerConnected,
  recordWorkerDisconnected,
  recordWorkerSeen,
  recordWorkerUnresponsive,
  recordLapsedWorkersDisconnected,
  renewWorkerLease,
  type DatabaseSchema,
  type WorkerKey,
} from "../store/index.ts";
import type { ActionResult, ServerEvent, WorkerInfo } from "../worker-protocol/index.ts";
import { WorkerCredentialCache } from "./worker-credential-cache.ts";
import {
  WorkerDispatchError,
  workerTimeoutMessage,
  type RegisteredWorker,
  type WorkerDispatchOptions,
  type WorkerExecutor,
} from "./worker-executor.ts";
import { decodeWorkerResponse, workerFailure } from "./worker-response.ts";

/** One open event stream to a worker, as the transport provides it. */
export interface WorkerStream {
  /** Writes one event; throws when the stream is already gone. */
  send(event: ServerEvent): void;
  /** Ends the stream from the server's side (worker deleted, secret rotated, shutdown). */
  end(): void;
}

/** What `connect` returns: the transport calls `closed` once when the stream ends, either side. */
export interface WorkerConnection {
  closed(): Promise<void>;
}

export interface WorkerConnectionSettings {
  /** How often each stream gets a heartbeat; a worker that has not answered the previous one by then is Unresponsive. */
  readonly heartbeatIntervalMs: number;
  /** How long an invocation waits for the worker's result unless the caller says otherwise. */
  readonly invokeTimeoutMs: number;
  /** Operations in flight per worker; one more is WORKER_BUSY. */
  readonly maxOutstandingPerWorker: number;
}

export const DEFAULT_WORKER_CONNECTION_SETTINGS: WorkerConnectionSettings = {
  heartbeatIntervalMs: 30_000,
  invokeTimeoutMs: 30_000,
  maxOutstandingPerWorker: 256,
};

/** Where background failures (a status write during a heartbeat) go: they have no caller to reject. */
export type WorkerConnectionsErrorSink = (error: unknown, context: string) => void;

interface Pending {
  readonly bridgeWorkerId: string;
  readonly request: FunctionInvocationRequest;
  resolve(response: FunctionInvocationResponse): void;
  reject(error: unknown): void;
}

interface LiveStream {
  readonly stream: WorkerStream;
  readonly ipAddress: string;
  readonly pending: Set<string>;
  /** Set once the stream is gone: the bookkeeping runs once, whoever notices first. */
  dropping?: Promise<void>;
}

interface WorkerState {
  readonly key: WorkerKey;
  readonly streams: LiveStream[];
  timer: NodeJS.Timeout | undefined;
  /** A heartbeat was sent and not answered yet. */
  awaitingBeat: boolean;
  unresponsive: boolean;
  /**
   * When the worker last posted anything (Date.now(); 0: nothing since it connected). Kept here,
   * not written per result: its disconnect records it as LastSeenAt, which heartbeat answers
   * otherwise move only every heartbeatIntervalMs.
   */
  heardAt: number;
}

export class WorkerConnections implements WorkerExecutor {
  readonly settings: WorkerConnectionSettings;
  /** Recently verified worker secrets (the worker port's auth); forgotten on rotation and delete. */
  readonly credentials = new WorkerCredentialCache();
  readonly #workers = new Map<string, WorkerState>();
  readonly #pending = new Map<string, Pending>();
  /** Per worker, the tail of its connection-state writes (see #serially). */
  readonly #writes = new Map<string, Promise<void>>();
  readonly #connectListeners: ((key: WorkerKey) => void)[] = [];
  readonly #revokeListeners: ((bridgeWorkerId: string) => void)[] = [];
  #closed = false;
  /** Records workers whose holder died Disconnected, once per heartbeat interval (recordLapsedWorkersDisconnected). */
  readonly #sweep: NodeJS.Timeout;

  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    settings: Partial<WorkerConnectionSettings> = {},
    private readonly onError: WorkerConnectionsErrorSink = () => undefined,
  ) {
    this.settings = { ...DEFAULT_WORKER_CONNECTION_SETTINGS, ...settings };
    this.#sweep = setInterval(() => {
      const heldHere = [...this.#workers.values()]
        .filter((state) => state.streams.length > 0)
        .map((state) => state.key.bridgeWorkerId);
      recordLapsedWorkersDisconnected(this.db, heldHere).catch((error: unknown) =>
        this.onError(error, "recording Disconnected the bridge workers of a server that stopped"),
      );
    }, this.settings.heartbeatIntervalMs);
    this.#sweep.unref();
  }

  /**
   * How long this process vouches for a worker whose stream it holds: three heartbeat rounds, at
   * least 10 s, renewed every round. Once it lapses (this process died) any process records the
   * worker Disconnected.
   */
  get leaseMs(): number {
    return Math.max(3 * this.settings.heartbeatIntervalMs, 10_000);
  }

  /**
   * Registers a (re)connected worker: its WorkerInfo becomes ProvidedInfo, it is Ready, and the
   * stream starts receiving heartbeats. Undefined (and the stream is ended) when the worker was
   * deleted meanwhile or the registry is closing.
   */
  async connect(
    key: WorkerKey,
    info: WorkerInfo,
    ipAddress: string,
    stream: WorkerStream,
  ): Promise<WorkerConnection | undefined> {
    if (this.#closed) {
      stream.end();
      return undefined;
    }
    // Live before the write, so a disconnect of an older stream recorded meanwhile sees this one.
    const live: LiveStream = { stream, ipAddress, pending: new Set() };
    let state = this.#workers.get(key.bridgeWorkerId);
    if (!state) {
      state = { key, streams: [], timer: undefined, awaitingBeat: false, unresponsive: false, heardAt: 0 };
      this.#workers.set(key.bridgeWorkerId, state);
    }
    state.streams.push(live);
    state.unresponsive = false;
    let recorded: boolean;
    try {
      recorded = await this.#serially(key.bridgeWorkerId, () =>
        recordWorkerConnected(this.db, key, { ...info }, ipAddress, this.leaseMs),
      );
    } catch (error) {
      stream.end();
      await this.#drop(key, live);
      throw error;
    }
    if (!recorded) {
      stream.end();
      await this.#drop(key, live);
      return undefined;
    }
    // The stream may have closed while the registration was written: nothing left to beat.
    if (live.dropping) return { closed: () => this.#drop(key, live) };
    this.#startHeartbeats(state);
    // The first beat right away: the worker learns the stream works, LastSeenAt follows its answer.
    this.#beat(live);
    for (const listener of this.#connectListeners) listener(key);
    return { closed: () => this.#drop(key, live) };
  }

  /**
   * Calls `listener` each time a worker's stream is registered here (its functions recorded, the
   * stream ready to carry invocations): the replicated executor then claims what waits for it.
   */
  onConnected(listener: (key: WorkerKey) => void): void {
    this.#connectListeners.push(listener);
  }

  /**
   * An ActionResult the worker posted. Heartbeat answers mark it alive; an InvokeFunctions result
   * settles the pending operation with its QueuedOperationID. Returns the text of the 200 answer.
   */
  async receive(key: WorkerKey, result: ActionResult): Promise<string> {
    const state = this.#workers.get(key.bridgeWorkerId);
    if (state) state.heardAt = Date.now();
    if (result.Action === "Heartbeat") {
      if (state) {
        state.awaitingBeat = false;
        state.unresponsive = false;
      }
      const message = typeof result.Message === "string" ? result.Message.slice(0, 1024) : "";
      if (!(await recordWorkerSeen(this.db, key, message))) this.disconnectWorker(key.bridgeWorkerId);
      return "heartbeat recorded";
    }
    const operationId = result.QueuedOperationID ?? "";
    const pending = this.#pending.get(operationId);
    if (!pending || pending.bridgeWorkerId !== key.bridgeWorkerId) {
      return `no pending operation ${operationId || "(none given)"} for this worker: ignored`;
    }
    switch (result.Status) {
      case "Completed":
        try {
          pending.resolve(decodeWorkerResponse(key.bridgeWorkerId, result, pending.request));
        } catch (error) {
          pending.reject(error);
        }
        return "result recorded";
      case "Failed":
      case "Canceled":
      case "Aborted":
        pending.reject(workerFailure(key.bridgeWorkerId, result));
        return "failure recorded";
      default:
        // Pending, Submitted, Progressing: progress reports; the operation goes on.
        return "progress recorded";
    }
  }

  /** Ends every stream of the worker held here (deleted, or its secret rotated): it must reconnect to go on. */
  disconnectWorker(bridgeWorkerId: string): void {
    this.credentials.forget(bridgeWorkerId);
    const state = this.#workers.get(bridgeWorkerId);
    for (const live of [...(state?.streams ?? [])]) live.stream.end();
  }

  /**
   * The worker was deleted or its secret rotated through this process: its streams end here, and
   * the onRevoked listeners hear of it (the replicated executor tells the other replicas, which end
   * theirs). Call after the change is committed, so that a reconnect sees it.
   */
  revoke(bridgeWorkerId: string): void {
    this.disconnectWorker(bridgeWorkerId);
    for (const listener of this.#revokeListeners) listener(bridgeWorkerId);
  }

  /** Calls `listener` with the ID of every worker revoked through this process (revoke). */
  onRevoked(listener: (bridgeWorkerId: string) => void): void {
    this.#revokeListeners.push(listener);
  }

  /** Operations one worker may have in flight (WorkerExecutor.outstandingLimit). */
  get outstandingLimit(): number {
    return this.settings.maxOutstandingPerWorker;
  }

  /** Whether the worker has a live stream to this process. */
  isConnected(bridgeWorkerId: string): boolean {
    return (this.#workers.get(bridgeWorkerId)?.streams.length ?? 0) > 0;
  }

  async registeredWorker(organizationId: string, bridgeWorkerId: string): Promise<RegisteredWorker | null> {
    try {
      const worker = await getBridgeWorker(this.db, organizationId, bridgeWorkerId);
      return { slug: worker.slug, signatures: supportedFunctions(worker.provided_info) };
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }

  invoke(
    organizationId: string,
    bridgeWorkerId: string,
    request: FunctionInvocationRequest,
    options: WorkerDispatchOptions = {},
  ): Promise<FunctionInvocationResponse> {
    const state = this.#workers.get(bridgeWorkerId);
    const live = state?.key.organizationId === organizationId ? state.streams.at(-1) : undefined;
    if (!state || !live) {
      return Promise.reject(
        new WorkerDispatchError("WORKER_DISCONNECTED", `bridge worker ${bridgeWorkerId} is not connected`),
      );
    }
    const outstanding = state.streams.reduce((sum, s) => sum + s.pending.size, 0);
    if (outstanding >= this.settings.maxOutstandingPerWorker) {
      return Promise.reject(
        new WorkerDispatchError(
          "WORKER_BUSY",
          `bridge worker ${bridgeWorkerId} has ${outstanding} operations in flight, ` +
            `the most allowed (CONFN_WORKER_MAX_OUTSTANDING); retry later`,
          1,
        ),
      );
    }
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    const timeoutMs = options.timeoutMs ?? this.settings.invokeTimeoutMs;
    const operationId = randomUUID();
    return new Promise<FunctionInvocationResponse>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        this.#pending.delete(operationId);
        live.pending.delete(operationId);
      };
      const onAbort = () => {
        settle();
        reject(options.signal?.reason);
      };
      const timer = setTimeout(() => {
        settle();
        reject(new WorkerDispatchError("WORKER_TIMEOUT", workerTimeoutMessage(bridgeWorkerId, timeoutMs)));
      }, timeoutMs);
      options.signal?.addEventListener("abort", onAbort, { once: true });
      this.#pending.set(operationId, {
        bridgeWorkerId,
        request,
        resolve: (response) => {
          settle();
          resolve(response);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      live.pending.add(operationId);
      try {
        live.stream.send({
          Event: "FunctionWorkerEvent",
          Data: {
            Action: "InvokeFunctions",
            Payload: { QueuedOperationID: operationId, InvocationRequest: request },
          },
        });
      } catch {
        this.#pending
          .get(operationId)
          ?.reject(
            new WorkerDispatchError("WORKER_DISCONNECTED", `bridge worker ${bridgeWorkerId} disconnected`),
          );
      }
    });
  }

  /**
   * Shutdown: ends every stream, fails what is pending and records the disconnects; later
   * connects are refused. Resolves once every connection-state write has run, also those of
   * streams that closed just before (the caller closes the database next). Safe to call more than once.
   */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweep);
    for (const state of [...this.#workers.values()]) {
      for (const live of [...state.streams]) {
        this.#failPending(live, state.key.bridgeWorkerId, "the server is shutting down");
        live.stream.end();
        void this.#drop(state.key, live);
      }
    }
    // A drop leaves the registry at once but writes later; each write is the tail of #writes.
    while (this.#writes.size > 0) await Promise.all([...this.#writes.values()]);
  }

  #startHeartbeats(state: WorkerState): void {
    if (state.timer) return;
    state.timer = setInterval(() => {
      if (state.awaitingBeat && !state.unresponsive) {
        state.unresponsive = true;
        recordWorkerUnresponsive(this.db, state.key)
          // Gone without a word to this process (its Space deleted, a lost notification): end its streams.
          .then((exists) => exists || this.disconnectWorker(state.key.bridgeWorkerId))
          .catch((error: unknown) =>
            this.onError(error, `marking bridge worker ${state.key.bridgeWorkerId} Unresponsive`),
          );
      }
      state.awaitingBeat = true;
      for (const live of state.streams) this.#beat(live);
      if (state.streams.length > 0) {
        // This process is alive and holds the stream: the lease runs on (after any disconnect write).
        this.#serially(state.key.bridgeWorkerId, () =>
          renewWorkerLease(this.db, state.key, this.leaseMs),
        ).catch((error: unknown) =>
          this.onError(error, `renewing the lease on bridge worker ${state.key.bridgeWorkerId}`),
        );
      }
    }, this.settings.heartbeatIntervalMs);
    // Heartbeats never keep the process alive on their own.
    state.timer.unref();
  }

  #beat(live: LiveStream): void {
    try {
      live.stream.send({
        Event: "WorkerEvent",
        Data: { Action: "Heartbeat", Payload: { Timestamp: Date.now() * 1000 } },
      });
    } catch {
      // A stream that cannot take a write is closing; its transport reports that through closed().
    }
  }

  #drop(key: WorkerKey, live: LiveStream): Promise<void> {
    live.dropping ??= this.#dropped(key, live);
    return live.dropping;
  }

  async #dropped(key: WorkerKey, live: LiveStream): Promise<void> {
    const state = this.#workers.get(key.bridgeWorkerId);
    const heardAt = state && state.heardAt > 0 ? new Date(state.heardAt) : undefined;
    if (state) {
      const index = state.streams.indexOf(live);
      if (index !== -1) state.streams.splice(index, 1);
      if (state.streams.length === 0) {
        clearInterval(state.timer);
        this.#workers.delete(key.bridgeWorkerId);
      }
    }
    this.#failPending(live, key.bridgeWorkerId, "disconnected");
    try {
      // Whether another stream is live is decided when the write runs, after any connect before it.
      await this.#serially(key.bridgeWorkerId, () =>
        recordWorkerDisconnected(this.db, key, live.ipAddress, this.isConnected(key.bridgeWorkerId), heardAt),
      );
    } catch (error) {
      this.onError(error, `recording the disconnect of bridge worker ${key.bridgeWorkerId}`);
    }
  }

  /**
   * Runs a worker's connection-state writes one after another, in the order the events happened:
   * a reconnect racing the close of the stream it replaces must not end up Disconnected.
   */
  #serially<T>(bridgeWorkerId: string, write: () => Promise<T>): Promise<T> {
    const previous = this.#writes.get(bridgeWorkerId) ?? Promise.resolve();
    const result = previous.then(write);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#writes.set(bridgeWorkerId, tail);
    void tail.then(() => {
      if (this.#writes.get(bridgeWorkerId) === tail) this.#writes.delete(bridgeWorkerId);
    });
    return result;
  }

  #failPending(live: LiveStream, bridgeWorkerId: string, why: string): void {
    for (const operationId of [...live.pending]) {
      this.#pending
        .get(operationId)
        ?.reject(new WorkerDispatchError("WORKER_DISCONNECTED", `bridge worker ${bridgeWorkerId} ${why}`));
    }
  }
}

/** ProvidedInfo.FunctionWorkerInfo.SupportedFunctions, or an empty map when the worker announced none. */
export function supportedFunctions(providedInfo: Readonly<Record<string, unknown>>): FunctionSignatureMap {
  const functionInfo = providedInfo.FunctionWorkerInfo as { SupportedFunctions?: unknown } | undefined;
  const supported = functionInfo?.SupportedFunctions;
  if (typeof supported !== "object" || supported === null) return {};
  return supported as FunctionSignatureMap;
}

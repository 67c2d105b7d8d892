// One invocation's way to its bridge workers: loads each named worker's functions once (its
// FunctionSignatures, registered like built-ins so arguments are validated by the same code), and
// sends the engine's per-Unit requests through the WorkerExecutor the caller handed in. A dispatch
// failure becomes an EngineError of the same code (WORKER_DISCONNECTED, WORKER_TIMEOUT, WORKER_BUSY,
// WORKER_FAILED), so it fails that Unit's element only; invoke-functions.ts turns a call in which
// no Unit could be dispatched at all into a 503 (disconnected) or a 429 (busy).
import {
  ConfigDataError,
  EngineError,
  parseUnitText,
  remoteFunctions,
  type FunctionInvocationRequest,
  type FunctionInvocationResponse,
  type FunctionLookup,
  type RemoteExecutor,
  type ToolchainType,
} from "../engine/index.ts";
import { NotFoundError } from "../store/index.ts";
import type { FunctionCatalogue } from "./check-invocations.ts";
import type { EnginePool } from "./engine-pool.ts";
import { InvokeError } from "./errors.ts";
import { isWorkerDispatchError, type WorkerExecutor } from "./worker-executor.ts";

export class WorkerDispatch implements RemoteExecutor {
  private readonly loaded = new Map<string, Promise<FunctionCatalogue | null>>();
  private readonly known = new Map<string, FunctionCatalogue | null>();
  /** Each loaded worker's Slug, for messages. */
  private readonly slugs = new Map<string, string>();
  /** What named each worker besides the request itself (`Trigger policy (require-labels)`), for messages. */
  private readonly namedBy = new Map<string, Set<string>>();

  constructor(
    private readonly executor: WorkerExecutor | undefined,
    private readonly organizationId: string,
    private readonly options: {
      readonly timeoutMs?: number;
      readonly signal?: AbortSignal;
      /** The call writes nothing: its Units take the Mutations their worker computed (RemoteExecutor). */
      readonly takesWorkerMutations?: boolean;
      /** The engine threads, which check the data workers return off the main thread. */
      readonly dataChecks?: EnginePool;
    } = {},
  ) {
    this.takesWorkerMutations = options.takesWorkerMutations === true;
    const pool = options.dataChecks;
    if (pool) this.checkData = (text, toolchain) => checkOnThread(pool, text, toolchain);
  }

  readonly takesWorkerMutations: boolean;
  readonly checkData?: (text: string, toolchain: ToolchainType) => Promise<void>;

  /**
   * The worker's functions for a call that names it (`location`: where, for messages): a 404 when
   * the organization has no such worker, a 503 when this server dispatches to no workers.
   * `namedBy`: the saved call that names it (see load); undefined for the request's own BridgeWorkerID.
   */
  async require(bridgeWorkerId: string, location: string, namedBy?: string): Promise<FunctionCatalogue> {
    if (!this.executor) {
      throw new InvokeError(
        "WORKERS_UNAVAILABLE",
        location,
        `${location} names bridge worker ${bridgeWorkerId}, but this server dispatches to no bridge workers; ` +
          "leave BridgeWorkerID unset to run built-in functions",
      );
    }
    const functions = await this.load(bridgeWorkerId, namedBy);
    if (!functions) throw new NotFoundError("BridgeWorker", bridgeWorkerId);
    return functions;
  }

  /**
   * ` (it runs Trigger policy (require-labels))` when the worker is in the call only because a saved
   * call or Trigger names it, so a message about it says why a call that named no worker reached it.
   */
  reason(bridgeWorkerId: string): string {
    const names = this.namedBy.get(bridgeWorkerId);
    if (!names || names.has("")) return "";
    return ` (it runs ${[...names].sort().join(", ")})`;
  }

  /**
   * From now on, only the workers loaded so far are known: a caller about to open a transaction
   * seals it, so that no lookup goes to the WorkerExecutor from inside the transaction.
   */
  seal(): void {
    this.sealed = true;
  }

  /** Whether the worker's functions were asked for before the seal (or it is not sealed). */
  knows(bridgeWorkerId: string): boolean {
    return !this.sealed || !this.executor || this.loaded.has(bridgeWorkerId);
  }

  private sealed = false;

  /** Whether this call sends anything to a worker (one was named or loaded for a saved call or trigger). */
  dispatches(): boolean {
    return this.executor !== undefined && this.loaded.size > 0;
  }

  /**
   * Loads the worker's functions if it exists (null otherwise); a no-op without an executor.
   * `namedBy`: the saved call or Trigger that names it (undefined: the request itself).
   */
  async load(bridgeWorkerId: string, namedBy?: string): Promise<FunctionCatalogue | null> {
    if (!this.executor) return null;
    let names = this.namedBy.get(bridgeWorkerId);
    if (!names) this.namedBy.set(bridgeWorkerId, (names = new Set()));
    names.add(namedBy ?? "");
    let pending = this.loaded.get(bridgeWorkerId);
    if (!pending && this.sealed) {
      throw new Error(`WorkerDispatch: bridge worker ${bridgeWorkerId} was not loaded before the seal`);
    }
    if (!pending) {
      const executor = this.executor;
      pending = executor.registeredWorker(this.organizationId, bridgeWorkerId).then((worker) => {
        const functions = worker === null ? null : remoteFunctions(worker.signatures).registry;
        this.known.set(bridgeWorkerId, functions);
        if (worker !== null) this.slugs.set(bridgeWorkerId, worker.slug);
        return functions;
      });
      this.loaded.set(bridgeWorkerId, pending);
    }
    return pending;
  }

  functions(bridgeWorkerId: string): FunctionLookup | undefined {
    return this.known.get(bridgeWorkerId) ?? undefined;
  }

  unavailable(bridgeWorkerId: string): string | undefined {
    if (!this.executor) return "this server dispatches to no bridge workers";
    // Loaded and not found: a saved call or trigger that still names a deleted worker.
    if (this.known.get(bridgeWorkerId) === null) {
      return "it was deleted; give the Trigger or Invocation that names it another worker (or none), or delete that";
    }
    return undefined;
  }

  /**
   * The worker as messages name it: Slug and ID once it is loaded (a CLI user typed the one, an
   * API client sent the other), else its ID.
   */
  describe(bridgeWorkerId: string): string {
    const slug = this.slugs.get(bridgeWorkerId);
    return slug === undefined ? bridgeWorkerId : `${slug} (${bridgeWorkerId})`;
  }

  async run(bridgeWorkerId: string, request: FunctionInvocationRequest): Promise<FunctionInvocationResponse> {
    if (!this.executor)
      throw new EngineError("WORKER_DISCONNECTED", `bridge worker ${bridgeWorkerId} is not available`);
    try {
      const { timeoutMs, signal } = this.options;
      return await this.executor.invoke(this.organizationId, bridgeWorkerId, request, {
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        ...(signal !== undefined ? { signal } : {}),
      });
    } catch (error) {
      if (!isWorkerDispatchError(error)) throw error;
      this.lastRefused = bridgeWorkerId;
      const busy = error.code === "WORKER_BUSY" ? error.retryAfterSeconds : undefined;
      if (busy !== undefined) this.retryAfterSeconds = Math.max(this.retryAfterSeconds ?? 0, busy);
      // The executor's messages usually name the worker by ID: name it as all messages of a call
      // do (describe), and say which one when they do not name it.
      const message = error.message.includes(bridgeWorkerId)
        ? error.message.replaceAll(bridgeWorkerId, this.describe(bridgeWorkerId))
        : `bridge worker ${this.describe(bridgeWorkerId)}: ${error.message}`;
      throw new EngineError(error.code, message, { cause: error });
    }
  }

  /** The last worker that refused or failed a Unit, for the message of a call none of whose Units ran. */
  lastRefused: string | undefined;

  /** The longest Retry-After a busy worker asked for in this invocation. */
  retryAfterSeconds: number | undefined;
}

/** The pool's check; should a thread fail (or the pool be shutting down), the same parse here. */
async function checkOnThread(pool: EnginePool, text: string, toolchain: ToolchainType): Promise<void> {
  try {
    await pool.checkData(text, toolchain);
  } catch (error) {
    if (error instanceof ConfigDataError) throw error;
    parseUnitText(text, toolchain, "configuration data");
  }
}

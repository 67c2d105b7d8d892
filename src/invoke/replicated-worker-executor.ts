// Bridge workers across replicas (issue 13): with PostgreSQL several `confn serve` processes share
// one database, and a worker's stream is held by just one of them. An invocation for a worker this
// process holds goes through its WorkerConnections (in memory, as on a single server). Otherwise
// it becomes a queued operation: a row plus NOTIFY on OPERATIONS_CHANNEL; every replica LISTENs,
// the one holding the worker's stream claims the row (exactly one can), runs it through its own
// WorkerConnections, writes the outcome and NOTIFYs RESULTS_CHANNEL; the waiting replica reads it
// and deletes the row. A worker that connects to a replica while an operation for it is still
// unclaimed (its NOTIFY came before the stream) gets it too: on each connect the replica claims
// the worker's pending operations. Failures keep the single-server codes: WORKER_DISCONNECTED when no replica
// claims the operation in time (or the worker is recorded Disconnected), WORKER_TIMEOUT,
// WORKER_FAILED and WORKER_BUSY as the holding replica saw them. A worker deleted or its secret
// rotated on one replica is announced on REVOKED_CHANNEL, and the replica holding its stream ends it.
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { FunctionInvocationRequest, FunctionInvocationResponse } from "../engine/index.ts";
import {
  NotFoundError,
  claimQueuedOperation,
  deleteExpiredQueuedOperations,
  deleteQueuedOperation,
  finishQueuedOperation,
  getBridgeWorker,
  insertQueuedOperation,
  notify,
  pendingQueuedOperations,
  queuedOperationOutcome,
  type Database,
  type DatabaseSchema,
  type NotificationListener,
  type WorkerKey,
} from "../store/index.ts";
import type { WorkerConnections } from "./worker-connections.ts";
import {
  WorkerDispatchError,
  isWorkerDispatchError,
  workerTimeoutMessage,
  type WorkerDispatchErrorCode,
  type RegisteredWorker,
  type WorkerDispatchOptions,
  type WorkerExecutor,
} from "./worker-executor.ts";

export const OPERATIONS_CHANNEL = "confn_worker_operations";
export const RESULTS_CHANNEL = "confn_worker_results";
/** A worker deleted or its secret rotated on some replica: every replica ends its streams (payload: its ID). */
export const REVOKED_CHANNEL = "confn_worker_revoked";

export interface ReplicationSettings {
  /** How long an operation may stay unclaimed before it fails as WORKER_DISCONNECTED. */
  readonly claimWindowMs: number;
  /** How often a waiter reads its row anyway, in case a notification was lost (listener reconnecting). */
  readonly pollIntervalMs: number;
}

export const DEFAULT_REPLICATION_SETTINGS: ReplicationSettings = {
  claimWindowMs: 3_000,
  pollIntervalMs: 1_000,
};

/** Rows left by a replica that died while waiting are swept this long after their deadline. */
const SWEEP_GRACE_MS = 60_000;
const SWEEP_INTERVAL_MS = 60_000;
const DISPATCH_CODES = new Set<string>([
  "WORKER_DISCONNECTED",
  "WORKER_TIMEOUT",
  "WORKER_BUSY",
  "WORKER_FAILED",
]);

interface Waiter {
  /** Reads the row and settles if it is finished. */
  check(): void;
}

export class ReplicatedWorkerExecutor implements WorkerExecutor {
  readonly settings: ReplicationSettings;
  readonly #db: Kysely<DatabaseSchema>;
  readonly #waiters = new Map<string, Waiter>();
  /** Operations this replica runs for others, so close() can wait for their outcomes to be written. */
  readonly #serving = new Set<Promise<void>>();
  #listener: NotificationListener | undefined;
  #sweep: NodeJS.Timeout | undefined;

  private constructor(
    database: Database,
    readonly local: WorkerConnections,
    private readonly onError: (error: unknown, context: string) => void,
    settings: Partial<ReplicationSettings>,
  ) {
    this.#db = database.db;
    this.settings = { ...DEFAULT_REPLICATION_SETTINGS, ...settings };
  }

  /** The per-worker bound of the replica holding the stream (all replicas share the settings). */
  get outstandingLimit(): number {
    return this.local.outstandingLimit;
  }

  /** Starts listening; the database must be PostgreSQL (Database.listen). */
  static async start(
    database: Database,
    local: WorkerConnections,
    onError: (error: unknown, context: string) => void = () => undefined,
    settings: Partial<ReplicationSettings> = {},
  ): Promise<ReplicatedWorkerExecutor> {
    if (!database.listen)
      throw new TypeError("bridge workers across replicas need PostgreSQL (LISTEN/NOTIFY)");
    const executor = new ReplicatedWorkerExecutor(database, local, onError, settings);
    executor.#listener = await database.listen(
      [OPERATIONS_CHANNEL, RESULTS_CHANNEL, REVOKED_CHANNEL],
      (channel, payload) => executor.#notified(channel, payload),
      (error) => onError(error, "listening for bridge worker operations of other replicas"),
    );
    executor.#sweep = setInterval(() => {
      deleteExpiredQueuedOperations(executor.#db, SWEEP_GRACE_MS).catch((error: unknown) =>
        onError(error, "deleting expired queued operations"),
      );
    }, SWEEP_INTERVAL_MS);
    executor.#sweep.unref();
    local.onConnected((key) => executor.#claimWaiting(key));
    local.onRevoked((bridgeWorkerId) =>
      notify(executor.#db, REVOKED_CHANNEL, bridgeWorkerId).catch((error: unknown) =>
        onError(error, `telling the other replicas that bridge worker ${bridgeWorkerId} was revoked`),
      ),
    );
    return executor;
  }

  registeredWorker(organizationId: string, bridgeWorkerId: string): Promise<RegisteredWorker | null> {
    // The worker's row (ProvidedInfo) is in the shared database: the same whichever replica holds the stream.
    return this.local.registeredWorker(organizationId, bridgeWorkerId);
  }

  async invoke(
    organizationId: string,
    bridgeWorkerId: string,
    request: FunctionInvocationRequest,
    options: WorkerDispatchOptions = {},
  ): Promise<FunctionInvocationResponse> {
    if (this.local.isConnected(bridgeWorkerId)) {
      return this.local.invoke(organizationId, bridgeWorkerId, request, options);
    }
    if (options.signal?.aborted) throw options.signal.reason;
    await this.#requireConnectedSomewhere(organizationId, bridgeWorkerId);
    const timeoutMs = options.timeoutMs ?? this.local.settings.invokeTimeoutMs;
    const operationId = randomUUID();
    await insertQueuedOperation(this.#db, {
      queuedOperationId: operationId,
      organizationId,
      bridgeWorkerId,
      unitId: request.UnitID,
      request: request as unknown as Record<string, unknown>,
      deadline: new Date(Date.now() + timeoutMs),
    });
    return new Promise<FunctionInvocationResponse>((resolve, reject) => {
      const timeoutMessage = workerTimeoutMessage(bridgeWorkerId, timeoutMs);
      let done = false;
      let reading = false;
      const finish = (outcome: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(claimTimer);
        clearTimeout(timeoutTimer);
        clearInterval(pollTimer);
        options.signal?.removeEventListener("abort", onAbort);
        this.#waiters.delete(operationId);
        outcome();
      };
      /** Settles with `error` and removes the row (unless `alreadyGone`). */
      const abandon = (error: unknown, alreadyGone = false) =>
        finish(() => {
          reject(error);
          if (!alreadyGone) this.#forget(organizationId, operationId);
        });
      const check = () => {
        if (done || reading) return;
        reading = true;
        queuedOperationOutcome(this.#db, organizationId, operationId)
          .then((outcome) => {
            if (!outcome) {
              abandon(
                new WorkerDispatchError(
                  "WORKER_DISCONNECTED",
                  `bridge worker ${bridgeWorkerId}: the queued operation disappeared`,
                ),
                true,
              );
            } else if (outcome.status === "Completed") {
              finish(() => {
                resolve(outcome.result as unknown as FunctionInvocationResponse);
                this.#forget(organizationId, operationId);
              });
            } else if (outcome.status === "Failed") {
              const code = DISPATCH_CODES.has(outcome.errorCode)
                ? (outcome.errorCode as WorkerDispatchErrorCode)
                : "WORKER_FAILED";
              // The holder's timer runs to the same deadline and may fire first: the caller's
              // message names the timeout the caller asked for, whichever timer won.
              const message = code === "WORKER_TIMEOUT" ? timeoutMessage : outcome.errorMessage;
              abandon(new WorkerDispatchError(code, message, code === "WORKER_BUSY" ? 1 : undefined));
            }
          })
          .catch((error: unknown) => abandon(error))
          .finally(() => (reading = false));
      };
      const onAbort = () => abandon(options.signal?.reason);
      // Nobody claimed it: no replica holds the worker's stream. Withdrawn only if still unclaimed.
      const claimTimer = setTimeout(
        () => {
          deleteQueuedOperation(this.#db, organizationId, operationId, true)
            .then((withdrawn) => {
              if (withdrawn) {
                abandon(
                  new WorkerDispatchError(
                    "WORKER_DISCONNECTED",
                    `bridge worker ${bridgeWorkerId} is not connected to any replica`,
                  ),
                  true,
                );
              }
            })
            .catch((error: unknown) => abandon(error));
        },
        Math.min(this.settings.claimWindowMs, timeoutMs),
      );
      const timeoutTimer = setTimeout(
        () => abandon(new WorkerDispatchError("WORKER_TIMEOUT", timeoutMessage)),
        timeoutMs,
      );
      const pollTimer = setInterval(check, this.settings.pollIntervalMs);
      options.signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.set(operationId, { check });
      notify(this.#db, OPERATIONS_CHANNEL, `${operationId} ${bridgeWorkerId}`).catch((error: unknown) =>
        abandon(error),
      );
    });
  }

  /** Stops listening and waits for the outcomes of operations run for other replicas to be written. */
  async close(): Promise<void> {
    clearInterval(this.#sweep);
    await this.#listener?.close();
    this.#listener = undefined;
    // Claiming a connected worker's waiting operations starts more work as it goes: wait for all.
    while (this.#serving.size > 0) await Promise.all([...this.#serving]);
  }

  /** A worker recorded Disconnected (or not in this organization) fails at once, not after the claim window. */
  async #requireConnectedSomewhere(organizationId: string, bridgeWorkerId: string): Promise<void> {
    try {
      const worker = await getBridgeWorker(this.#db, organizationId, bridgeWorkerId);
      if (worker.condition !== "Disconnected") return;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    throw new WorkerDispatchError("WORKER_DISCONNECTED", `bridge worker ${bridgeWorkerId} is not connected`);
  }

  #notified(channel: string, payload: string): void {
    if (channel === RESULTS_CHANNEL) {
      this.#waiters.get(payload)?.check();
      return;
    }
    if (channel === REVOKED_CHANNEL) {
      // Not revoke(): that would tell the other replicas again.
      this.local.disconnectWorker(payload);
      return;
    }
    if (channel !== OPERATIONS_CHANNEL) return;
    const [operationId, bridgeWorkerId] = payload.split(" ");
    if (!operationId || !bridgeWorkerId || !this.local.isConnected(bridgeWorkerId)) return;
    this.#serveTracked(operationId, bridgeWorkerId);
  }

  /**
   * The worker just connected here: operations queued for it before its stream existed were
   * notified to no one who could run them. Claim them now (a claim is atomic, so an operation
   * another replica or the notification got first is skipped).
   */
  #claimWaiting(key: WorkerKey): void {
    if (!this.#listener) return;
    const claiming = pendingQueuedOperations(this.#db, key).then((operationIds) => {
      for (const operationId of operationIds) this.#serveTracked(operationId, key.bridgeWorkerId);
    });
    this.#track(claiming, `finding the operations waiting for bridge worker ${key.bridgeWorkerId}`);
  }

  #serveTracked(operationId: string, bridgeWorkerId: string): void {
    this.#track(
      this.#serve(operationId, bridgeWorkerId),
      `running queued operation ${operationId} on bridge worker ${bridgeWorkerId}`,
    );
  }

  /** Keeps work done for other replicas in #serving until it settles (close() waits); failures are logged. */
  #track(work: Promise<void>, context: string): void {
    const serving = work.catch((error: unknown) => this.onError(error, context));
    this.#serving.add(serving);
    void serving.finally(() => this.#serving.delete(serving));
  }

  /** Claims the operation if no other replica did, runs it on the worker held here and records the outcome. */
  async #serve(operationId: string, bridgeWorkerId: string): Promise<void> {
    const claimed = await claimQueuedOperation(this.#db, operationId, bridgeWorkerId);
    if (!claimed) return;
    const request = claimed.request as unknown as FunctionInvocationRequest;
    let outcome: Parameters<typeof finishQueuedOperation>[3];
    try {
      const response = await this.local.invoke(claimed.organizationId, bridgeWorkerId, request, {
        timeoutMs: Math.max(1, claimed.deadline.getTime() - Date.now()),
      });
      outcome = { status: "Completed", result: response as unknown as Record<string, unknown> };
    } catch (error) {
      outcome = isWorkerDispatchError(error)
        ? { status: "Failed", errorCode: error.code, errorMessage: error.message }
        : {
            status: "Failed",
            errorCode: "WORKER_FAILED",
            errorMessage: `bridge worker ${bridgeWorkerId}: ${error instanceof Error ? error.message : String(error)}`,
          };
    }
    if (await finishQueuedOperation(this.#db, operationId, bridgeWorkerId, outcome)) {
      await notify(this.#db, RESULTS_CHANNEL, operationId);
    }
  }

  /** The waiter is done with its row: remove it (a failure here only leaves it to the sweep). */
  #forget(organizationId: string, operationId: string): void {
    deleteQueuedOperation(this.#db, organizationId, operationId).catch((error: unknown) =>
      this.onError(error, `deleting queued operation ${operationId}`),
    );
  }
}

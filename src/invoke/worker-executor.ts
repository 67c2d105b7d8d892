// The seam between the invoke pipeline and bridge workers (issue 13): the pipeline asks "run this
// FunctionInvocationRequest on worker W" and gets W's FunctionInvocationResponse back, or a typed
// WorkerDispatchError. How the request reaches the worker (a stream held by this process, or by
// another replica through PostgreSQL) is the implementation's business, wired in by the API.
import type {
  FunctionInvocationRequest,
  FunctionInvocationResponse,
  FunctionSignatureMap,
} from "../engine/index.ts";

export interface WorkerDispatchOptions {
  /** Give up waiting for the worker's result after this long (default: the server's per-function timeout). */
  readonly timeoutMs?: number;
  /** Aborted when the caller goes away; a pending operation is then abandoned. */
  readonly signal?: AbortSignal;
}

/** What the pipeline needs of a worker before it dispatches to it. */
export interface RegisteredWorker {
  /** Its Slug: messages name a worker by Slug and ID (a CLI user knows the one, the API the other). */
  readonly slug: string;
  /** The functions it registered on its latest connect. */
  readonly signatures: FunctionSignatureMap;
}

export interface WorkerExecutor {
  /**
   * Operations one worker may have in flight at once (more are refused WORKER_BUSY), if the
   * executor has such a limit: one call never sends a worker more Units at once than this.
   */
  readonly outstandingLimit?: number;
  /**
   * Worker `bridgeWorkerId` of `organizationId` and the functions it registered on its latest
   * connect, or null when no such worker exists in that organization (a NotFound for the caller).
   */
  registeredWorker(organizationId: string, bridgeWorkerId: string): Promise<RegisteredWorker | null>;
  /**
   * Sends one Unit's request to the worker and resolves with its response. Rejects with a
   * WorkerDispatchError; never with anything else for a worker-side failure.
   */
  invoke(
    organizationId: string,
    bridgeWorkerId: string,
    request: FunctionInvocationRequest,
    options?: WorkerDispatchOptions,
  ): Promise<FunctionInvocationResponse>;
}

/**
 * Why a dispatch failed:
 * - `WORKER_DISCONNECTED`: no connected stream for the worker (per Unit: the element fails; 503 when nothing could be dispatched).
 * - `WORKER_TIMEOUT`: no result within the timeout (the element fails).
 * - `WORKER_BUSY`: too many outstanding operations for the worker (429 with Retry-After).
 * - `WORKER_FAILED`: the worker answered Failed, or with a malformed response (the element fails; nothing is written).
 */
export type WorkerDispatchErrorCode =
  "WORKER_DISCONNECTED" | "WORKER_TIMEOUT" | "WORKER_BUSY" | "WORKER_FAILED";

export class WorkerDispatchError extends Error {
  override readonly name = "WorkerDispatchError";
  constructor(
    readonly code: WorkerDispatchErrorCode,
    message: string,
    /** For WORKER_BUSY: seconds after which a retry may succeed. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Why a Unit failed that got no result in time (WORKER_TIMEOUT), said alike by every executor. */
export function workerTimeoutMessage(bridgeWorkerId: string, timeoutMs: number): string {
  return (
    `bridge worker ${bridgeWorkerId} did not answer within ${timeoutMs / 1000} s ` +
    "(the server's CONFN_WORKER_TIMEOUT)"
  );
}

export function isWorkerDispatchError(error: unknown): error is WorkerDispatchError {
  return error instanceof WorkerDispatchError;
}

// Public API of the invoke pipeline: select Units, run functions on them, save the changes, answer
// one element per Unit. It knows nothing of HTTP: it takes its dependencies as arguments
// (InvokeDependencies: database handle, functions, limits) and throws typed errors (InvokeError,
// FilterFieldError, the store's errors) that the API maps to status codes. docs/invoke.md shows an
// organization-wide invocation run from a script.
export { invokeFunctions, startInvocation, type InvokeResponse, type InvokeRun } from "./invoke-functions.ts";
export { ElementTally } from "./element-tally.ts";
export { DEFAULT_CONCURRENCY, DEFAULT_WORKER_CONCURRENCY, type InvokeDependencies } from "./dependencies.ts";
export {
  DEFAULT_TOOLCHAIN,
  invokeRequest,
  mayWrite,
  type InvokeRequest,
  type InvokeRequestInit,
} from "./invoke-request.ts";
export { InvokeError, invokeErrorCodes, isInvokeError, type InvokeErrorCode } from "./errors.ts";
export {
  checkInvocation,
  checkToolchain,
  type CheckedCall,
  type FunctionCatalogue,
} from "./check-invocations.ts";
export { createTriggerHook } from "./trigger-hook.ts";
export { dataCondition, dataPrefilters, type DataCondition } from "./selection.ts";
export { matchDataConditions, type DataMatch } from "./data-conditions.ts";
export { passesTriggers } from "./trigger-verdicts.ts";
export { MUTATION_EVENT } from "./space-triggers.ts";
export { DEFAULT_BATCH_SIZE } from "./unit-stream.ts";
export {
  DEFAULT_MAIN_THREAD_UNITS,
  defaultEngineThreads,
  EnginePool,
  type EngineThreadSettings,
} from "./engine-pool.ts";
export { DEFAULT_SPOOL_MEMORY_BYTES, ResponseSpool } from "./response-spool.ts";
export type { WireFunctionInvocationsResponse, WireResponseError } from "./response-element.ts";
export { WorkerDispatch } from "./worker-dispatch.ts";
export {
  isWorkerDispatchError,
  WorkerDispatchError,
  type WorkerDispatchErrorCode,
  type WorkerDispatchOptions,
  type RegisteredWorker,
  type WorkerExecutor,
} from "./worker-executor.ts";
export {
  DEFAULT_WORKER_CONNECTION_SETTINGS,
  WorkerConnections,
  supportedFunctions,
  type WorkerConnection,
  type WorkerConnectionSettings,
  type WorkerConnectionsErrorSink,
  type WorkerStream,
} from "./worker-connections.ts";
export { WORKER_CREDENTIAL_TTL_MS, WorkerCredentialCache } from "./worker-credential-cache.ts";
export {
  ReplicatedWorkerExecutor,
  DEFAULT_REPLICATION_SETTINGS,
  OPERATIONS_CHANNEL,
  RESULTS_CHANNEL,
  REVOKED_CHANNEL,
  type ReplicationSettings,
} from "./replicated-worker-executor.ts";

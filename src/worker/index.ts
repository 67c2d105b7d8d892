// Public API of the TypeScript worker SDK (`confn/worker`): write functions exactly as the built-ins
// are written (docs/writing-functions.md), hand them to runWorker or a Worker, and a confn server
// (or ConfigHub) runs them on its Units through the bridge worker protocol. docs/worker-sdk.md walks
// through it.
export {
  Worker,
  type WorkerEventMap,
  type WorkerLog,
  type WorkerLogLevel,
  type WorkerOptions,
} from "./worker.ts";
export { runWorker, type RunWorkerOptions } from "./run-worker.ts";
export {
  workerSettingsFromEnv,
  checkWorkerSettings,
  checkWorkerSecret,
  type WorkerSettings,
} from "./worker-settings.ts";
export { WorkerError, workerErrorCodes, type WorkerErrorCode } from "./worker-error.ts";
export { functionsOfModule, workerFunctions } from "./function-module.ts";
export { workerInfoOf } from "./worker-info.ts";
export { invokeFunctions } from "./invoke-functions.ts";
export { workerOrigin } from "./worker-port.ts";
export type { BackoffOptions } from "./backoff.ts";
// What a function module needs, so a worker imports everything from one place.
export {
  defineFunction,
  FunctionError,
  type FunctionCall,
  type FunctionDefinition,
  type FunctionResult,
  type SignatureDeclaration,
  type FunctionArguments,
  type FunctionContext,
  type FunctionParameter,
  type ToolchainType,
  type ValidationResult,
} from "../engine/index.ts";

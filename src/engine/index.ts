// Public API of the function engine. It depends on src/config only: no store, no server, so the CLI
// runs it locally and the server, the bridge-worker host and tests share the same code path.
export * from "./types.ts";
export {
  EngineError,
  ArgumentError,
  FunctionError,
  ConfigDataError,
  InvocationRequestError,
  RegistrationError,
  engineErrorCodes,
  type EngineErrorCode,
  type EngineErrorDetails,
} from "./errors.ts";
export {
  defineFunction,
  type FunctionCall,
  type FunctionDefinition,
  type FunctionResult,
  type SignatureDeclaration,
} from "./function-definition.ts";
export { FunctionArguments, type ArgumentEntry } from "./arguments/function-arguments.ts";
export { validateArguments, type ValidatedArguments } from "./arguments/validate-arguments.ts";
export { validatedArguments } from "./arguments/validation-cache.ts";
export { FunctionRegistry, type FunctionLookup, type RegisteredFunction } from "./registry.ts";
export {
  execute,
  type ExecuteOptions,
  type ExecuteRequest,
  type ExecutionResult,
  type StepReport,
} from "./executor/execute.ts";
export type { SavedInvocation } from "./executor/plan.ts";
export type { RemoteExecutor } from "./executor/remote.ts";
export { remoteFunctions, type RemoteFunctions } from "./remote-functions.ts";
export { completeContext, instanceName } from "./executor/function-context.ts";
export { parseUnitText } from "./executor/unit-documents.ts";
export { toFunctionInvocationResponse } from "./executor/response.ts";
export {
  computeMutations,
  mutationKey,
  type ComputedMutation,
  type DocumentSnapshot,
} from "./mutations/compute-mutations.ts";
export { mergeMutations } from "./mutations/merge-mutations.ts";
export { renderYamlValue } from "./mutations/mutation-value-text.ts";
export { goJson } from "./outputs/go-json.ts";
export { fromBase64, isBase64, isPaddedBase64, toBase64 } from "./base64.ts";

// The up-front check of an invoke request's functions: every function must exist in the toolchain's
// registry and its arguments must satisfy the signature, before any Unit runs or anything is
// written. The engine's own validation (validateArguments) decides, so the error carries exactly the
// message a per-Unit run would have produced, prefixed with where the invocation is.
import type { FunctionArgument, FunctionLookup, ToolchainType } from "../engine/index.ts";
import { EngineError, isToolchainType, TOOLCHAIN_TYPES, validateArguments } from "../engine/index.ts";
import { nearestName } from "../filter/suggest.ts";
import { InvokeError } from "./errors.ts";

export interface CheckedCall {
  readonly FunctionName: string;
  readonly Arguments: readonly FunctionArgument[] | null;
  /** Where the call is, for messages: `FunctionInvocations[0]`, `Invocation bump-image`, ... */
  readonly location: string;
}

export interface FunctionCatalogue extends FunctionLookup {
  /** Function names of one toolchain, for "did you mean" suggestions. */
  names(toolchain: ToolchainType): string[];
}

/** `toolchain` if functions run on it; an InvokeError naming `location` (where it was given) otherwise. */
export function checkToolchain(toolchain: string, location: string): ToolchainType {
  if (!isToolchainType(toolchain)) {
    throw new InvokeError(
      "UNSUPPORTED_TOOLCHAIN",
      location,
      `${location} '${toolchain}' is not supported; use one of ${TOOLCHAIN_TYPES.join(", ")}`,
    );
  }
  return toolchain;
}

/** Throws an InvokeError naming the first call whose function is unknown or whose arguments are invalid. */
export function checkInvocations(
  functions: FunctionCatalogue,
  toolchain: ToolchainType,
  calls: readonly CheckedCall[],
  options: { cast: boolean },
): void {
  for (const call of calls) checkInvocation(functions, toolchain, call, options);
}

/** The function's signature if the call is valid; an InvokeError naming `call.location` otherwise. */
export function checkInvocation(
  functions: FunctionCatalogue,
  toolchain: ToolchainType,
  call: CheckedCall,
  options: { cast: boolean },
) {
  const fn = functions.lookup(toolchain, call.FunctionName);
  if (!fn) {
    const suggestion = nearestName(call.FunctionName, functions.names(toolchain));
    throw new InvokeError(
      "UNKNOWN_FUNCTION",
      call.location,
      `${call.location}: function ${call.FunctionName} does not exist for toolchain ${toolchain}` +
        (suggestion ? ` (did you mean ${suggestion}?)` : ""),
    );
  }
  try {
    validateArguments(fn, call.Arguments ?? [], options);
  } catch (error) {
    if (error instanceof EngineError) {
      const message = `${call.location} (${call.FunctionName}): ${error.message}`;
      throw new InvokeError("INVALID_ARGUMENT", call.location, message, { cause: error });
    }
    throw error;
  }
  return fn.signature;
}

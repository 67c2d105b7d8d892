// The up-front check of an invoke request's functions: every function must exist in the toolchain's
// registry and its arguments must satisfy the signature, before any Unit runs or anything is
// written. The engine's own validation decides, so the error carries exactly the message a per-Unit
// run would have produced, prefixed with where the invocation is. It validates through the engine's
// cache (validatedArguments) on the very invocation object the engine then runs, so the Units of
// the request reuse this validation instead of repeating it.
import type { FunctionInvocation, FunctionLookup, ToolchainType } from "../engine/index.ts";
import { EngineError, isToolchainType, TOOLCHAIN_TYPES, validatedArguments } from "../engine/index.ts";
import { nearestName } from "../filter/index.ts";
import { InvokeError } from "./errors.ts";

export interface CheckedCall {
  /** The object the engine will run (not a copy): its validation is cached per object. */
  readonly invocation: FunctionInvocation;
  /** Where the call is, for messages: `body/FunctionInvocations/0`, `Invocation bump-image`, ... */
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
  options: { cast: boolean; executor?: string },
): void {
  for (const call of calls) checkInvocation(functions, toolchain, call, options);
}

/** The function's signature if the call is valid; an InvokeError naming `call.location` otherwise. */
export function checkInvocation(
  functions: FunctionCatalogue,
  toolchain: ToolchainType,
  { invocation, location }: CheckedCall,
  options: {
    cast: boolean;
    /** `bridge worker <id>` when the functions are a worker's. */ executor?: string;
  },
) {
  const fn = functions.lookup(toolchain, invocation.FunctionName);
  if (!fn) {
    const suggestion = nearestName(invocation.FunctionName, functions.names(toolchain));
    throw new InvokeError(
      "UNKNOWN_FUNCTION",
      location,
      `${location}: function ${invocation.FunctionName} does not exist for toolchain ${toolchain}` +
        (options.executor ? ` on ${options.executor}` : "") +
        (suggestion ? ` (did you mean ${suggestion}?)` : ""),
    );
  }
  try {
    validatedArguments(fn, invocation, options.cast);
  } catch (error) {
    if (error instanceof EngineError) {
      const message = `${location} (${invocation.FunctionName}): ${error.message}`;
      throw new InvokeError("INVALID_ARGUMENT", location, message, { cause: error });
    }
    throw error;
  }
  return fn.signature;
}

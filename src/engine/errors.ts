// The engine's one error catalogue. Every error the engine raises or reports is an EngineError with a
// stable `code` and the context that locates it (function, argument, invocation index, line/column).
// `message` is the exact text ConfigHub produces where the spec fixes one (§3, §3.1), because users and
// scripts match on it; the structured fields carry the rest.

/** Stable error codes (UPPER_SNAKE_CASE like every error family; docs/errors.md says what each means). */
export const engineErrorCodes = [
  /** A function definition is malformed or its name is already registered (spec §3.1 "At registration"). */
  "FUNCTION_REGISTRATION",
  /** The invocation names a function that the toolchain's registry does not have. */
  "UNKNOWN_FUNCTION",
  /** An argument is missing, unknown, repeated, of the wrong type or violates a constraint (spec §3.1). */
  "INVALID_ARGUMENT",
  /** A function reported a failure (it threw a FunctionError). */
  "FUNCTION_FAILED",
  /** A function threw something other than an EngineError: a bug in the function, reported, never fatal. */
  "FUNCTION_CRASHED",
  /** A function returned an output that does not match its declared OutputType. */
  "INVALID_OUTPUT",
  /** A read-only or validating function tried to change the data it was given. */
  "READ_ONLY_DATA",
  /** The Unit's configuration data cannot be parsed. */
  "CONFIG_DATA_INVALID",
  /** The invocation request itself is malformed (not an array, missing FunctionName, bad option). */
  "INVALID_REQUEST",
  /** The bridge worker that runs the function has no connected stream. */
  "WORKER_DISCONNECTED",
  /** The bridge worker did not answer within the per-function timeout. */
  "WORKER_TIMEOUT",
  /** The bridge worker has too many operations outstanding. */
  "WORKER_BUSY",
  /** The bridge worker answered with a failure or a malformed response (data that does not parse included). */
  "WORKER_FAILED",
] as const;

export type EngineErrorCode = (typeof engineErrorCodes)[number];

export interface EngineErrorDetails {
  functionName?: string;
  /** Position of the invocation in the execution order. */
  index?: number;
  argument?: string;
  line?: number;
  column?: number;
  cause?: unknown;
}

/**
 * Marks every EngineError, so that one thrown by another copy of confn's code (a worker module that
 * imports FunctionError from a path, not from the confn that runs it) is still recognised.
 */
const ENGINE_ERROR = Symbol.for("confn.EngineError");

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  /** Set by the engine when a function's error reaches it (see `locate`). */
  functionName: string | undefined;
  index: number | undefined;
  readonly argument: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(code: EngineErrorCode, message: string, details: EngineErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    Object.defineProperty(this, ENGINE_ERROR, { value: true });
    this.code = code;
    this.functionName = details.functionName;
    this.index = details.index;
    this.argument = details.argument;
    this.line = details.line;
    this.column = details.column;
  }

  /** Fills in the function and invocation index if the thrower did not know them. */
  locate(functionName: string, index: number): this {
    this.functionName ??= functionName;
    this.index ??= index;
    return this;
  }
}

/** An EngineError of another copy of this module (see ENGINE_ERROR), as this copy's own class. */
export function adoptEngineError(error: unknown): EngineError | undefined {
  if (error instanceof EngineError) return error;
  if (typeof error !== "object" || error === null || !(ENGINE_ERROR in error)) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (!(engineErrorCodes as readonly unknown[]).includes(code) || typeof message !== "string")
    return undefined;
  return new EngineError(code as EngineErrorCode, message, { cause: error });
}

/** Raised by FunctionRegistry.register for a bad or duplicate definition. */
export class RegistrationError extends EngineError {
  constructor(message: string, functionName: string) {
    super("FUNCTION_REGISTRATION", message, { functionName });
  }
}

/** Raised by argument validation; `message` is the exact spec §3.1 text. */
export class ArgumentError extends EngineError {
  constructor(message: string, functionName: string, argument?: string) {
    super("INVALID_ARGUMENT", message, { functionName, ...(argument === undefined ? {} : { argument }) });
  }
}

/**
 * What a function throws to report a failure. The message goes verbatim into the response's
 * ErrorMessages, so write it the way ConfigHub does (e.g. `resource with type T and name N not found`).
 * The engine restores the data to what it was before the function ran.
 */
export class FunctionError extends EngineError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("FUNCTION_FAILED", message, options);
  }

  /** Go's errors.Join: several failures in one function, one message per line. */
  static join(messages: readonly string[]): FunctionError {
    return new FunctionError(messages.join("\n"));
  }
}

/** The Unit's data does not parse; carries the position the config layer reported. */
export class ConfigDataError extends EngineError {
  constructor(message: string, position: { line?: number; column?: number; cause?: unknown } = {}) {
    super("CONFIG_DATA_INVALID", message, position);
  }
}

/** A malformed invocation request (list, option or saved invocation). */
export class InvocationRequestError extends EngineError {
  constructor(message: string, details: EngineErrorDetails = {}) {
    super("INVALID_REQUEST", message, details);
  }
}

// The contract between the engine and every function module (functions/generic/*.ts,
// functions/kubernetes/*.ts, bridge-worker proxies). docs/writing-functions.md explains it with examples.
import type { ConfigDocumentSet } from "../config/index.ts";
import type { FunctionArguments } from "./arguments/function-arguments.ts";
import type {
  FunctionContext,
  FunctionOutput,
  FunctionParameter,
  FunctionType,
  ToolchainType,
} from "./types.ts";

/**
 * What a module declares; the registry completes it into a FunctionSignature (RequiredParameters is
 * counted from the parameters, ToolchainType and FinalMutating are filled in). Field names are
 * ConfigHub's, so `confn function list` shows exactly these.
 */
export interface SignatureDeclaration {
  FunctionName: string;
  Description: string;
  /** In positional order. Default: none. */
  Parameters?: FunctionParameter[];
  /** The last parameter may be repeated. Default false. */
  VarArgs?: boolean;
  /** Default null (no output). OutputType ValidationResult implies Validating. */
  OutputInfo?: FunctionOutput | null;
  /** May change the data. Default false. */
  Mutating?: boolean;
  /** Returns a ValidationResult. Default false. */
  Validating?: boolean;
  /** Calls no other system. Default true. */
  Hermetic?: boolean;
  /** Same result when invoked again. Default true. */
  Idempotent?: boolean;
  /** Default "Custom". */
  FunctionType?: FunctionType;
  AttributeName?: string;
  AffectedResourceTypes?: string[];
}

export interface FunctionDefinition {
  /** A declaration, or one per toolchain when descriptions differ ("[Group/]Version/Kind" vs "Schema"). */
  signature: SignatureDeclaration | ((toolchain: ToolchainType) => SignatureDeclaration);
  /** The registries (one per toolchain) this function is registered in. */
  toolchains: readonly ToolchainType[];
  /**
   * confn extension: among saved invocations and triggers, runs after the general functions and before
   * the validating ones (e.g. ensure-context, which stamps the final content). Requires Mutating.
   */
  finalMutating?: boolean;
  /**
   * What a valid value looks like, per parameter with a Regexp, in words (`a container name: ...`):
   * an argument that does not match is refused with this text instead of the bare pattern.
   */
  argumentHints?: Readonly<Record<string, string>>;
  /**
   * Checks of string arguments beyond type, range and pattern, per parameter (a CEL expression must
   * compile): each returns why the value is wrong, or undefined. They run when arguments are
   * validated, so a bad value is refused (a 400 from the API) before anything runs.
   */
  argumentChecks?: Readonly<Record<string, (value: string) => string | undefined>>;
  /**
   * Imports what argumentChecks and invoke need when that is costly to load (a CEL compiler, a
   * schema set): the engine awaits it before it checks this function's arguments, so a CLI call
   * that does not use the function never pays for it (issue 16 §1). A server loads every
   * function at start (FunctionRegistry.loadAll). Must be idempotent.
   */
  load?(): Promise<void>;
  invoke(call: FunctionCall): FunctionResult | void | Promise<FunctionResult | void>;
}

export interface FunctionCall {
  readonly functionName: string;
  readonly toolchain: ToolchainType;
  readonly context: Readonly<FunctionContext>;
  /**
   * The Unit's documents. A mutating function edits them in place; if it throws, the engine puts the
   * data back exactly as it was before the call. Read-only and validating functions must not change
   * it: an edit is undone and reported as an error.
   */
  readonly data: ConfigDocumentSet;
  /** Validated and cast per the signature; read by parameter name. */
  readonly args: FunctionArguments;
  /** Position of this invocation in the execution order (ValidationResult.Index, MutationInfo.Index). */
  readonly index: number;
}

export interface FunctionResult {
  /**
   * The function's output, as the JSON value of the signature's OutputInfo.OutputType (an
   * AttributeValueList array, a ValidationResult object, a YAMLPayload...). Omit or null for none.
   */
  output?: unknown;
}

/** Identity helper that gives a definition literal its type without a cast. */
export function defineFunction(definition: FunctionDefinition): FunctionDefinition {
  return definition;
}

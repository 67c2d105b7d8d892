// The engine as the local commands (`confn do`, `doseq`, `render`) run it: fctl's fixed context and
// argument syntax, the standard library registered once per process, input read from a file or
// stdin, and every function and argument checked before anything runs (a usage error, exit 2, in
// the server's words). No server, no database.
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { crc32 } from "node:zlib";
import { standardFunctions } from "../../../functions/index.ts";
import {
  DEFAULT_TOOLCHAIN,
  EngineError,
  execute,
  FunctionRegistry,
  isToolchainType,
  validatedArguments,
  TOOLCHAIN_TYPES,
} from "../../engine/index.ts";
import { nearestName } from "../../filter/in-memory.ts";
import type {
  ExecutionResult,
  FunctionArgument,
  FunctionContext,
  FunctionInvocation,
  ToolchainType,
  ValidationResult,
} from "../../engine/index.ts";
import { CliUsageError } from "../cli-error.ts";

/** fctl's fixed local context (spec §6), so local results read like ConfigHub's. */
export const LOCAL_CONTEXT = {
  UnitID: "5837950a-619e-44da-9b75-f957c2aee14c",
  SpaceID: "c73bbc39-7ad1-4f32-aba0-1ef0789c9571",
  OrganizationID: "362c7a01-ba2d-40f6-9454-805c9a4fbbbe",
  SpaceSlug: "DeepSpace",
  RevisionNum: 1,
  New: true,
} as const;

export interface LocalRunFlags {
  toolchain?: string;
  unitSlug?: string;
  spaceSlug?: string;
  json?: boolean;
  dataOnly?: boolean;
  outputOnly?: boolean;
  combine?: boolean;
  numFilters?: string;
  stopOnError?: boolean;
}

/**
 * fctl's argument syntax: positional values, or `--name=value`; once one argument is named, all that
 * follow must be named too.
 */
export function parseFunctionArguments(functionName: string, words: readonly string[]): FunctionArgument[] {
  let named = false;
  return words.map((word) => {
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      if (eq < 0) {
        throw new CliUsageError(
          `argument ${word} of ${functionName}: a named argument is written --name=value`,
        );
      }
      const name = word.slice(2, eq);
      if (name === "")
        throw new CliUsageError(`argument ${word} of ${functionName}: the parameter name is empty`);
      named = true;
      return { ParameterName: name, Value: word.slice(eq + 1) };
    }
    if (named) {
      throw new CliUsageError(
        `argument ${word} of ${functionName}: after a named argument (--name=value), every argument must be named`,
      );
    }
    return { Value: word };
  });
}

/** fctl's rule for unit names. */
const UNIT_NAME = /^[a-zA-Z0-9\-_ .()@#]+$/;

/** `--toolchain`, Kubernetes/YAML when not given. */
export function toolchainOf(value: string | undefined): ToolchainType {
  const toolchain = value ?? DEFAULT_TOOLCHAIN;
  if (!isToolchainType(toolchain)) {
    throw new CliUsageError(`--toolchain ${toolchain}: expected one of ${TOOLCHAIN_TYPES.join(", ")}`);
  }
  return toolchain;
}

/** The Unit context for a local file: fctl's fixed IDs, names from flags or the file name. */
export function localContext(
  fileName: string,
  configText: string,
  flags: LocalRunFlags,
): Partial<FunctionContext> {
  const toolchain = toolchainOf(flags.toolchain);
  if (flags.unitSlug !== undefined && !UNIT_NAME.test(flags.unitSlug)) {
    throw new CliUsageError(
      `--unit-slug ${flags.unitSlug}: a unit name may only hold letters, digits and -_ .()@#`,
    );
  }
  const unitName = flags.unitSlug ?? (fileName === "-" ? "stdin" : basename(fileName, extname(fileName)));
  return {
    ...LOCAL_CONTEXT,
    ToolchainType: toolchain,
    UnitDisplayName: unitName,
    UnitSlug: unitName.toLowerCase(),
    SpaceSlug: flags.spaceSlug ?? LOCAL_CONTEXT.SpaceSlug,
    // fctl: the CRC-32 of the file, as a signed int32 like Go's RevisionHash.
    PreviousContentHash: crc32(Buffer.from(configText, "utf8")) | 0,
  };
}

/** Reads FILE, or standard input for `-`. */
export async function readInput(fileName: string, what: string): Promise<string> {
  try {
    if (fileName === "-") {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
      return Buffer.concat(chunks).toString("utf8");
    }
    return await readFile(fileName, "utf8");
  } catch (error) {
    throw new CliUsageError(`cannot read ${what} ${fileName}: ${(error as Error).message}`);
  }
}

/** 0 success; 1 a function failed or a validation did not pass. */
export function exitCodeFor(result: ExecutionResult): 0 | 1 {
  if (!result.success) return 1;
  for (const [type, value] of result.outputs) {
    if (type === "ValidationResult" && !(value as ValidationResult).Passed) return 1;
    if (type === "ValidationResultList" && (value as ValidationResult[]).some((r) => !r.Passed)) return 1;
  }
  return 0;
}

let registry: FunctionRegistry | undefined;

/** The standard library, registered once per process. */
export function localRegistry(): FunctionRegistry {
  registry ??= FunctionRegistry.from(standardFunctions);
  return registry;
}

/**
 * Every function must exist and every argument fit its signature before anything runs: a usage error
 * (exit 2) with the server's wording and suggestion, not a failed result (issue 16: local and server
 * paths agree).
 */
export async function checkLocalInvocations(
  invocations: readonly FunctionInvocation[],
  toolchain: ToolchainType,
): Promise<void> {
  const registry = localRegistry();
  for (const invocation of invocations) {
    const fn = registry.lookup(toolchain, invocation.FunctionName);
    if (!fn) {
      const suggestion = nearestName(invocation.FunctionName, registry.names(toolchain));
      throw new CliUsageError(
        `function ${invocation.FunctionName} does not exist for toolchain ${toolchain}` +
          (suggestion ? ` (did you mean ${suggestion}?)` : " (confn function list shows them all)"),
      );
    }
    await fn.definition.load?.();
    try {
      validatedArguments(fn, invocation, true);
    } catch (error) {
      if (error instanceof EngineError) {
        throw new CliUsageError(`${invocation.FunctionName}: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }
}

export interface EngineRunOptions {
  readonly combine?: boolean;
  readonly numFilters?: number;
  readonly stopOnError?: boolean;
}

/** Runs `invocations` on one file's text (checked first: an unknown function is a usage error). */
export async function runEngine(
  fileName: string,
  configText: string,
  invocations: readonly FunctionInvocation[],
  flags: LocalRunFlags,
  options: EngineRunOptions = {},
): Promise<ExecutionResult> {
  const context = localContext(fileName, configText, flags);
  await checkLocalInvocations(invocations, context.ToolchainType!);
  return execute({
    registry: localRegistry(),
    context,
    configData: configText,
    invocations,
    options: {
      castStringArgsToScalars: true,
      combineValidationResults: options.combine ?? true,
      numFilters: options.numFilters ?? 0,
      stopOnError: options.stopOnError ?? false,
    },
  });
}

/** `--num-filters N`: a non-negative integer. */
export function numFiltersOf(value: string | undefined): number {
  const n = value === undefined ? 0 : Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new CliUsageError(`--num-filters ${value}: expected a non-negative integer`);
  }
  return n;
}

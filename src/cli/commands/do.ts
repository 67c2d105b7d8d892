// `confn do FILE FUNCTION [ARGS...]`: runs one function on a local file with the engine alone (no server,
// no database) and prints fctl-style output. Exit 0 on success, 1 when a function failed or a
// validation did not pass, 2 on usage errors (bad flags, unreadable or unparseable input).
// The helpers here are shared with `confn doseq`.
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { crc32 } from "node:zlib";
import type { Command } from "commander";
import { standardFunctions } from "../../../functions/index.ts";
import {
  EngineError,
  execute,
  toFunctionInvocationResponse,
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
import { CliUsageError, reportCliError } from "../cli-error.ts";
import { formatFctl } from "../output/fctl-format.ts";
import type { FctlMode } from "../output/fctl-format.ts";

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

/** The Unit context for a local file: fctl's fixed IDs, names from flags or the file name. */
export function localContext(
  fileName: string,
  configText: string,
  flags: LocalRunFlags,
): Partial<FunctionContext> {
  const toolchain = flags.toolchain ?? "Kubernetes/YAML";
  if (!isToolchainType(toolchain)) {
    throw new CliUsageError(`--toolchain ${toolchain}: expected one of ${TOOLCHAIN_TYPES.join(", ")}`);
  }
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

/** Runs invocations on a local file and renders the result; returns the text and the exit code. */
export async function runLocal(
  fileName: string,
  configText: string,
  invocations: readonly FunctionInvocation[],
  flags: LocalRunFlags,
): Promise<{ text: string; exitCode: 0 | 1 }> {
  if (flags.dataOnly && flags.outputOnly)
    throw new CliUsageError("--data-only and --output-only exclude each other");
  const numFilters = flags.numFilters === undefined ? 0 : Number(flags.numFilters);
  if (!Number.isInteger(numFilters) || numFilters < 0) {
    throw new CliUsageError(`--num-filters ${flags.numFilters}: expected a non-negative integer`);
  }
  const context = localContext(fileName, configText, flags);
  await checkLocalInvocations(invocations, context.ToolchainType!);
  const result = await execute({
    registry: localRegistry(),
    context,
    configData: configText,
    invocations,
    options: {
      castStringArgsToScalars: true,
      combineValidationResults: flags.combine ?? true,
      numFilters,
      stopOnError: flags.stopOnError ?? false,
    },
  });
  const mode: FctlMode = flags.dataOnly ? "data-only" : flags.outputOnly ? "output-only" : "full";
  const text = flags.json
    ? `${JSON.stringify(toFunctionInvocationResponse(result), null, 2)}\n`
    : formatFctl(result, mode);
  return { text, exitCode: exitCodeFor(result) };
}

/**
 * Every function must exist and every argument fit its signature before anything runs: a usage error
 * (exit 2) with the server's wording and suggestion, not a failed result (issue 16: local and server
 * paths agree).
 */
async function checkLocalInvocations(
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

/** Options shared by `do` and `doseq`. */
export function addLocalRunOptions(command: Command): Command {
  return command
    .option("--toolchain <type>", TOOLCHAIN_TYPES.join(", "), "Kubernetes/YAML")
    .option("--unit-slug <name>", "Unit name (slug lower-cased); default: the file name without extension")
    .option("--space-slug <slug>", "Space slug in the function context", LOCAL_CONTEXT.SpaceSlug)
    .option("--json", "print the FunctionInvocationResponse as JSON")
    .option("--data-only", "print only the resulting config data")
    .option("--output-only", "print only the output")
    .option("--no-combine", "report validations as a ValidationResultList instead of one combined result");
}

/**
 * Runs an action: prints its text and sets the exit code; bad input (unreadable or unparseable files,
 * malformed invocation lists) is a usage error, exit 2.
 */
export async function runAction(action: () => Promise<{ text: string; exitCode: 0 | 1 }>): Promise<void> {
  try {
    const { text, exitCode } = await action();
    process.stdout.write(text);
    process.exitCode = exitCode;
  } catch (error) {
    const input =
      error instanceof EngineError &&
      (error.code === "CONFIG_DATA_INVALID" || error.code === "INVALID_REQUEST");
    process.exitCode = reportCliError(input ? new CliUsageError(error.message, { cause: error }) : error);
  }
}

export function register(program: Command): void {
  const command = program
    .command("do")
    .description("run one function on a local config file (no server) and print the result fctl-style")
    .argument("<file>", "config data file, or - for standard input")
    .argument("<function>", "function name (see confn function list --local)")
    .argument("[args...]", "arguments: positional, or --name=value (put -- before the function name)");
  addLocalRunOptions(command).action(
    async (file: string, functionName: string, words: string[], flags: LocalRunFlags) => {
      await runAction(async () => {
        const invocation = {
          FunctionName: functionName,
          Arguments: parseFunctionArguments(functionName, words),
        };
        const text = await readInput(file, "config data file");
        return runLocal(file, text, [invocation], flags);
      });
    },
  );
}

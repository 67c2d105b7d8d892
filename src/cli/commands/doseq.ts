// `confn doseq PATH INVOCATIONS.json`: runs a FunctionInvocationList (ConfigHub's JSON) on a local
// file, a directory's files or stdin, in order, with optional filters and stop-on-error; output,
// --write and exit codes as `confn do`.
import type { Command } from "commander";
import type { FunctionInvocation } from "../../engine/index.ts";
import { CliUsageError } from "../cli-error.ts";
import { addLocalRunOptions, readInput, runAction, runOnPath } from "./do.ts";
import type { DoFlags } from "./do.ts";

/**
 * Parses an invocation list: a JSON array of invocations, or the body an invoke request sends
 * (`{"FunctionInvocations": [...], "ChangeDescription": ...}`, e.g. a file curl posts), so one file
 * serves both. The engine checks each entry's shape and names the bad one.
 */
export function parseInvocationRequest(
  text: string,
  fileName: string,
): { invocations: FunctionInvocation[]; changeDescription?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`${fileName} is not valid JSON: ${(error as Error).message}`);
  }
  if (Array.isArray(parsed)) return { invocations: parsed as FunctionInvocation[] };
  const body = parsed as { FunctionInvocations?: unknown; ChangeDescription?: unknown } | null;
  if (body !== null && typeof body === "object" && Array.isArray(body.FunctionInvocations)) {
    return {
      invocations: body.FunctionInvocations as FunctionInvocation[],
      ...(typeof body.ChangeDescription === "string" ? { changeDescription: body.ChangeDescription } : {}),
    };
  }
  throw new CliUsageError(
    `${fileName} must hold a JSON array of {"FunctionName", "Arguments"} objects, or an invoke request body {"FunctionInvocations": [...]}`,
  );
}

export function parseInvocationList(text: string, fileName: string): FunctionInvocation[] {
  return parseInvocationRequest(text, fileName).invocations;
}

export function register(program: Command): void {
  const command = program
    .command("doseq")
    .description(
      "run a JSON list of function invocations on a local file, a directory's files or stdin (no server)",
    )
    .argument("<path>", "config data file, directory (searched recursively), or - for standard input")
    .argument("<invocations>", 'JSON file: [{"FunctionName": ..., "Arguments": [{"Value": ...}]}], or -')
    .option("--num-filters <n>", "the first N validating functions are filters: a failure stops quietly", "0")
    .option("--stop-on-error", "stop at the first function error");
  addLocalRunOptions(command).action(async (path: string, invocationsFile: string, flags: DoFlags) => {
    await runAction(async () => {
      if (path === "-" && invocationsFile === "-") {
        throw new CliUsageError("only one of PATH and INVOCATIONS can be read from standard input");
      }
      const invocations = parseInvocationList(
        await readInput(invocationsFile, "invocations file"),
        invocationsFile,
      );
      return runOnPath("confn doseq", path, invocations, flags);
    });
  });
}

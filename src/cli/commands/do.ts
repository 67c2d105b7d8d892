// `confn do PATH FUNCTION [ARGS...]`: runs one function with the engine alone (no server, no
// database) on a file, on `-` (standard input), or on every file of the toolchain under a directory
// (local/input-files.ts), each file a Unit, like `kpt fn eval DIR`.
// - One file or stdin, without --output or --write: fctl's output (spec §6), as before.
// - A directory, or --output FORMAT: a report per file (output/run-report.ts) — by default a unified
//   diff per changed file and a summary; nothing is written (a dry run) unless --write/-i, which
//   writes each changed file in place atomically and never touches an unchanged one.
// A file is written only when it changed, every function succeeded and every validation passed; a
// dry run marks the others "would not be written", so its counts are what a real run writes.
// Exit 0 on success; 1 when a function failed or a validation did not pass (or, with
// --fail-on-no-match / --expect-changes, nothing was selected / nothing changed); 2 on usage errors
// (bad flags, an unknown function or bad argument, with the server's did-you-mean).
// The helpers here are shared with `confn doseq` and `confn render`.
import type { Command } from "commander";
import { version } from "../../api/version.ts";
import { EngineError, toFunctionInvocationResponse, TOOLCHAIN_TYPES } from "../../engine/index.ts";
import type { ExecutionResult, FunctionInvocation } from "../../engine/index.ts";
import { CliUsageError, reportCliError } from "../cli-error.ts";
import { selectInputs, TOOLCHAIN_EXTENSIONS, toolchainOfFile } from "../local/input-files.ts";
import { writeFileAtomically } from "../local/atomic-write.ts";
import {
  checkLocalInvocations,
  exitCodeFor,
  LOCAL_CONTEXT,
  numFiltersOf,
  parseFunctionArguments,
  readInput,
  runEngine,
  toolchainOf,
  type LocalRunFlags,
} from "../local/local-engine.ts";
import { localUnitReport } from "../local/local-unit-report.ts";
import { runFiles, type FileRun } from "../local/run-files.ts";
import { formatFctl } from "../output/fctl-format.ts";
import type { FctlMode } from "../output/fctl-format.ts";
import { formatRunReport, OUTPUT_FORMATS, parseOutputFormat } from "../output/output-format.ts";
import type { RunReport } from "../output/run-report.ts";
import { colourEnabled, COLOUR_MODES, painter, parseColourMode } from "../output/terminal-style.ts";
import { runVerdict } from "../run-verdict.ts";

export {
  exitCodeFor,
  localContext,
  localRegistry,
  parseFunctionArguments,
  readInput,
  LOCAL_CONTEXT,
  type LocalRunFlags,
} from "../local/local-engine.ts";

/** Flags of the report mode, shared by `do`, `doseq` and `render`. */
export interface ReportFlags {
  output?: string;
  color?: string;
  write?: boolean;
  dryRun?: boolean;
  failOnNoMatch?: boolean;
  expectChanges?: boolean;
}

export type DoFlags = LocalRunFlags & ReportFlags;

/** Runs invocations on one file (or stdin) and prints fctl's output; returns the text and exit code. */
export async function runLocal(
  fileName: string,
  configText: string,
  invocations: readonly FunctionInvocation[],
  flags: LocalRunFlags,
): Promise<{ text: string; exitCode: 0 | 1; result: ExecutionResult }> {
  if (flags.dataOnly && flags.outputOnly)
    throw new CliUsageError("--data-only and --output-only exclude each other");
  const result = await runEngine(fileName, configText, invocations, flags, {
    combine: flags.combine ?? true,
    numFilters: numFiltersOf(flags.numFilters),
    stopOnError: flags.stopOnError ?? false,
  });
  const mode: FctlMode = flags.dataOnly ? "data-only" : flags.outputOnly ? "output-only" : "full";
  const text = flags.json
    ? `${JSON.stringify(toFunctionInvocationResponse(result), null, 2)}\n`
    : formatFctl(result, mode);
  return { text, exitCode: exitCodeFor(result), result };
}

/** Whether a run prints fctl's output (one file, no report flags) or a report. */
function fctlMode(directory: boolean, flags: DoFlags): boolean {
  return !directory && flags.output === undefined && !flags.write;
}

/**
 * Runs `invocations` on PATH: fctl's output for one file, else a report in --output's format (text
 * by default), writing changed files with --write.
 */
export async function runOnPath(
  command: string,
  path: string,
  invocations: readonly FunctionInvocation[],
  flags: DoFlags,
  io: { stdoutIsTty: boolean; env: NodeJS.ProcessEnv; warn: (text: string) => void } = {
    stdoutIsTty: process.stdout.isTTY === true,
    env: process.env,
    warn: (text) => process.stderr.write(text),
  },
): Promise<{ text: string; exitCode: 0 | 1 }> {
  if (flags.write && flags.dryRun) throw new CliUsageError("--write and --dry-run exclude each other");
  if (flags.write && path === "-") {
    throw new CliUsageError("--write writes files in place: standard input (-) has no file to write");
  }
  const format = flags.output === undefined ? "text" : parseOutputFormat(flags.output);
  const paint = painter(colourEnabled({ isTTY: io.stdoutIsTty }, io.env, parseColourMode(flags.color)));
  let toolchain = toolchainOf(flags.toolchain);
  const { files, directory } = await selectInputs(path, toolchain);
  // One file and no --toolchain: the file's extension says (main.tf is OpenTofu/HCL); a directory
  // is searched for the files of --toolchain (Kubernetes/YAML by default).
  if (flags.toolchain === undefined && !directory && path !== "-") {
    toolchain = toolchainOfFile(path) ?? toolchain;
    flags = { ...flags, toolchain };
  }
  if (fctlMode(directory, flags)) {
    const before = await readInput(path, "config data file");
    const { text, exitCode, result } = await runLocal(path, before, invocations, flags);
    // fctl's stdout stays as fctl prints it; the warnings go to stderr, and so do the errors when
    // --data-only or --output-only leave them out (a failure never exits 1 without a word).
    const unit = localUnitReport({ file: path, toolchain, before, result, invocations });
    const verdict = runVerdict([unit], flags, "");
    if ((flags.dataOnly || flags.outputOnly) && !flags.json) {
      for (const message of result.errorMessages) io.warn(`confn: ${path}: ${message}\n`);
    }
    for (const warning of [...unit.warnings, ...verdict.warnings]) io.warn(`confn: warning: ${warning}\n`);
    return { text, exitCode: exitCode === 1 ? 1 : verdict.exitCode };
  }
  for (const flag of ["json", "dataOnly", "outputOnly"] as const) {
    if (flags[flag]) {
      throw new CliUsageError(
        `--${kebab(flag)} prints one file fctl-style: drop it, or use --output json for a report of many files`,
      );
    }
  }
  if (directory && flags.unitSlug !== undefined) {
    throw new CliUsageError("--unit-slug names one Unit: a directory's files are named after themselves");
  }
  await checkLocalInvocations(invocations, toolchain);
  const runs = await runFiles(files, invocations, toolchain, flags, {
    combine: flags.combine ?? true,
    numFilters: numFiltersOf(flags.numFilters),
    stopOnError: flags.stopOnError ?? false,
  });
  if (flags.write) await writeChanged(runs);
  const units = runs.map((r) => r.report);
  const extensions = TOOLCHAIN_EXTENSIONS[toolchain].join(", ");
  const verdict = runVerdict(units, flags, `no file under ${path} ends in ${extensions}`);
  const report: RunReport = { command, units, dryRun: !flags.write, warnings: verdict.warnings };
  return { text: formatRunReport(report, format, { paint, version }), exitCode: verdict.exitCode };
}

/** Writes each file that changed and may be written; unchanged files are never opened for writing. */
async function writeChanged(runs: readonly FileRun[]): Promise<void> {
  for (const run of runs) {
    if (run.report.written && run.result) await writeFileAtomically(run.file, run.result.configData);
  }
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Options shared by `do` and `doseq`. */
export function addLocalRunOptions(command: Command): Command {
  return addReportOptions(
    command
      .option(
        "--toolchain <type>",
        `${TOOLCHAIN_TYPES.join(", ")} (default: one file's by its extension, .tf OpenTofu/HCL and so on; else Kubernetes/YAML)`,
      )
      .option("--unit-slug <name>", "Unit name (slug lower-cased); default: the file name without extension")
      .option("--space-slug <slug>", "Space slug in the function context", LOCAL_CONTEXT.SpaceSlug)
      .option("--json", "one file: print the FunctionInvocationResponse as JSON (fctl mode)")
      .option("--data-only", "one file: print only the resulting config data (fctl mode)")
      .option("--output-only", "one file: print only the output (fctl mode)")
      .option("--no-combine", "report validations as a ValidationResultList instead of one combined result"),
  );
}

/** The report options of `do`, `doseq` and `render`. */
export function addReportOptions(command: Command): Command {
  return command
    .option("-i, --write", "write changed files in place (atomically); unchanged files are not touched")
    .option("--dry-run", "write nothing, show what would change (the default without --write)")
    .option("--output <format>", `report format: ${OUTPUT_FORMATS.join(", ")} (default text)`)
    .option("--color <when>", `colour the text report: ${COLOUR_MODES.join(", ")} (default auto)`)
    .option("--fail-on-no-match", "exit 1 when nothing is selected (no file, or filters let none through)")
    .option("--expect-changes", "exit 1 when no file changed");
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
    .description(
      "run one function on a local file, on every file of the toolchain under a directory, or on - " +
        "(stdin); no server. One file prints fctl-style; a directory (or --output) prints a diff per " +
        "changed file and a summary, and --write writes the changes",
    )
    .argument("<path>", "config data file, directory (searched recursively), or - for standard input")
    .argument("<function>", "function name (see confn function list --local)")
    .argument("[args...]", "arguments: positional, or --name=value (put -- before the function name)");
  addLocalRunOptions(command).action(
    async (path: string, functionName: string, words: string[], flags: DoFlags) => {
      await runAction(async () => {
        const invocation = {
          FunctionName: functionName,
          Arguments: parseFunctionArguments(functionName, words),
        };
        return runOnPath("confn do", path, [invocation], flags);
      });
    },
  );
}

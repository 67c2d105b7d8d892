// Runs invocations over the files of a local command, each file a Unit, one after the other, and
// turns each run into a ReportUnit. A file that cannot be read or parsed fails as a Unit (its error
// names the file), so one bad manifest in a directory does not hide the others' results. Writes
// happen after every file has run (commands/do.ts), so a dry run reports exactly what a real run
// would write.
import { EngineError } from "../../engine/index.ts";
import type { ExecutionResult, FunctionInvocation, ToolchainType } from "../../engine/index.ts";
import type { ReportUnit } from "../output/run-report.ts";
import { readInput, runEngine, type EngineRunOptions, type LocalRunFlags } from "./local-engine.ts";
import { localUnitReport } from "./local-unit-report.ts";

export interface FileRun {
  readonly file: string;
  readonly report: ReportUnit;
  /** The resulting text when the run succeeded. */
  readonly result?: ExecutionResult;
}

export async function runFiles(
  files: readonly string[],
  invocations: readonly FunctionInvocation[],
  toolchain: ToolchainType,
  flags: LocalRunFlags,
  options: EngineRunOptions,
): Promise<FileRun[]> {
  const runs: FileRun[] = [];
  for (const file of files) {
    let before: string;
    try {
      before = await readInput(file, "config data file");
    } catch (error) {
      runs.push({ file, report: failedUnit(file, (error as Error).message) });
      continue;
    }
    let result: ExecutionResult;
    try {
      result = await runEngine(file, before, invocations, flags, options);
    } catch (error) {
      if (error instanceof EngineError && isInputError(error)) {
        runs.push({ file, report: failedUnit(file, `${file}: ${error.message}`, before) });
        continue;
      }
      throw error;
    }
    runs.push({ file, result, report: localUnitReport({ file, toolchain, before, result, invocations }) });
  }
  return runs;
}

/** The file's data is what is wrong (not YAML, over a limit): that file fails, the others run. */
export function isInputError(error: EngineError): boolean {
  return error.code === "CONFIG_DATA_INVALID" || error.code === "INVALID_REQUEST";
}

export function failedUnit(file: string, message: string, before?: string): ReportUnit {
  return {
    name: file === "-" ? "stdin" : file,
    ...(file === "-" ? {} : { file }),
    before,
    after: before ?? "",
    changed: false,
    filteredOut: false,
    errors: [message],
    validations: [],
    warnings: [],
    written: false,
    outputs: [],
  };
}

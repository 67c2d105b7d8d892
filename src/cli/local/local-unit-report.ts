// One local file's run as a ReportUnit: its change, errors, validations (named by function) and the
// setter warnings; `written` follows the local write rule (commands/do.ts): changed, every function
// succeeded and every validation passed.
import type {
  ExecutionResult,
  FunctionInvocation,
  ToolchainType,
  ValidationResult,
} from "../../engine/index.ts";
import { parseConfig } from "../../config/index.ts";
import { renderOutput } from "../output/fctl-format.ts";
import type { ReportUnit, ReportValidation } from "../output/run-report.ts";
import { setterWarning } from "../setter-warnings.ts";
import { localRegistry } from "./local-engine.ts";
import { lineFinder } from "./source-lines.ts";

export interface LocalUnitRun {
  /** The path as the user named it (or found it under a directory); `-` for stdin. */
  readonly file: string;
  readonly toolchain: ToolchainType;
  readonly before: string;
  readonly result: ExecutionResult;
  readonly invocations: readonly FunctionInvocation[];
}

/** A real run writes a Unit only when it changed and nothing failed. */
export function writable(run: LocalUnitRun): boolean {
  const r = run.result;
  return r.dataChanged && r.success && validationsOf(r).every((v) => v.Passed);
}

export function localUnitReport(run: LocalUnitRun): ReportUnit {
  const { result, invocations, file, toolchain } = run;
  const name = file === "-" ? "stdin" : file;
  const validations: ReportValidation[] = validationsOf(result).map((v) => ({
    functionName: invocations[v.Index]?.FunctionName ?? `#${v.Index}`,
    index: v.Index,
    passed: v.Passed,
    details: v.Details ?? [],
    failedAttributes: v.FailedAttributes ?? [],
  }));
  const types = resourceTypes(run.before, toolchain);
  const warnings = result.steps
    .filter((step) => step.status === "ran" && !step.mutated)
    .filter((step) => {
      const signature = localRegistry().lookup(toolchain, step.functionName)?.signature;
      return signature?.Mutating === true && concerns(signature.AffectedResourceTypes, types);
    })
    .map((step) =>
      setterWarning(
        {
          functionName: step.functionName,
          index: step.index,
          args: invocations[step.index]?.Arguments,
        },
        name,
      ),
    );
  const written = writable(run);
  const outputs = result.outputs
    .filter(([type]) => type !== "ValidationResult" && type !== "ValidationResultList")
    .map(([type, value]) => ({ type, text: renderOutput(type, value) }));
  // Lines refer to the file as it is after the run: the new text only when it was written.
  const onDisk = written ? result.configData : run.before;
  const lineOf = file === "-" ? undefined : lineFinder(onDisk, toolchain);
  return {
    name,
    ...(file === "-" ? {} : { file }),
    before: run.before,
    after: result.configData,
    changed: result.dataChanged,
    filteredOut: result.filteredOut,
    // The typed errors: errorMessages also lists failed validations (ConfigHub's ErrorMessages).
    errors: result.errors.map((e) => e.message),
    validations,
    warnings,
    written,
    outputs,
    ...(lineOf ? { lineOf } : {}),
  };
}

/** Whether a setter changing `affected` types had anything to look at in the Unit's `text`. */
export function concernsUnit(
  affected: readonly string[] | undefined,
  text: string,
  toolchain: ToolchainType,
): boolean {
  return concerns(affected, resourceTypes(text, toolchain));
}

/**
 * Whether a setter had anything to look at: a Unit without any resource of the types it changes (a
 * Service for set-image) is not a setter's silent no-op, just a file it does not apply to.
 */
function concerns(affected: readonly string[] | undefined, types: ReadonlySet<string> | undefined): boolean {
  if (!affected || affected.includes("*") || types === undefined) return true;
  return affected.some((type) => types.has(type));
}

/** The resource types of a Unit's documents, or undefined when they cannot be read. */
function resourceTypes(text: string, toolchain: ToolchainType): ReadonlySet<string> | undefined {
  try {
    return new Set(
      parseConfig(text, { toolchain })
        .documents.map((d) => d.tryIdentity()?.type)
        .filter((t): t is string => t !== undefined),
    );
  } catch {
    return undefined;
  }
}

function validationsOf(result: ExecutionResult): ValidationResult[] {
  return result.outputs.flatMap(([type, value]) =>
    type === "ValidationResult"
      ? [value as ValidationResult]
      : type === "ValidationResultList"
        ? (value as ValidationResult[])
        : [],
  );
}

// `--output json`: the run report as one JSON document for scripts — per Unit its name, file,
// change, whether it was (or would be) written and the ApplyGates the write set, errors, validations
// with failed attributes (and their line when known), warnings and other outputs; then the counts
// and run-wide warnings.
import type { RunReport } from "./run-report.ts";
import { countReport, summaryText } from "./run-report.ts";

export function formatJsonReport(report: RunReport): string {
  const units = report.units.map((unit) => ({
    name: unit.name,
    ...(unit.file === undefined ? {} : { file: unit.file }),
    changed: unit.changed,
    written: unit.written,
    ...(unit.gates === undefined ? {} : { gates: unit.gates }),
    errors: unit.errors,
    warnings: unit.warnings,
    validations: unit.validations.map((v) => ({
      function: v.functionName,
      index: v.index,
      passed: v.passed,
      details: v.details,
      failedAttributes: v.failedAttributes.map((a) => {
        const line = unit.lineOf?.(a);
        return line === undefined ? a : { ...a, line };
      }),
    })),
    outputs: unit.outputs,
    ...(unit.changed ? { data: unit.after } : {}),
  }));
  const document = {
    command: report.command,
    dryRun: report.dryRun,
    units,
    counts: countReport(report),
    warnings: report.warnings,
    summary: summaryText(report),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

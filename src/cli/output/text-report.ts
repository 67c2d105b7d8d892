// The human report of a run, for a terminal or a CI log. Per Unit:
//   <name>: changed | unchanged [, error] [, validation failed] [, would not be written | not written]
//   error: <message>                        per failed function
//   warning: <message>                      per setter that set nothing
//   <unified diff of the data before and after>  when the data changed
//   validation: P passed, F failed + each result's function, details and failed attributes (with line)
//   gated: <ApplyGates keys>               a real run's Unit written with a failed validation
//   <other output type>: its text, indented
// then the run's warnings and one summary line (run-report.ts summaryText).
import type { AttributeValue } from "../../engine/index.ts";
import type { ReportUnit, RunReport } from "./run-report.ts";
import { attributeResource, summaryText } from "./run-report.ts";
import type { Paint } from "./terminal-style.ts";
import { unifiedDiff } from "./unified-diff.ts";

export function formatTextReport(report: RunReport, paint: Paint): string {
  const sections = report.units.map((unit) => formatUnit(unit, report, paint));
  const warnings = report.warnings.map((w) => `${paint("bold", "warning")}: ${w}\n`).join("");
  return [...sections, `${warnings}${summaryText(report)}\n`].join("\n");
}

function formatUnit(unit: ReportUnit, report: RunReport, paint: Paint): string {
  const states = [unit.changed ? "changed" : "unchanged"];
  if (unit.errors.length > 0) states.push(paint("red", "error"));
  if (unit.validations.some((v) => !v.passed)) states.push(paint("red", "validation failed"));
  if (unit.changed && !unit.written) {
    states.push(paint("red", report.dryRun ? "would not be written" : "not written"));
  }
  let text = `${paint("bold", unit.name)}: ${states.join(", ")}\n`;
  for (const error of unit.errors) text += `error: ${error}\n`;
  for (const warning of unit.warnings) text += `${paint("bold", "warning")}: ${warning}\n`;
  if (unit.changed && unit.before !== undefined) {
    const afterLabel = report.dryRun
      ? unit.written
        ? "after (dry run)"
        : "after (dry run: would not be written)"
      : unit.written
        ? "after (written)"
        : "after (not written)";
    text += unifiedDiff(
      { name: unit.name, before: unit.before, after: unit.after, beforeLabel: "before", afterLabel },
      paint,
    );
  }
  if (unit.validations.length > 0) {
    const failed = unit.validations.filter((v) => !v.passed);
    text += `validation: ${unit.validations.length - failed.length} passed, ${failed.length} failed\n`;
    for (const v of unit.validations) {
      const mark = v.passed ? paint("green", "passed") : paint("red", "FAILED");
      const details = v.details.join("; ");
      text += `  ${mark} ${v.functionName} (#${v.index})${details === "" ? "" : `: ${details}`}\n`;
      for (const attribute of v.failedAttributes) text += `    ${describeAttribute(attribute, unit)}\n`;
    }
  }
  if (unit.written && unit.gates && unit.gates.length > 0) text += `${gateLine(unit.gates, paint)}\n`;
  for (const output of unit.outputs) text += `${output.type}:\n${indent(output.text)}`;
  return text;
}

/** What a gated write means, said where the Unit is reported (text and Markdown). */
export function gateLine(gates: readonly string[], paint: Paint = (_style, text) => text): string {
  const why =
    gates.length === 1
      ? "written with an ApplyGate: a validating Trigger failed; a later change that passes it lifts the gate"
      : "written with ApplyGates: validating Triggers failed; a later change that passes them lifts the gates";
  return `${paint("red", "gated")}: ${gates.join(", ")} (${why})`;
}

/** `spec.replicas = 1 in apps/v1/Deployment prod/web (line 7)  # comment` */
export function describeAttribute(a: AttributeValue, unit: ReportUnit): string {
  const where = attributeResource(a);
  const line = unit.lineOf?.(a);
  const at = line === undefined ? "" : ` (line ${line})`;
  const comment = a.Comment ? `  ${a.Comment.replace(/\n/g, " ")}` : "";
  return `${a.Path} = ${JSON.stringify(a.Value)}${where === "" ? "" : ` in ${where}`}${at}${comment}`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line, i, all) => (i === all.length - 1 && line === "" ? line : `  ${line}`))
    .join("\n")
    .replace(/([^\n])$/, "$1\n");
}

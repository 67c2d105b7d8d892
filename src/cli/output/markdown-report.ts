// `--output markdown`: a summary for a pull-request comment — the summary line, a table of the Units
// (changed, written or would be, result), the warnings, and per Unit that changed or failed a
// collapsible <details> block with its diff and its failed validations and errors.
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";
import type { ReportUnit, RunReport } from "./run-report.ts";
import { summaryText, unitFailed } from "./run-report.ts";
import { describeAttribute, gateLine } from "./text-report.ts";

export function formatMarkdownReport(report: RunReport): string {
  let text = `### ${report.command}: ${summaryText(report)}\n\n`;
  if (report.units.length > 0) {
    const writtenHeading = report.dryRun ? "Would be written" : "Written";
    text += `| Unit | Changed | ${writtenHeading} | Result |\n|---|---|---|---|\n`;
    for (const unit of report.units) {
      const result = unitFailed(unit) ? "❌ failed" : unit.warnings.length > 0 ? "⚠️ warning" : "✅ ok";
      text += `| ${cell(unit.name)} | ${unit.changed ? "yes" : "no"} | ${unit.written ? "yes" : "no"} | ${result} |\n`;
    }
    text += "\n";
  }
  const warnings = [...report.warnings, ...report.units.flatMap((u) => u.warnings)];
  for (const warning of warnings) text += `> ⚠️ ${inline(warning)}\n`;
  if (warnings.length > 0) text += "\n";
  for (const unit of report.units) {
    if (!unit.changed && !unitFailed(unit)) continue;
    text += details(unit, report.dryRun);
  }
  return text;
}

function details(unit: ReportUnit, dryRun: boolean): string {
  const state = [unit.changed ? "changed" : "unchanged"];
  if (unitFailed(unit)) state.push("failed");
  if (unit.changed && !unit.written) state.push(dryRun ? "would not be written" : "not written");
  let body = "";
  for (const error of unit.errors) body += `- error: ${inline(error)}\n`;
  for (const v of unit.validations.filter((x) => !x.passed)) {
    body += `- ${inline(v.functionName)} (#${v.index}) failed${v.details.length > 0 ? `: ${inline(v.details.join("; "))}` : ""}\n`;
    for (const a of v.failedAttributes) body += `  - ${inline(describeAttribute(a, unit))}\n`;
  }
  if (unit.written && unit.gates && unit.gates.length > 0) body += `- ${inline(gateLine(unit.gates))}\n`;
  if (body !== "") body += "\n";
  if (unit.changed && unit.before !== undefined) {
    const patch = createTwoFilesPatch(unit.name, unit.name, unit.before, unit.after, "before", "after", {
      context: 3,
      headerOptions: FILE_HEADERS_ONLY,
    });
    body += `${fence(patch, "diff")}\n`;
  }
  return `<details><summary>${escapeHtml(unit.name)}: ${state.join(", ")}</summary>\n\n${body}</details>\n\n`;
}

/** A code block whose fence is longer than any run of backticks inside it. */
function fence(content: string, language: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = "`".repeat(longest + 1);
  return `${marks}${language}\n${content.endsWith("\n") ? content : `${content}\n`}${marks}\n`;
}

function cell(value: string): string {
  return inline(value).replace(/\|/g, "\\|");
}

function inline(value: string): string {
  return escapeHtml(value.replace(/\n/g, " "));
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

// The human report of a server invocation, for reviewers reading a CI log. Per Unit:
//   <space>/<unit>: changed | unchanged [, error] [, validation failed]
//   error: <Message>: <Details; ...>            when the element failed
//   <unified diff of the data before and after>  when the data changed
//   validation: P passed, F failed + each failed result's details and failed attributes
//   <other output type>: indented JSON (YAML output: its payload)
// then one summary line: `N units, M changed, K failed`. A Unit counts as failed when a function
// failed (Success=false) or a validation did not pass; either makes the exit code 1.
import type { AttributeValue, ValidationResult, FunctionInvocation } from "../../engine/index.ts";
import { fromBase64 } from "../../engine/index.ts";
import { changed, decodeOutputs, type InvokeElement } from "../remote/invoke-response.ts";
import { renderOutput } from "./fctl-format.ts";
import type { Paint } from "./terminal-style.ts";
import { unifiedDiff } from "./unified-diff.ts";

export interface InvokeReport {
  readonly elements: readonly InvokeElement[];
  /** The data each changed Unit had before the call (see remote/previous-data.ts). */
  readonly previous: ReadonlyMap<InvokeElement, string>;
  readonly invocations: readonly FunctionInvocation[];
  readonly dryRun: boolean;
  readonly paint: Paint;
}

interface UnitVerdict {
  readonly changed: boolean;
  readonly error: boolean;
  readonly validations: readonly ValidationResult[];
  readonly validationFailed: boolean;
}

export function verdict(element: InvokeElement): UnitVerdict {
  const validations = decodeOutputs(element).flatMap(([type, value]) =>
    type === "ValidationResult"
      ? [value as ValidationResult]
      : type === "ValidationResultList"
        ? ((value ?? []) as ValidationResult[])
        : [],
  );
  return {
    changed: changed(element),
    error: !element.Success,
    validations,
    validationFailed: validations.some((v) => !v.Passed),
  };
}

/** 0 when every Unit succeeded and passed its validations, 1 otherwise. */
export function invokeExitCode(elements: readonly InvokeElement[]): 0 | 1 {
  return elements.some((e) => {
    const v = verdict(e);
    return v.error || v.validationFailed;
  })
    ? 1
    : 0;
}

export function formatInvokeReport(report: InvokeReport): string {
  const sections = report.elements.map((element) => formatUnit(element, report));
  return [...sections, summaryLine(report)].join("\n");
}

function formatUnit(element: InvokeElement, report: InvokeReport): string {
  const { paint } = report;
  const v = verdict(element);
  const name = `${element.SpaceSlug}/${element.UnitSlug}`;
  const states = [v.changed ? "changed" : "unchanged"];
  if (v.error) states.push(paint("red", "error"));
  if (v.validationFailed) states.push(paint("red", "validation failed"));
  let text = `${paint("bold", name)}: ${states.join(", ")}\n`;

  if (element.Error) {
    const details = (element.Error.Details ?? []).filter((d) => d !== element.Error!.Message);
    text += `error: ${element.Error.Message}${details.length > 0 ? `: ${details.join("; ")}` : ""}\n`;
  }
  const before = report.previous.get(element);
  if (v.changed && before !== undefined) {
    const written = !report.dryRun && element.Success;
    text += unifiedDiff(
      {
        name,
        before,
        after: fromBase64(element.ConfigData),
        beforeLabel: "before",
        afterLabel: report.dryRun ? "after (dry run)" : written ? "after (written)" : "after (not written)",
      },
      paint,
    );
  }
  if (v.validations.length > 0) text += formatValidations(v.validations, report);
  for (const [type, value] of decodeOutputs(element)) {
    if (type === "ValidationResult" || type === "ValidationResultList") continue;
    text += `${type}:\n${indent(renderOutput(type as Parameters<typeof renderOutput>[0], value))}`;
  }
  return text;
}

function formatValidations(results: readonly ValidationResult[], report: InvokeReport): string {
  const { paint } = report;
  const failed = results.filter((r) => !r.Passed);
  let text = `validation: ${results.length - failed.length} passed, ${failed.length} failed\n`;
  for (const result of results) {
    const fn = functionName(result, report.invocations);
    const mark = result.Passed ? paint("green", "passed") : paint("red", "FAILED");
    const details = (result.Details ?? []).join("; ");
    text += `  ${mark} ${fn}${details === "" ? "" : `: ${details}`}\n`;
    for (const attribute of result.FailedAttributes ?? []) text += `    ${failedAttribute(attribute)}\n`;
  }
  return text;
}

/** ConfigHub's results may name the function; ours give the invocation's index. */
function functionName(result: ValidationResult, invocations: readonly FunctionInvocation[]): string {
  const named = (result as { FunctionName?: unknown }).FunctionName;
  if (typeof named === "string" && named !== "") return `${named} (#${result.Index})`;
  const invocation = invocations[result.Index];
  return invocation ? `${invocation.FunctionName} (#${result.Index})` : `#${result.Index}`;
}

function failedAttribute(a: AttributeValue): string {
  const where = [a.ResourceType, a.ResourceName].filter((s) => s).join(" ");
  const comment = a.Comment ? `  ${a.Comment.replace(/\n/g, " ")}` : "";
  return `${a.Path} = ${JSON.stringify(a.Value)}${where === "" ? "" : ` in ${where}`}${comment}`;
}

function summaryLine({ elements, dryRun }: InvokeReport): string {
  let changedCount = 0;
  let failedCount = 0;
  for (const element of elements) {
    const v = verdict(element);
    if (v.changed) changedCount++;
    if (v.error || v.validationFailed) failedCount++;
  }
  const units = `${elements.length} ${elements.length === 1 ? "unit" : "units"}`;
  const note = dryRun ? " (dry run: nothing written)" : "";
  return `${units}, ${changedCount} changed, ${failedCount} failed${note}\n`;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line, i, all) => (i === all.length - 1 && line === "" ? line : `  ${line}`))
    .join("\n")
    .replace(/([^\n])$/, "$1\n");
}

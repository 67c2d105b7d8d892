// What every output format reports: the Units a run touched (a local file each, or a server's Unit),
// each with its change, function errors, validation results and warnings, and whether its data was —
// or, in a dry run, would be — written. The local runner (local/local-run.ts) and the server client
// (remote/invoke-report-units.ts) build it; each formatter in this directory prints it.
import type { AttributeValue } from "../../engine/index.ts";

export interface ReportValidation {
  readonly functionName: string;
  /** The invocation's position in the run. */
  readonly index: number;
  readonly passed: boolean;
  readonly details: readonly string[];
  readonly failedAttributes: readonly AttributeValue[];
}

export interface ReportUnit {
  /** How people name it: the file path as given, or `space/unit`. */
  readonly name: string;
  /** The file the data came from (local runs), for SARIF and annotations. */
  readonly file?: string;
  readonly before: string | undefined;
  readonly after: string;
  readonly changed: boolean;
  /** A filter (--num-filters) did not pass: the rest of the functions skipped this Unit. */
  readonly filteredOut: boolean;
  /** Why functions failed (unknown function, bad argument, a function's error). */
  readonly errors: readonly string[];
  /** Every validating function that ran, in order. */
  readonly validations: readonly ReportValidation[];
  /** Things that did not fail but probably did not do what was meant (a setter that set nothing). */
  readonly warnings: readonly string[];
  /** Whether this Unit's data was written (or, in a dry run, would be). */
  readonly written: boolean;
  /** Other outputs (a getter's values, yq's answer), rendered as text. */
  readonly outputs: readonly { readonly type: string; readonly text: string }[];
  /**
   * A server Unit's ApplyGates (`space/trigger/function`) after a real run wrote it with a failed
   * validation: a failing validating Trigger gates a write instead of stopping it.
   */
  readonly gates?: readonly string[];
  /** The 1-based line of a failed attribute's value in `file`, when it is known. */
  readonly lineOf?: (attribute: AttributeValue) => number | undefined;
}

export interface RunReport {
  /** `confn do`, `confn render`, `confn function do`: names the tool in CI reports. */
  readonly command: string;
  readonly units: readonly ReportUnit[];
  /** Nothing is written: the report says what a real run would do. */
  readonly dryRun: boolean;
  /** Run-wide warnings (nothing selected, nothing changed). */
  readonly warnings: readonly string[];
}

/** `apps/v1/Deployment prod/web`; a resource without a namespace is `web`, not `/web`. */
export function attributeResource(a: AttributeValue): string {
  const name = a.ResourceName.startsWith("/") ? a.ResourceName.slice(1) : a.ResourceName;
  return [a.ResourceType, name].filter((s) => s).join(" ");
}

/** A Unit failed when a function failed or a validation did not pass. */
export function unitFailed(unit: ReportUnit): boolean {
  return unit.errors.length > 0 || unit.validations.some((v) => !v.passed);
}

export interface ReportCounts {
  readonly units: number;
  readonly changed: number;
  readonly written: number;
  /** Units written with ApplyGates set (real server runs). */
  readonly gated: number;
  readonly failed: number;
  readonly warnings: number;
}

export function countReport(report: RunReport): ReportCounts {
  return {
    units: report.units.length,
    changed: report.units.filter((u) => u.changed).length,
    written: report.units.filter((u) => u.written).length,
    gated: report.units.filter((u) => u.written && (u.gates?.length ?? 0) > 0).length,
    failed: report.units.filter(unitFailed).length,
    warnings: report.warnings.length + report.units.reduce((n, u) => n + u.warnings.length, 0),
  };
}

/**
 * `3 units, 2 changed, 1 failed; 1 would be written (dry run)`, `...; 2 written (1 gated)`: the same
 * words in every format.
 */
export function summaryText(report: RunReport): string {
  const c = countReport(report);
  const units = `${c.units} ${c.units === 1 ? "unit" : "units"}`;
  const gated = c.gated > 0 ? ` (${c.gated} gated)` : "";
  const writes = report.dryRun ? `${c.written} would be written (dry run)` : `${c.written} written${gated}`;
  const warnings = c.warnings > 0 ? `, ${c.warnings} ${c.warnings === 1 ? "warning" : "warnings"}` : "";
  return `${units}, ${c.changed} changed, ${c.failed} failed${warnings}; ${writes}`;
}

// The exit code of a run and the run-wide warnings, the same for local and server runs: 1 when a
// Unit failed (a function error or a failed validation); never green on a silent no-op — nothing
// selected is always a warning and, with --fail-on-no-match, exit 1; nothing changed is exit 1 with
// --expect-changes.
import type { ReportUnit } from "./output/run-report.ts";
import { unitFailed } from "./output/run-report.ts";

export interface VerdictFlags {
  readonly failOnNoMatch?: boolean;
  readonly expectChanges?: boolean;
}

export interface RunVerdict {
  readonly exitCode: 0 | 1;
  readonly warnings: string[];
}

/** `nothing` says what selecting nothing means here: "no file under web/ ends in .yaml, .yml". */
export function runVerdict(units: readonly ReportUnit[], flags: VerdictFlags, nothing: string): RunVerdict {
  const warnings: string[] = [];
  let exitCode: 0 | 1 = units.some(unitFailed) ? 1 : 0;
  const selected = units.filter((u) => !u.filteredOut);
  if (selected.length === 0) {
    warnings.push(
      units.length === 0
        ? `nothing selected: ${nothing}${flags.failOnNoMatch ? " (--fail-on-no-match: exit 1)" : ""}`
        : `nothing selected: the filters let no unit through${flags.failOnNoMatch ? " (--fail-on-no-match: exit 1)" : ""}`,
    );
    if (flags.failOnNoMatch) exitCode = 1;
  }
  if (flags.expectChanges && !units.some((u) => u.changed)) {
    warnings.push("nothing changed (--expect-changes: exit 1)");
    exitCode = 1;
  }
  return { exitCode, warnings };
}

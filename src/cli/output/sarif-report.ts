// `--output sarif`: SARIF 2.1.0 for code-scanning tabs (GitHub's upload-sarif, GitLab). One run,
// tool.driver "confn" with a rule per validating function that failed; a result per failed
// attribute of a failed validation (its file and the line of the offending value when the data came
// from a file), or one per failed validation that names no attribute (line 1 of its file). Function
// errors are results at level "error" under rule `function-error`, setter warnings at level
// "warning" under `setter-changed-nothing`. Units from a server have a logical location
// (space/unit) instead of a file.
import type { AttributeValue } from "../../engine/index.ts";
import { attributeResource, type ReportUnit, type RunReport } from "./run-report.ts";

interface SarifResult {
  ruleId: string;
  level: "error" | "warning";
  message: { text: string };
  locations: object[];
}

const FUNCTION_ERROR = "function-error";
const SETTER_WARNING = "setter-changed-nothing";

export function formatSarifReport(report: RunReport, version: string): string {
  const results: SarifResult[] = [];
  const rules = new Map<string, string>();
  for (const unit of report.units) {
    for (const v of unit.validations.filter((x) => !x.passed)) {
      rules.set(v.functionName, `validation by ${v.functionName} did not pass`);
      const details = v.details.join("; ");
      if (v.failedAttributes.length === 0) {
        results.push(result(v.functionName, "error", details || "validation failed", unit, undefined));
      }
      for (const attribute of v.failedAttributes) {
        const what = `${attribute.Path} = ${JSON.stringify(attribute.Value)} in ${attributeResource(attribute)}`;
        results.push(
          result(v.functionName, "error", details ? `${details}: ${what}` : what, unit, attribute),
        );
      }
    }
    for (const error of unit.errors) {
      rules.set(FUNCTION_ERROR, "a function failed");
      results.push(result(FUNCTION_ERROR, "error", error, unit, undefined));
    }
    for (const warning of unit.warnings) {
      rules.set(SETTER_WARNING, "a mutating function changed nothing");
      results.push(result(SETTER_WARNING, "warning", warning, unit, undefined));
    }
  }
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "confn",
            version,
            rules: [...rules].map(([id, text]) => ({ id, shortDescription: { text } })),
          },
        },
        results,
        // Run-wide warnings (nothing selected, nothing changed) have no location.
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.warnings.map((w) => ({
              level: "warning",
              message: { text: w },
            })),
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function result(
  ruleId: string,
  level: "error" | "warning",
  text: string,
  unit: ReportUnit,
  attribute: AttributeValue | undefined,
): SarifResult {
  return { ruleId, level, message: { text }, locations: [location(unit, attribute)] };
}

function location(unit: ReportUnit, attribute: AttributeValue | undefined): object {
  if (unit.file === undefined) {
    return { logicalLocations: [{ name: unit.name, kind: "module" }] };
  }
  const line = (attribute && unit.lineOf?.(attribute)) ?? 1;
  return {
    physicalLocation: {
      artifactLocation: { uri: fileUri(unit.file) },
      region: { startLine: line },
    },
  };
}

/** A relative path as a relative URI reference: forward slashes, each segment percent-encoded. */
function fileUri(path: string): string {
  return path
    .split(/[\\/]/)
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

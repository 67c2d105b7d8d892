// `--output junit`: JUnit XML for CI test tabs. One <testsuite> per run; one <testcase> per Unit ×
// validating function (classname = the Unit, name = `function (#index)`), a <failure> when the
// validation did not pass; a Unit whose functions failed gets an `errors` test case with an <error>.
// Warnings (setters that set nothing, nothing selected) go to the suite's <system-out>.
import type { ReportUnit, RunReport } from "./run-report.ts";
import { summaryText } from "./run-report.ts";
import { describeAttribute } from "./text-report.ts";

interface TestCase {
  readonly classname: string;
  readonly name: string;
  readonly failure?: { readonly message: string; readonly body: string };
  readonly error?: { readonly message: string; readonly body: string };
}

export function formatJunitReport(report: RunReport): string {
  const cases = report.units.flatMap(testCases);
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  const warnings = [...report.warnings, ...report.units.flatMap((u) => u.warnings)];
  const out = [...warnings.map((w) => `warning: ${w}`), summaryText(report)].join("\n");
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="confn" tests="${cases.length}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="${attr(report.command)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0">`,
    ...cases.map(formatCase),
    `    <system-out>${text(out)}</system-out>`,
    `  </testsuite>`,
    `</testsuites>`,
  ];
  return `${lines.join("\n")}\n`;
}

function testCases(unit: ReportUnit): TestCase[] {
  const cases: TestCase[] = unit.validations.map((v) => {
    const base = { classname: unit.name, name: `${v.functionName} (#${v.index})` };
    if (v.passed) return base;
    const body = [...v.details, ...v.failedAttributes.map((a) => describeAttribute(a, unit))].join("\n");
    return { ...base, failure: { message: v.details[0] ?? "validation failed", body } };
  });
  if (unit.errors.length > 0) {
    const body = unit.errors.join("\n");
    cases.push({ classname: unit.name, name: "errors", error: { message: unit.errors[0]!, body } });
  }
  return cases;
}

function formatCase(c: TestCase): string {
  const open = `    <testcase classname="${attr(c.classname)}" name="${attr(c.name)}"`;
  if (c.failure) {
    return `${open}>\n      <failure message="${attr(c.failure.message)}">${text(c.failure.body)}</failure>\n    </testcase>`;
  }
  if (c.error) {
    return `${open}>\n      <error message="${attr(c.error.message)}">${text(c.error.body)}</error>\n    </testcase>`;
  }
  return `${open}/>`;
}

/** Characters XML 1.0 cannot hold at all (control characters but tab, newline, carriage return). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function text(value: string): string {
  return value
    .replace(INVALID_XML, "\ufffd")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

function attr(value: string): string {
  return text(value).replace(/"/g, "&quot;").replace(/\n/g, "&#10;");
}

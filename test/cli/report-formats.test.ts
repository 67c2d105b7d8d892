// Each --output format on one report: two Units, one changed and failing a validation at a known line
// (with characters every format must escape), one with a function error, and a setter warning.
import { describe, expect, it } from "vitest";
import { formatGithubAnnotations } from "../../src/cli/output/github-annotations.ts";
import { formatJsonReport } from "../../src/cli/output/json-report.ts";
import { formatJunitReport } from "../../src/cli/output/junit-report.ts";
import { formatMarkdownReport } from "../../src/cli/output/markdown-report.ts";
import type { ReportUnit, RunReport } from "../../src/cli/output/run-report.ts";
import { formatSarifReport } from "../../src/cli/output/sarif-report.ts";
import { colourEnabled, painter } from "../../src/cli/output/terminal-style.ts";
import { formatTextReport } from "../../src/cli/output/text-report.ts";
import type { AttributeValue } from "../../src/engine/index.ts";
import { findAll, parseXml } from "../support/xml-tree.ts";

const replicas: AttributeValue = {
  ResourceName: "/web",
  ResourceNameWithoutScope: "web",
  ResourceType: "apps/v1/Deployment",
  Path: "spec.replicas",
  DataType: "int",
  Value: 1,
};

const failing: ReportUnit = {
  name: "apps/web & <api>.yaml",
  file: "apps/web & <api>.yaml",
  before: "spec:\n  replicas: 1\n",
  after: "spec:\n  replicas: 1\n  paused: true\n",
  changed: true,
  filteredOut: false,
  errors: [],
  validations: [
    {
      functionName: "cel-validate",
      index: 1,
      passed: false,
      details: ['needs "2" replicas, 100%'],
      failedAttributes: [replicas],
    },
    { functionName: "no-placeholders", index: 2, passed: true, details: [], failedAttributes: [] },
  ],
  warnings: ["set-image (#0) changed nothing in apps/web & <api>.yaml: check the container name"],
  written: false,
  outputs: [],
  lineOf: (a) => (a.Path === "spec.replicas" ? 7 : undefined),
};

const erroring: ReportUnit = {
  name: "db.yaml",
  file: "db.yaml",
  before: "a: 1\n",
  after: "a: 1\n",
  changed: false,
  filteredOut: false,
  errors: ["set-replicas: resource name is missing\nsecond line"],
  validations: [{ functionName: "cel-validate", index: 1, passed: true, details: [], failedAttributes: [] }],
  warnings: [],
  written: false,
  outputs: [],
};

const report: RunReport = { command: "confn do", units: [failing, erroring], dryRun: true, warnings: [] };

describe("--output junit", () => {
  it("parses as XML with a test case per Unit × validating function and an error case per failing Unit", () => {
    const root = parseXml(formatJunitReport(report));
    const suite = findAll(root, "testsuite")[0]!;
    const cases = findAll(root, "testcase");
    expect(cases.map((c) => [c.attributes.classname, c.attributes.name])).toEqual([
      ["apps/web & <api>.yaml", "cel-validate (#1)"],
      ["apps/web & <api>.yaml", "no-placeholders (#2)"],
      ["db.yaml", "cel-validate (#1)"],
      ["db.yaml", "errors"],
    ]);
    expect(suite.attributes).toMatchObject({ tests: "4", failures: "1", errors: "1" });
    const failure = findAll(cases[0]!, "failure")[0]!;
    expect(failure.attributes.message).toBe('needs "2" replicas, 100%');
    expect(failure.text).toContain("spec.replicas = 1 in apps/v1/Deployment web (line 7)");
    expect(findAll(cases[3]!, "error")[0]!.text).toBe("set-replicas: resource name is missing\nsecond line");
    expect(findAll(root, "system-out")[0]!.text).toContain("warning: set-image (#0) changed nothing");
  });
});

describe("--output sarif", () => {
  it("is SARIF 2.1.0 with a result per failed attribute at its file and line", () => {
    const sarif = JSON.parse(formatSarifReport(report, "9.9.9"));
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs).toHaveLength(1);
    const run = sarif.runs[0];
    expect(run.tool.driver).toMatchObject({ name: "confn", version: "9.9.9" });
    const failed = run.results.filter((r: { ruleId: string }) => r.ruleId === "cel-validate");
    expect(failed).toHaveLength(1);
    expect(failed[0].level).toBe("error");
    expect(failed[0].message.text).toContain("spec.replicas = 1 in apps/v1/Deployment web");
    expect(failed[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "apps/web%20%26%20%3Capi%3E.yaml" },
      region: { startLine: 7 },
    });
    // Every result has a location with a line; every rule a result refers to is declared.
    const rules = new Set(run.tool.driver.rules.map((r: { id: string }) => r.id));
    for (const result of run.results) {
      expect(rules.has(result.ruleId)).toBe(true);
      expect(result.locations[0].physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
      expect(typeof result.message.text).toBe("string");
    }
    expect(run.results.map((r: { ruleId: string; level: string }) => `${r.ruleId}:${r.level}`)).toEqual([
      "cel-validate:error",
      "setter-changed-nothing:warning",
      "function-error:error",
    ]);
  });
});

describe("--output github", () => {
  it("writes one workflow command per problem, escaped, with the line of the value", () => {
    const lines = formatGithubAnnotations(report).trimEnd().split("\n");
    expect(lines).toEqual([
      '::error file=apps/web & <api>.yaml,line=7,title=cel-validate (#1) failed::needs "2" replicas, 100%25: spec.replicas = 1 in apps/v1/Deployment web',
      "::warning file=apps/web & <api>.yaml,title=changed nothing::set-image (#0) changed nothing in apps/web & <api>.yaml: check the container name",
      "::error file=db.yaml,title=function error::set-replicas: resource name is missing%0Asecond line",
      "::notice title=confn do::2 units, 1 changed, 2 failed, 1 warning; 0 would be written (dry run)",
    ]);
  });
});

describe("--output markdown", () => {
  it("summarises the Units in a table and puts each diff in a collapsible block", () => {
    const text = formatMarkdownReport(report);
    expect(text).toContain(
      "### confn do: 2 units, 1 changed, 2 failed, 1 warning; 0 would be written (dry run)",
    );
    expect(text).toContain("| apps/web &amp; &lt;api&gt;.yaml | yes | no | ❌ failed |");
    expect(text).toContain(
      "<details><summary>apps/web &amp; &lt;api&gt;.yaml: changed, failed, would not be written</summary>",
    );
    expect(text).toContain("```diff\n");
    expect(text).toContain("+  paused: true\n");
    expect(text).toContain("> ⚠️ set-image (#0) changed nothing");
  });
});

describe("--output text and json", () => {
  it("marks a changed Unit that failed as would not be written, and counts agree", () => {
    const text = formatTextReport(report, painter(false));
    expect(text).toContain("apps/web & <api>.yaml: changed, validation failed, would not be written\n");
    expect(text).toContain("after (dry run: would not be written)");
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "2 units, 1 changed, 2 failed, 1 warning; 0 would be written (dry run)",
    );
    const json = JSON.parse(formatJsonReport(report));
    expect(json.counts).toEqual({ units: 2, changed: 1, written: 0, gated: 0, failed: 2, warnings: 1 });
    expect(json.units[0].validations[0].failedAttributes[0].line).toBe(7);
  });
});

describe("--color", () => {
  it("follows always/never, then FORCE_COLOR, then NO_COLOR, then the terminal", () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(colourEnabled(pipe, {}, "always")).toBe(true);
    expect(colourEnabled(tty, { FORCE_COLOR: "1" }, "never")).toBe(false);
    expect(colourEnabled(pipe, { FORCE_COLOR: "1" })).toBe(true);
    expect(colourEnabled(tty, { FORCE_COLOR: "0" })).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: "" })).toBe(false);
    expect(colourEnabled(tty, {})).toBe(true);
    expect(colourEnabled(pipe, {})).toBe(false);
  });
});

describe("a real run's gated Unit", () => {
  const gated: RunReport = {
    command: "confn function do",
    dryRun: false,
    warnings: [],
    units: [
      { ...failing, name: "prod/web", file: undefined, written: true, gates: ["prod/cap/cel-validate"] },
    ],
  };

  it("is said in text, Markdown, JSON and the summary", () => {
    const line =
      "gated: prod/cap/cel-validate (written with an ApplyGate: a validating Trigger failed; " +
      "a later change that passes it lifts the gate)";
    const text = formatTextReport(gated, painter(false));
    expect(text).toContain(`${line}\n`);
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "1 unit, 1 changed, 1 failed, 1 warning; 1 written (1 gated)",
    );
    expect(formatMarkdownReport(gated)).toContain(`- ${line}\n`);
    const json = JSON.parse(formatJsonReport(gated));
    expect(json.units[0].gates).toEqual(["prod/cap/cel-validate"]);
    expect(json.counts.gated).toBe(1);
  });

  it("is not said of a Unit that was not written", () => {
    const unwritten = { ...gated, units: [{ ...gated.units[0]!, written: false }] };
    expect(formatTextReport(unwritten, painter(false))).not.toContain("gated");
  });
});

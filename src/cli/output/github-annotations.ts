// `--output github`: GitHub Actions workflow commands, which the runner turns into annotations on the
// pull request's files: `::error file=F,line=L,title=T::message` per failed validation (per failed
// attribute, at the line of its value) and per function error, `::warning ...` per setter that set
// nothing and per run-wide warning, then the summary as a `::notice`. Values are escaped as the
// runner expects (% \r \n in messages; also : and , in properties).
import type { ReportUnit, RunReport } from "./run-report.ts";
import { attributeResource, summaryText } from "./run-report.ts";

export function formatGithubAnnotations(report: RunReport): string {
  const lines: string[] = [];
  for (const unit of report.units) {
    for (const v of unit.validations.filter((x) => !x.passed)) {
      const title = `${v.functionName} (#${v.index}) failed`;
      const details = v.details.join("; ") || "validation failed";
      if (v.failedAttributes.length === 0) lines.push(command("error", unit, undefined, title, details));
      for (const a of v.failedAttributes) {
        const what = `${a.Path} = ${JSON.stringify(a.Value)} in ${attributeResource(a)}`;
        lines.push(command("error", unit, unit.lineOf?.(a), title, `${details}: ${what}`));
      }
    }
    for (const error of unit.errors) lines.push(command("error", unit, undefined, "function error", error));
    for (const warning of unit.warnings) {
      lines.push(command("warning", unit, undefined, "changed nothing", warning));
    }
  }
  for (const warning of report.warnings) lines.push(`::warning title=confn::${data(warning)}`);
  lines.push(`::notice title=${property(report.command)}::${data(summaryText(report))}`);
  return `${lines.join("\n")}\n`;
}

function command(
  level: "error" | "warning",
  unit: ReportUnit,
  line: number | undefined,
  title: string,
  message: string,
): string {
  const properties = [
    ...(unit.file === undefined ? [] : [`file=${property(unit.file)}`]),
    ...(unit.file !== undefined && line !== undefined ? [`line=${line}`] : []),
    `title=${property(unit.file === undefined ? `${unit.name}: ${title}` : title)}`,
  ];
  return `::${level} ${properties.join(",")}::${data(message)}`;
}

function data(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function property(value: string): string {
  return data(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

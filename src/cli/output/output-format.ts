// `--output FORMAT` of the commands that report runs (`confn do`, `doseq`, `render`, `function do`):
// which formatter prints the RunReport. Each format lives in its own file beside this one.
import { CliUsageError } from "../cli-error.ts";
import { formatGithubAnnotations } from "./github-annotations.ts";
import { formatJsonReport } from "./json-report.ts";
import { formatJunitReport } from "./junit-report.ts";
import { formatMarkdownReport } from "./markdown-report.ts";
import type { RunReport } from "./run-report.ts";
import { formatSarifReport } from "./sarif-report.ts";
import type { Paint } from "./terminal-style.ts";
import { formatTextReport } from "./text-report.ts";

export const OUTPUT_FORMATS = ["text", "json", "junit", "sarif", "github", "markdown"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function parseOutputFormat(value: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new CliUsageError(`--output ${value}: expected one of ${OUTPUT_FORMATS.join(", ")}`);
}

export function formatRunReport(
  report: RunReport,
  format: OutputFormat,
  options: { readonly paint: Paint; readonly version: string },
): string {
  switch (format) {
    case "text":
      return formatTextReport(report, options.paint);
    case "json":
      return formatJsonReport(report);
    case "junit":
      return formatJunitReport(report);
    case "sarif":
      return formatSarifReport(report, options.version);
    case "github":
      return formatGithubAnnotations(report);
    case "markdown":
      return formatMarkdownReport(report);
  }
}

// `confn render DIR`: runs DIR/confn.yaml (local/pipeline-file.ts: mutators, then validators, each a
// function with arguments and an optional selector) on every file of the pipeline's toolchain under
// DIR, each file a Unit — what `kpt fn render` does, with ConfigHub's functions and no containers.
// Output, --write and exit codes as `confn do` on a directory: a dry run by default.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { version } from "../../api/version.ts";
import { EngineError } from "../../engine/index.ts";
import { CliUsageError } from "../cli-error.ts";
import { writeFileAtomically } from "../local/atomic-write.ts";
import { PIPELINE_FILE, selectInputs, TOOLCHAIN_EXTENSIONS } from "../local/input-files.ts";
import { checkLocalInvocations, readInput, type LocalRunFlags } from "../local/local-engine.ts";
import { localUnitReport } from "../local/local-unit-report.ts";
import { readPipeline, type Pipeline } from "../local/pipeline-file.ts";
import { runPipeline, stepInvocations } from "../local/pipeline-run.ts";
import { failedUnit, isInputError } from "../local/run-files.ts";
import { formatRunReport, parseOutputFormat } from "../output/output-format.ts";
import type { ReportUnit } from "../output/run-report.ts";
import { colourEnabled, painter, parseColourMode } from "../output/terminal-style.ts";
import { runVerdict } from "../run-verdict.ts";
import { addReportOptions, runAction, type ReportFlags } from "./do.ts";

export interface RenderFlags extends ReportFlags {
  pipeline?: string;
}

export async function render(
  dir: string,
  flags: RenderFlags,
  io: { stdoutIsTty: boolean; env: NodeJS.ProcessEnv } = {
    stdoutIsTty: process.stdout.isTTY === true,
    env: process.env,
  },
): Promise<{ text: string; exitCode: 0 | 1 }> {
  if (flags.write && flags.dryRun) throw new CliUsageError("--write and --dry-run exclude each other");
  const format = flags.output === undefined ? "text" : parseOutputFormat(flags.output);
  const paint = painter(colourEnabled({ isTTY: io.stdoutIsTty }, io.env, parseColourMode(flags.color)));
  const isDirectory = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDirectory)
    throw new CliUsageError(`${dir} is not a directory: confn render runs DIR/${PIPELINE_FILE}`);
  const pipelineFile = flags.pipeline ?? join(dir, PIPELINE_FILE);
  const pipeline = await readPipeline(pipelineFile);
  await checkPipeline(pipeline);

  const engineFlags: LocalRunFlags = { toolchain: pipeline.toolchain };
  const invocations = pipeline.steps.map((s) => s.invocation);
  const { files } = await selectInputs(dir, pipeline.toolchain);
  const units: ReportUnit[] = [];
  const written: { file: string; text: string }[] = [];
  for (const file of files) {
    const before = await readInput(file, "config data file");
    try {
      const result = await runPipeline(file, before, pipeline, engineFlags);
      const unit = localUnitReport({ file, toolchain: pipeline.toolchain, before, result, invocations });
      units.push(unit);
      if (unit.written) written.push({ file, text: result.configData });
    } catch (error) {
      if (!(error instanceof EngineError && isInputError(error))) throw error;
      units.push(failedUnit(file, `${file}: ${error.message}`, before));
    }
  }
  if (flags.write) for (const w of written) await writeFileAtomically(w.file, w.text);
  const extensions = TOOLCHAIN_EXTENSIONS[pipeline.toolchain].join(", ");
  const verdict = runVerdict(units, flags, `no file under ${dir} ends in ${extensions}`);
  const report = { command: "confn render", units, dryRun: !flags.write, warnings: verdict.warnings };
  return { text: formatRunReport(report, format, { paint, version }), exitCode: verdict.exitCode };
}

/** Unknown functions and bad arguments are usage errors naming the step, before anything runs. */
async function checkPipeline(pipeline: Pipeline): Promise<void> {
  for (const step of pipeline.steps) {
    try {
      await checkLocalInvocations(stepInvocations(step), pipeline.toolchain);
    } catch (error) {
      if (error instanceof CliUsageError) {
        throw new CliUsageError(`${step.label}: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }
}

export function register(program: Command): void {
  const command = program
    .command("render")
    .description(
      `run DIR/${PIPELINE_FILE} (mutators, then validators) on the files under DIR, each a Unit; ` +
        "a dry run with a diff per changed file unless --write (see docs/render.md)",
    )
    .argument("<dir>", "the directory holding the manifests and the pipeline")
    .option("--pipeline <file>", `the pipeline file (default DIR/${PIPELINE_FILE})`);
  addReportOptions(command).action(async (dir: string, flags: RenderFlags) => {
    await runAction(() => render(dir, flags));
  });
}

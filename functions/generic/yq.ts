// yq (spec §5.1): a read-only query over the Unit's documents, answered as YAML (`{"Payload": "…"}`).
// The expression is jq's language (jq 1.8, run by jq-wasm in a worker thread with a time limit; see
// docs/functions-yq.md for what is accepted). As with `yq eval-all`, the expression is applied to
// each document in turn; each result is printed as YAML, and the results of different documents are
// separated by `---`.
import { stringify } from "yaml";
import { FunctionError, defineFunction, type FunctionDefinition } from "../../src/engine/index.ts";
import type { YAMLPayload } from "../../src/engine/index.ts";
import { JqTimeoutError, JqWorkerError, jqRunner, type JqRun } from "./yq/jq-runner.ts";
import { GENERIC_TOOLCHAINS } from "./generic-toolchains.ts";

/** How long one yq call may run over the whole Unit before it is stopped. */
export const YQ_TIME_LIMIT_MS = 2000;

export const yq = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: {
    FunctionName: "yq",
    Description:
      "Returns the result of running yq with the specified expression on the YAML configuration data",
    Parameters: [
      { ParameterName: "yq-expression", Description: "yq expression", Required: true, DataType: "string" },
    ],
    OutputInfo: { ResultName: "yq output", Description: "Output from yq", OutputType: "YAML" },
    AffectedResourceTypes: ["*"],
  },
  async invoke({ data, args }) {
    const expression = args.string("yq-expression");
    const documents = data.documents;
    let runs: JqRun[];
    try {
      runs = await jqRunner().run(
        expression,
        documents.map((document) => document.toJS()),
        YQ_TIME_LIMIT_MS,
      );
    } catch (error) {
      if (error instanceof JqTimeoutError || error instanceof JqWorkerError) {
        throw new FunctionError(`yq expression ${expression} was stopped: ${error.message}`, {
          cause: error,
        });
      }
      throw error;
    }
    const chunks: string[] = [];
    for (const [i, run] of runs.entries()) {
      if (run.exitCode === 3)
        throw new FunctionError(`invalid yq expression ${expression}: ${compileError(run.stderr)}`);
      if (run.exitCode !== 0) {
        const resource = documents[i]!.tryIdentity()?.name ?? `(document ${i})`;
        throw new FunctionError(
          `yq expression ${expression} failed on resource ${resource}: ${runtimeError(run)}`,
        );
      }
      const chunk = outputs(run.stdout)
        .map((value) => stringify(value, { lineWidth: 0 }))
        .join("");
      if (chunk !== "") chunks.push(chunk);
    }
    const payload: YAMLPayload = { Payload: chunks.join("---\n") };
    return { output: payload };
  },
});

export const yqFunctions: readonly FunctionDefinition[] = [yq];

/** jq -c prints one JSON value per line (newlines inside strings are escaped). */
function outputs(stdout: string): unknown[] {
  return stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as unknown);
}

/** `jq: error: syntax error, unexpected …, line 1, column 16:` plus a caret drawing -> the first line. */
function compileError(stderr: string): string {
  const first =
    stderr.split("\n").find((line) => line.startsWith("jq: error: ")) ?? stderr.split("\n")[0] ?? "";
  return first
    .replace(/^jq: error: /, "")
    .replace(/ at <top-level>, /, " at ")
    .replace(/:$/, "");
}

/** `jq: error (at /dev/stdin:0): Cannot index object with number` -> the reason. */
function runtimeError(run: JqRun): string {
  const message = run.stderr
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith('["DEBUG:"'))
    .map((line) => line.replace(/^jq: error \(at [^)]*\): /, ""))
    .join("; ");
  return message || `jq exited with status ${run.exitCode}`;
}

// Runs a confn.yaml pipeline (pipeline-file.ts) on one file: each step on the data the previous one
// left, a step with a selector only when the file holds a matching resource (a where-filter run as
// the step's filter, so an unmatched file skips the step quietly). The steps' results are combined
// into one ExecutionResult, as if the pipeline were one invocation list: validation Index and step
// index are the step's position in the pipeline.
import type {
  ExecutionResult,
  FunctionInvocation,
  OutputType,
  ValidationResult,
} from "../../engine/index.ts";
import { runEngine, type LocalRunFlags } from "./local-engine.ts";
import type { Pipeline, PipelineStep } from "./pipeline-file.ts";

export function stepInvocations(step: PipelineStep): FunctionInvocation[] {
  if (!step.selector) return [step.invocation];
  const filter: FunctionInvocation = {
    FunctionName: "where-filter",
    Arguments: [{ Value: step.selector.resourceType }, { Value: step.selector.where ?? "" }],
  };
  return [filter, step.invocation];
}

export async function runPipeline(
  file: string,
  before: string,
  pipeline: Pipeline,
  flags: LocalRunFlags,
): Promise<ExecutionResult> {
  let text = before;
  let combined: ExecutionResult | undefined;
  for (const [position, step] of pipeline.steps.entries()) {
    const invocations = stepInvocations(step);
    // Uncombined with a selector, so the filter's own verdict (Index 0) can be told apart and dropped.
    const result = await runEngine(file, text, invocations, flags, {
      numFilters: step.selector ? 1 : 0,
      combine: step.selector === undefined,
    });
    text = result.configData;
    combined = merge(combined, result, position, before, step.selector !== undefined);
  }
  return combined!;
}

function merge(
  previous: ExecutionResult | undefined,
  result: ExecutionResult,
  position: number,
  before: string,
  selected: boolean,
): ExecutionResult {
  // The step's own report: the last of its run (after the selector's filter, when there is one).
  const own = result.steps[result.steps.length - 1]!;
  const step = { ...own, index: position, status: result.filteredOut ? ("skipped" as const) : own.status };
  const outputs: [OutputType, unknown][] = result.outputs
    .filter(() => !result.filteredOut)
    .map(([type, value]): [OutputType, unknown] => [type, reindex(type, value, position, selected)])
    .filter(([type, value]) => type !== "ValidationResultList" || (value as unknown[]).length > 0);
  const merged = previous ?? {
    ...result,
    outputs: [],
    steps: [],
    errorMessages: [],
    errors: [],
    mutators: [],
  };
  return {
    ...merged,
    configData: result.configData,
    dataChanged: result.configData !== before,
    outputs: [...merged.outputs, ...outputs],
    mutators: own.mutated ? [...merged.mutators, position] : merged.mutators,
    success: merged.success && result.success,
    errorMessages: [...merged.errorMessages, ...result.errorMessages],
    errors: [...merged.errors, ...result.errors],
    // The pipeline's files are all selected; a step's selector skipping one is not "filtered out".
    filteredOut: false,
    steps: [...merged.steps, step],
  };
}

function reindex(type: OutputType, value: unknown, position: number, selected: boolean): unknown {
  const fix = (v: ValidationResult): ValidationResult => ({ ...v, Index: position });
  if (type === "ValidationResult") return fix(value as ValidationResult);
  if (type === "ValidationResultList") {
    // With a selector, the entry of Index 0 is the filter's own verdict, not the step's.
    const list = value as ValidationResult[];
    return (selected ? list.filter((v) => v.Index !== 0) : list).map(fix);
  }
  return value;
}

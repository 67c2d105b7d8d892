// `confn.yaml`, the pipeline `confn render DIR` runs (like kpt's Kptfile pipeline, with ConfigHub's
// functions and no containers):
//
//   toolchain: Kubernetes/YAML        # optional; the default
//   mutators:                         # run first, in order
//     - function: set-namespace
//       args: [prod]                  # positional values, or a map of parameter: value
//     - function: set-replicas
//       args: [3]
//       selector:                     # optional: only files holding such a resource
//         resource-type: apps/v1/Deployment
//         where: "spec.replicas < 3"  # optional where_data expression (docs/filters.md)
//   validators:                       # then these; a failure fails the file
//     - function: cel-validate
//       args: ["r.kind != 'Deployment' || r.spec.replicas >= 2"]
//
// Every mistake is reported with the file and line: `confn.yaml:7: mutators[1].args: ...`.
import { readFile } from "node:fs/promises";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { DEFAULT_TOOLCHAIN } from "../../engine/index.ts";
import type { FunctionArgument, FunctionInvocation, ToolchainType } from "../../engine/index.ts";
import { CliUsageError } from "../cli-error.ts";
import { toolchainOf } from "./local-engine.ts";

export interface PipelineSelector {
  readonly resourceType: string;
  readonly where: string | undefined;
}

export interface PipelineStep {
  readonly stage: "mutators" | "validators";
  /** `confn.yaml:7: mutators[1]`, for messages. */
  readonly label: string;
  readonly invocation: FunctionInvocation;
  readonly selector: PipelineSelector | undefined;
}

export interface Pipeline {
  readonly toolchain: ToolchainType;
  readonly steps: readonly PipelineStep[];
}

const TOP_KEYS = ["toolchain", "mutators", "validators"];
const STEP_KEYS = ["function", "args", "selector"];
const SELECTOR_KEYS = ["resource-type", "where"];

export async function readPipeline(file: string): Promise<Pipeline> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new CliUsageError(
        `${file} does not exist: write the pipeline there (docs/render.md), or name it with --pipeline FILE`,
      );
    }
    throw new CliUsageError(`cannot read the pipeline ${file}: ${(error as Error).message}`);
  }
  return parsePipeline(text, file);
}

export function parsePipeline(text: string, file: string): Pipeline {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const fail = (node: Node | null | undefined, message: string): never => {
    const offset = node?.range?.[0];
    const line = offset === undefined ? undefined : lineCounter.linePos(offset).line;
    throw new CliUsageError(`${file}${line === undefined ? "" : `:${line}`}: ${message}`);
  };
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    const line = lineCounter.linePos(error.pos[0]).line;
    throw new CliUsageError(`${file}:${line}: not valid YAML: ${error.message.split("\n")[0]}`);
  }
  const root = document.contents;
  if (!isMap(root)) {
    return fail(root, "expected a map with mutators and/or validators (see docs/render.md)");
  }
  checkKeys(root, TOP_KEYS, "the pipeline", fail);
  const toolchainNode = root.get("toolchain", true);
  let toolchain: ToolchainType = DEFAULT_TOOLCHAIN;
  if (toolchainNode !== undefined) {
    if (!isScalar(toolchainNode) || typeof toolchainNode.value !== "string") {
      return fail(toolchainNode, "toolchain: expected a toolchain name such as Kubernetes/YAML");
    }
    try {
      toolchain = toolchainOf(toolchainNode.value);
    } catch (error) {
      return fail(toolchainNode, (error as Error).message.replace(/^--toolchain /, "toolchain: "));
    }
  }
  const steps: PipelineStep[] = [];
  for (const stage of ["mutators", "validators"] as const) {
    const list = root.get(stage, true);
    if (list === undefined || (isScalar(list) && list.value === null)) continue;
    if (!isSeq(list)) return fail(list as Node, `${stage}: expected a list of steps (- function: NAME)`);
    list.items.forEach((item, i) => {
      const line = lineCounter.linePos((item as Node).range?.[0] ?? 0).line;
      const step = parseStep(item as Node, stage, `${stage}[${i}]`, fail);
      steps.push({ ...step, label: `${file}:${line}: ${step.label}` });
    });
  }
  if (steps.length === 0) return fail(root, "the pipeline lists no mutators and no validators");
  return { toolchain, steps };
}

type Fail = (node: Node | null | undefined, message: string) => never;

function parseStep(node: Node, stage: PipelineStep["stage"], label: string, fail: Fail): PipelineStep {
  if (!isMap(node)) return fail(node, `${label}: expected a map with function, args and selector`);
  checkKeys(node, STEP_KEYS, label, fail);
  const fn = node.get("function", true);
  if (fn === undefined) return fail(node, `${label}: function is missing`);
  if (!isScalar(fn) || typeof fn.value !== "string" || fn.value === "") {
    return fail(fn as Node, `${label}.function: expected a function name`);
  }
  const functionName = fn.value;
  return {
    stage,
    label,
    invocation: { FunctionName: functionName, Arguments: parseArgs(node.get("args", true), label, fail) },
    selector: parseSelector(node.get("selector", true), label, fail),
  };
}

function parseArgs(node: unknown, label: string, fail: Fail): FunctionArgument[] {
  if (node === undefined || (isScalar(node) && node.value === null)) return [];
  if (isSeq(node)) {
    return node.items.map((item, i) => ({ Value: scalarText(item, `${label}.args[${i}]`, fail) }));
  }
  if (isMap(node)) {
    return node.items.map((pair) => {
      const key = pair.key as Node;
      if (!isScalar(key) || typeof key.value !== "string") {
        return fail(key, `${label}.args: a parameter name must be a string`);
      }
      return { ParameterName: key.value, Value: scalarText(pair.value, `${label}.args.${key.value}`, fail) };
    });
  }
  return fail(node as Node, `${label}.args: expected a list of values or a map of parameter: value`);
}

/** Arguments are strings, as on the command line; the engine casts them per the signature. */
function scalarText(node: unknown, label: string, fail: Fail): string {
  if (!isScalar(node) || node.value === null || typeof node.value === "object") {
    return fail(node as Node, `${label}: expected a string, number or boolean`);
  }
  return String(node.value);
}

function parseSelector(node: unknown, label: string, fail: Fail): PipelineSelector | undefined {
  if (node === undefined) return undefined;
  if (!isMap(node))
    return fail(node as Node, `${label}.selector: expected a map with resource-type and where`);
  checkKeys(node, SELECTOR_KEYS, `${label}.selector`, fail);
  const type = node.get("resource-type", true);
  if (!isScalar(type) || typeof type.value !== "string" || type.value === "") {
    return fail(
      (type as Node) ?? node,
      `${label}.selector.resource-type: expected a type such as apps/v1/Deployment`,
    );
  }
  const where = node.get("where", true);
  if (where !== undefined && (!isScalar(where) || typeof where.value !== "string")) {
    return fail(where as Node, `${label}.selector.where: expected a where_data expression (docs/filters.md)`);
  }
  return { resourceType: type.value, where: where === undefined ? undefined : (where.value as string) };
}

function checkKeys(
  node: { items: { key: unknown }[] },
  allowed: readonly string[],
  label: string,
  fail: Fail,
): void {
  for (const pair of node.items) {
    const key = pair.key;
    const name = isScalar(key) ? String(key.value) : "";
    if (!allowed.includes(name)) {
      fail(key as Node, `${label}: unknown key ${JSON.stringify(name)} (expected ${allowed.join(", ")})`);
    }
  }
}

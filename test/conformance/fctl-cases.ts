// ConfigHub's fctl conformance cases (../shared/conformance/confighub-fctl/cases.json) and how to run
// one through our engine exactly as cases.json says fctl ran it: CastStringArgsToScalars and
// CombineValidationResults on, NumFilters/StopOnError from the flags, fctl's fixed context, fctl's
// printer.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { localContext, parseFunctionArguments } from "../../src/cli/commands/do.ts";
import { formatFctl } from "../../src/cli/output/fctl-format.ts";
import { toolchainIdentity } from "../../src/config/index.ts";
import { execute, goJson } from "../../src/engine/index.ts";
import type { FunctionInvocation, FunctionLookup, ToolchainType } from "../../src/engine/index.ts";

export const CONFORMANCE_DIR = fileURLToPath(
  new URL("../../../shared/conformance/confighub-fctl/", import.meta.url),
);
const GOLDEN_DIR = join(CONFORMANCE_DIR, "golden-output");

export interface FctlCase {
  golden: string;
  mode: "do" | "doseq";
  input: string;
  unitSlug: string;
  flags: { "data-only"?: boolean; "num-filters"?: number; "stop-on-error"?: boolean; toolchain?: string };
  function?: string;
  args?: string[];
  invocations?: string;
}

export function loadCases(): FctlCase[] {
  const file = JSON.parse(readFileSync(join(CONFORMANCE_DIR, "cases.json"), "utf8")) as { cases: FctlCase[] };
  return file.cases;
}

/** A path of cases.json, relative to the conformance folder; `${DIR}` is the golden folder. */
function resolvePath(path: string): string {
  return path.startsWith("${DIR}/")
    ? join(GOLDEN_DIR, path.slice("${DIR}/".length))
    : join(CONFORMANCE_DIR, path);
}

export function readCaseFile(path: string): string {
  return readFileSync(resolvePath(path), "utf8");
}

export function readGolden(c: FctlCase): string {
  return readFileSync(join(GOLDEN_DIR, c.golden), "utf8");
}

export function toolchainOf(c: FctlCase): ToolchainType {
  return (c.flags.toolchain ?? "Kubernetes/YAML") as ToolchainType;
}

/** `@output-of:get-resources-service` = the JSON output of get-resources on test-data/service.yaml. */
const OUTPUT_OF: Record<string, { function: string; input: string }> = {
  "get-resources-service": { function: "get-resources", input: "test-data/service.yaml" },
};

function invocationsOf(c: FctlCase): FunctionInvocation[] {
  if (c.mode === "doseq") {
    const reference = c.invocations ?? "";
    if (!reference.startsWith("@file:")) throw new Error(`${c.golden}: invocations must be @file:PATH`);
    return JSON.parse(readCaseFile(reference.slice("@file:".length))) as FunctionInvocation[];
  }
  return [{ FunctionName: c.function!, Arguments: parseFunctionArguments(c.function!, c.args ?? []) }];
}

/** Every function a case needs, including the ones behind `@output-of:` arguments. */
export function functionsNeeded(c: FctlCase): string[] {
  const names = invocationsOf(c).map((i) => i.FunctionName);
  for (const arg of c.args ?? []) {
    const source = arg.startsWith("@output-of:") ? OUTPUT_OF[arg.slice("@output-of:".length)] : undefined;
    if (source) names.push(source.function);
  }
  return [...new Set(names)];
}

/** Why a case cannot run yet (its functions or toolchain are not there), or undefined when it can. */
export function pendingReason(c: FctlCase, registry: FunctionLookup): string | undefined {
  const toolchain = toolchainOf(c);
  try {
    toolchainIdentity(toolchain);
  } catch {
    return `toolchain ${toolchain} has no resource identity yet`;
  }
  const missing = functionsNeeded(c).filter((name) => !registry.lookup(toolchain, name));
  return missing.length > 0 ? `function ${missing.join(", ")} not registered yet` : undefined;
}

async function resolveArgument(value: string, registry: FunctionLookup): Promise<string> {
  if (value.startsWith("@file:")) return readCaseFile(value.slice("@file:".length));
  if (value.startsWith("@output-of:")) {
    const source = OUTPUT_OF[value.slice("@output-of:".length)];
    if (!source) throw new Error(`unknown @output-of source ${value}`);
    const result = await execute({
      registry,
      configData: readCaseFile(source.input),
      invocations: [{ FunctionName: source.function, Arguments: [] }],
    });
    if (!result.success) throw new Error(`${value}: ${result.errorMessages.join("; ")}`);
    return goJson(result.output);
  }
  return value;
}

/** Runs a case and returns what our fctl printer prints for it, plus the input. */
export async function runCase(
  c: FctlCase,
  registry: FunctionLookup,
): Promise<{ printed: string; input: string }> {
  const input = readCaseFile(c.input);
  const invocations = invocationsOf(c);
  for (const invocation of invocations) {
    for (const argument of invocation.Arguments ?? []) {
      if (typeof argument.Value === "string")
        argument.Value = await resolveArgument(argument.Value, registry);
    }
  }
  const result = await execute({
    registry,
    context: localContext(c.input, input, { unitSlug: c.unitSlug, toolchain: toolchainOf(c) }),
    configData: input,
    invocations,
    options: {
      castStringArgsToScalars: true,
      combineValidationResults: true,
      numFilters: c.flags["num-filters"] ?? 0,
      stopOnError: c.flags["stop-on-error"] ?? false,
    },
  });
  return { printed: formatFctl(result, c.flags["data-only"] ? "data-only" : "full", "go"), input };
}

// Running functions through the executor the way the function tests do, and reading the shared
// conformance inputs: the setup every test/functions file otherwise writes again.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { standardFunctions } from "../../functions/index.ts";
import { FunctionRegistry, execute } from "../../src/engine/index.ts";
import type { ExecuteOptions, ExecutionResult, FunctionArgument } from "../../src/engine/index.ts";

const CONFORMANCE = new URL("../../../shared/conformance/confighub-fctl/", import.meta.url);

/** An input of the conformance suite (`test-data/<name>`), as text. */
export function conformanceTestData(name: string): string {
  return readFileSync(new URL(`test-data/${name}`, CONFORMANCE), "utf8");
}

/** A golden output of the conformance suite (`golden-output/<name>`), as text. */
export function conformanceGolden(name: string): string {
  return readFileSync(new URL(`golden-output/${name}`, CONFORMANCE), "utf8");
}

/** Every document of a multi-document YAML text as plain data, to compare data rather than bytes. */
export function plainDocuments(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => d.toJS());
}

export type RunFunction = (
  configData: string,
  functionName: string,
  args?: FunctionArgument["Value"][],
) => Promise<ExecutionResult>;

/**
 * A runner of one function call with positional arguments, over `registry` (the standard library
 * when omitted), with string arguments cast to scalars as fctl does unless `options` say otherwise.
 */
export function functionRunner(
  registry: FunctionRegistry = FunctionRegistry.from(standardFunctions),
  options: ExecuteOptions = { castStringArgsToScalars: true },
): RunFunction {
  return (configData, functionName, args = []) =>
    execute({
      registry,
      configData,
      invocations: [{ FunctionName: functionName, Arguments: args.map((Value) => ({ Value })) }],
      options,
    });
}

/** The config data a golden records (what follows its `---------` line), as plain documents. */
export function conformanceGoldenData(name: string): unknown[] {
  const text = conformanceGolden(name);
  return plainDocuments(text.slice(text.indexOf("---------\n") + 10));
}

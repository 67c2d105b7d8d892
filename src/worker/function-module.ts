// What a worker module exports: its FunctionDefinitions, as the default export (a list, or an
// object with `functions`) or as a named `functions` list. Checked here so a module of the wrong
// shape is one message naming the module and the entry, not a crash on the first invocation.
import { FunctionRegistry, type FunctionDefinition } from "../engine/index.ts";
import type { WorkerInfo } from "../worker-protocol/index.ts";
import { WorkerError } from "./worker-error.ts";
import { workerInfoOf } from "./worker-info.ts";

export function functionsOfModule(
  exports: Readonly<Record<string, unknown>>,
  source: string,
): FunctionDefinition[] {
  // A TypeScript module outside a "type": "module" package is compiled to CommonJS: its
  // `export default` is then the `default` of the module.exports object that import() calls default.
  const defaultExport = commonJsDefault(exports.default) ?? exports.default;
  const candidates: [string, unknown][] = [
    ["the default export", defaultExport],
    ["the default export's functions", (defaultExport as { functions?: unknown } | undefined)?.functions],
    ["the export functions", exports.functions],
  ];
  const found = candidates.find(([, value]) => Array.isArray(value));
  if (!found) {
    throw new WorkerError(
      "WORKER_CONFIG",
      `${source} exports no functions: export default a list of function definitions ` +
        "(or { functions: [...] }), as docs/worker-sdk.md shows",
    );
  }
  const [where, list] = found as [string, unknown[]];
  list.forEach((entry, i) => checkDefinition(entry, `${source}: ${where}[${i}]`));
  return list as FunctionDefinition[];
}

/** The `default` of an ES module compiled to CommonJS (its exports object), if that is what `value` is. */
function commonJsDefault(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  return Object.hasOwn(value, "default") ? (value as { default: unknown }).default : undefined;
}

function checkDefinition(entry: unknown, where: string): void {
  const fail = (what: string): never => {
    throw new WorkerError("WORKER_CONFIG", `${where} ${what}`);
  };
  if (entry === null || typeof entry !== "object") fail("is not a function definition object");
  const definition = entry as Partial<Record<keyof FunctionDefinition, unknown>>;
  const signature = definition.signature;
  if (typeof signature !== "function" && (signature === null || typeof signature !== "object")) {
    fail("has no signature (an object with FunctionName, Description, Parameters...)");
  }
  if (!Array.isArray(definition.toolchains)) fail('has no toolchains list (e.g. ["Kubernetes/YAML"])');
  if (typeof definition.invoke !== "function") fail("has no invoke(call) function");
}

/**
 * The registry a worker serves and the registration it announces, or a WORKER_CONFIG error naming
 * what is wrong with the definitions (a duplicate name, a misspelt toolchain, a bad signature, none
 * at all). `confn worker run` calls it before it creates a worker or rotates a secret.
 */
export function workerFunctions(functions: readonly FunctionDefinition[]): {
  registry: FunctionRegistry;
  info: WorkerInfo;
} {
  let registry: FunctionRegistry;
  try {
    registry = FunctionRegistry.from(functions);
  } catch (error) {
    throw new WorkerError("WORKER_CONFIG", `the worker's functions: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const info = workerInfoOf(registry);
  if (Object.keys(info.FunctionWorkerInfo?.SupportedFunctions ?? {}).length === 0) {
    throw new WorkerError("WORKER_CONFIG", "the worker has no functions to offer");
  }
  return { registry, info };
}

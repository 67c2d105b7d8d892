// Loads the module `confn worker run` serves: .mjs and .cjs as they are, TypeScript and .js through
// tsx (a dependency of confn), then its FunctionDefinitions (src/worker checks their shape).
// `confn/worker` resolves to the worker SDK of the confn that runs the module, wherever the module
// lives (a directory of its own has no node_modules/confn): its FunctionError is then the engine's
// own, and its types and helpers match the engine that calls it.
import { existsSync } from "node:fs";
import Module from "node:module";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { FunctionDefinition } from "../engine/index.ts";
import { functionsOfModule } from "../worker/index.ts";
import { CliUsageError } from "./cli-error.ts";

export async function loadWorkerModule(file: string, cwd: string): Promise<FunctionDefinition[]> {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new CliUsageError(`worker module ${file}: no such file (looked at ${path})`);
  const url = pathToFileURL(path).href;
  resolveConfnWorkerToSelf();
  let exports: Record<string, unknown>;
  try {
    exports = await importModule(url);
  } catch (error) {
    throw new CliUsageError(`worker module ${file} cannot be loaded: ${loadFailure(error)}`, {
      cause: error,
    });
  }
  return functionsOfModule(exports, file);
}

/** The specifier worker modules import the SDK by (package.json "exports" "./worker"). */
const SDK_SPECIFIER = "confn/worker";

/** This confn's SDK entry: the compiled one when running from dist/, else the TypeScript source. */
const SDK_URL = new URL(
  import.meta.url.endsWith(".ts") ? "../worker/index.ts" : "../worker/index.js",
  import.meta.url,
).href;

let resolving = false;

/**
 * Makes `confn/worker` resolve to SDK_URL: for ES modules through a resolve hook (module.register),
 * for CommonJS (tsx compiles a .ts module outside a "type": "module" package to it) through
 * Module._resolveFilename, which Node 20's hooks do not reach. Once per process.
 */
function resolveConfnWorkerToSelf(): void {
  if (resolving) return;
  resolving = true;
  const hook =
    `export async function resolve(specifier, context, next) {` +
    ` if (specifier === ${JSON.stringify(SDK_SPECIFIER)})` +
    ` return { url: ${JSON.stringify(SDK_URL)}, shortCircuit: true };` +
    ` return next(specifier, context); }`;
  const loader = Module as unknown as {
    /** Node 20.6 and later (tsx needs it too); read off the default export so older ones still start. */
    register?: (specifier: string) => void;
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
  };
  loader.register?.(`data:text/javascript,${encodeURIComponent(hook)}`);
  const original = loader._resolveFilename;
  const sdkPath = fileURLToPath(SDK_URL);
  loader._resolveFilename = function (request: string, ...rest: unknown[]): string {
    return request === SDK_SPECIFIER ? sdkPath : original.call(this, request, ...rest);
  };
}

/** The loader's message without tsx's internal `?namespace=...` query on file names. */
function loadFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\?namespace=[\w.-]+/g, "");
}

/** Files whose format only their package.json tells (and TypeScript, which Node cannot load). */
const THROUGH_TSX = /\.([cm]?ts|js)$/i;

async function importModule(url: string): Promise<Record<string, unknown>> {
  // Through tsx's own namespace: a plain import() fails on .ts in compiled confn, and a .ts or .js
  // module with `export`s outside any "type": "module" package (a worker in a directory of its own)
  // is read as CommonJS and fails on them; tsx compiles it to CommonJS instead. .mjs and .cjs
  // say what they are.
  if (THROUGH_TSX.test(new URL(url).pathname)) {
    const { tsImport } = await import("tsx/esm/api");
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
  return (await import(url)) as Record<string, unknown>;
}

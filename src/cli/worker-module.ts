// Loads the module `confn worker run` serves: .mjs and .cjs as they are, TypeScript and .js through
// tsx (a dependency of confn), then its FunctionDefinitions (src/worker checks their shape).
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { FunctionDefinition } from "../engine/index.ts";
import { functionsOfModule } from "../worker/index.ts";
import { CliUsageError } from "./cli-error.ts";

export async function loadWorkerModule(file: string, cwd: string): Promise<FunctionDefinition[]> {
  const path = resolve(cwd, file);
  if (!existsSync(path)) throw new CliUsageError(`worker module ${file}: no such file (looked at ${path})`);
  const url = pathToFileURL(path).href;
  let exports: Record<string, unknown>;
  try {
    exports = await importModule(url);
  } catch (error) {
    throw new CliUsageError(`worker module ${file} cannot be loaded: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return functionsOfModule(exports, file);
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

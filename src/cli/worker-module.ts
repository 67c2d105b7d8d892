// Loads the module `confn worker run` serves: a JavaScript module as it is, a TypeScript one through
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

const TYPESCRIPT = /\.[cm]?ts$/i;

async function importModule(url: string): Promise<Record<string, unknown>> {
  // TypeScript always through tsx's own namespace: a plain import() fails on .ts in compiled
  // confn, and under the loader confn's sources run with, a .ts module outside any "type": "module"
  // package is loaded as CommonJS and fails on its own `export`s (require of an ES module).
  if (TYPESCRIPT.test(new URL(url).pathname)) {
    const { tsImport } = await import("tsx/esm/api");
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
  return (await import(url)) as Record<string, unknown>;
}

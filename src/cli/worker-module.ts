// Loads the module `confn worker run` serves: a JavaScript module as it is, a TypeScript one through
// tsx (a dependency of confn) when this process cannot load .ts files by itself (it can when the
// command runs from its sources), then its FunctionDefinitions (src/worker checks their shape).
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

async function importModule(url: string): Promise<Record<string, unknown>> {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
    // Node remembers the failed import of this URL, so a second plain import would fail again:
    // tsx imports it under its own namespace instead.
    const { tsImport } = await import("tsx/esm/api");
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}

// The module `confn worker run` serves, loaded as a user writes it: a TypeScript file in a
// directory of its own (no package.json, so Node reads it as CommonJS), exporting its functions as
// the default export, whose `export default` then sits under the CommonJS exports' `default`. Loaded
// in a Node process of its own, as bin/confn.js runs confn's sources (vitest's own loader would read
// the file as ESM); compiled confn takes the same tsx path for TypeScript.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const LOADER = new URL("../../src/cli/worker-module.ts", import.meta.url).href;

const MODULE = `
const label = {
  toolchains: ["Kubernetes/YAML"],
  signature: { FunctionName: "owner-label", Description: "Sets the owner label", Mutating: true },
  invoke() {
    return {};
  },
};
export default [label];
`;

/** The names of the functions `file` (in `dir`) exports, loaded by confn's worker module loader. */
function loadedNames(file: string, dir: string): string[] {
  // As bin/confn.js runs confn's sources: tsx's ESM loader registered, nothing else.
  const script =
    'const { register } = await import("tsx/esm/api"); register();' +
    `const { loadWorkerModule } = await import(${JSON.stringify(LOADER)});` +
    `const functions = await loadWorkerModule(${JSON.stringify(file)}, ${JSON.stringify(dir)});` +
    "console.log(JSON.stringify(functions.map((f) => f.signature.FunctionName)));";
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return JSON.parse(out) as string[];
}

describe("a worker module outside any package", () => {
  const dir = mkdtempSync(join(tmpdir(), "confn-worker-module-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loads a TypeScript module's default export of functions", () => {
    writeFileSync(join(dir, "policy.ts"), MODULE.replace("invoke()", "invoke(): object"));
    expect(loadedNames("policy.ts", dir)).toEqual(["owner-label"]);
  });

  it("loads a JavaScript module's default export of functions, .mjs or .js", () => {
    writeFileSync(join(dir, "policy.mjs"), MODULE);
    expect(loadedNames("policy.mjs", dir)).toEqual(["owner-label"]);
    writeFileSync(join(dir, "plain.js"), MODULE);
    expect(loadedNames("plain.js", dir)).toEqual(["owner-label"]);
  });
});

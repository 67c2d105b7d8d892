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

const ENGINE = new URL("../../src/engine/index.ts", import.meta.url).href;

/**
 * What `then` (JavaScript over `functions`, the loaded definitions, and `engine`, confn's engine)
 * prints for the module `file` in `dir`, loaded by confn's worker module loader; by default the
 * names of its functions. A loader error prints `error: <message>`.
 */
function loaded(file: string, dir: string, then = "functions.map((f) => f.signature.FunctionName)"): unknown {
  // As bin/confn.js runs confn's sources: tsx's ESM loader registered, nothing else.
  const script =
    'const { register } = await import("tsx/esm/api"); register();' +
    `const { loadWorkerModule } = await import(${JSON.stringify(LOADER)});` +
    `const engine = await import(${JSON.stringify(ENGINE)});` +
    "let functions;" +
    `try { functions = await loadWorkerModule(${JSON.stringify(file)}, ${JSON.stringify(dir)}); }` +
    "catch (error) { console.log(JSON.stringify(`error: ${error.message}`)); process.exit(0); }" +
    `console.log(JSON.stringify(await (async () => ${then})()));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return JSON.parse(out) as unknown;
}

const loadedNames = (file: string, dir: string) => loaded(file, dir) as string[];

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

  // What the engine makes of the FunctionError the function throws: a failure it reports, with its
  // message, not a crash (the module's copy of the SDK may be another instance of the engine's code).
  const REPORTED =
    "engine.execute({ registry: engine.FunctionRegistry.from(functions), context: {}, " +
    "configData: 'a: 1\\n', invocations: [{ FunctionName: functions[0].signature.FunctionName, Arguments: [] }], " +
    "options: { numFilters: 0, stopOnError: false, combineValidationResults: false, castStringArgsToScalars: true } })" +
    ".then((r) => r.errors.map((e) => `${e.code}: ${e.message}`))";

  it("resolves confn/worker to the confn that loads it, wherever the module lives", () => {
    const policy = `import { FunctionError, type FunctionDefinition } from "confn/worker";
const deny: FunctionDefinition = {
  toolchains: ["Kubernetes/YAML"],
  signature: { FunctionName: "deny", Description: "Always fails" },
  invoke() {
    throw new FunctionError("denied by policy");
  },
};
export default [deny];
`;
    writeFileSync(join(dir, "deny.ts"), policy);
    expect(loadedNames("deny.ts", dir)).toEqual(["deny"]);
    expect(loaded("deny.ts", dir, REPORTED)).toEqual(["FUNCTION_FAILED: denied by policy"]);
    writeFileSync(
      join(dir, "deny.mjs"),
      policy.replace(", type FunctionDefinition", "").replace(": FunctionDefinition", ""),
    );
    expect(loaded("deny.mjs", dir, REPORTED)).toEqual(["FUNCTION_FAILED: denied by policy"]);
  });

  it("names a module it cannot load without the loader's internals", () => {
    writeFileSync(join(dir, "missing-import.ts"), 'import "./nowhere.ts";\nexport default [];\n');
    const message = loaded("missing-import.ts", dir) as string;
    expect(message).toMatch(/^error: worker module missing-import.ts cannot be loaded: /);
    expect(message).toContain("nowhere.ts");
    expect(message).not.toContain("?namespace=");
  });
});

// The layer rules `npm run lint` enforces (CONTRIBUTING "Which layer may import which"), run through
// ESLint's API on sources placed, in name only, inside each layer.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: new URL("../..", import.meta.url).pathname });

/** The rule ids ESLint reports for `code` as if it were the file at `path`. */
async function violations(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

const restricted = "import-x/no-restricted-paths";

describe("layer rules", () => {
  it.each([
    ["src/engine/probe.ts", 'export { openDatabase } from "../store/index.ts";\n'],
    ["src/engine/probe.ts", 'export { badRequest } from "../api/errors.ts";\n'],
    ["functions/probe.ts", 'export { getSpace } from "../src/store/index.ts";\n'],
    ["src/config/probe.ts", 'export { execute } from "../engine/index.ts";\n'],
    ["src/config/probe.ts", 'export { parseWhere } from "../filter/index.ts";\n'],
    ["src/cli/probe.ts", 'export { parsePath } from "../config/path/parse-path.ts";\n'],
    ["src/api/probe.ts", 'export { getSpace } from "../store/spaces.ts";\n'],
    ["functions/probe.ts", 'export { execute } from "../src/engine/executor/execute.ts";\n'],
    ["console/probe.ts", 'export { parseWhere } from "../src/filter/index.ts";\n'],
    ["console/probe.ts", 'export { badRequest } from "../src/api/errors.ts";\n'],
    ["src/api/probe.ts", 'export { api } from "../../console/api.ts";\n'],
  ])("%s may not import %s", async (path, code) => {
    expect(await violations(path, code)).toEqual([restricted]);
  });

  it.each([
    "src/engine/probe.ts",
    "functions/probe.ts",
    "src/config/probe.ts",
    "src/invoke/probe.ts",
    "console/probe.ts",
  ])("%s may not use Fastify", async (path) => {
    expect(await violations(path, 'export { fastify } from "fastify";\n')).toEqual(["no-restricted-imports"]);
  });

  it.each([
    ["src/engine/probe.ts", 'export { parsePath } from "../config/index.ts";\n'],
    ["functions/probe.ts", 'export { execute } from "../src/engine/index.ts";\n'],
    ["src/api/probe.ts", 'export { getSpace } from "../store/index.ts";\n'],
    ["src/engine/probe.ts", 'export { goJson } from "./outputs/go-json.ts";\n'],
    ["test/probe.ts", 'export { getSpace } from "../src/store/spaces.ts";\n'],
    ["console/probe.ts", 'export { structuredPatch } from "diff";\n'],
  ])("%s may import %s", async (path, code) => {
    expect(await violations(path, code)).toEqual([]);
  });
});

// scripts/check-import-cycles.js, run by `npm run lint`: any cycle of imports between files fails it,
// type-only imports included; an acyclic tree passes.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const script = new URL("../../scripts/check-import-cycles.js", import.meta.url).pathname;
const trees: string[] = [];

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "confn-cycles-"));
  trees.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function check(root: string): { status: number; stderr: string } {
  try {
    execFileSync(process.execPath, [script, root], { stdio: "pipe" });
    return { status: 0, stderr: "" };
  } catch (error) {
    const failure = error as { status: number; stderr: Buffer };
    return { status: failure.status, stderr: failure.stderr.toString() };
  }
}

afterEach(() => {
  for (const root of trees.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe("check-import-cycles", () => {
  it("passes a tree without cycles", () => {
    const root = tree({
      "src/a.ts": 'import { b } from "./b.ts";\nexport const a = b;\n',
      "src/b.ts": "export const b = 1;\n",
    });
    expect(check(root)).toEqual({ status: 0, stderr: "" });
  });

  it("fails on a cycle through three files, naming them", () => {
    const root = tree({
      "src/a.ts": 'import { b } from "./b.ts";\nexport const a = b;\n',
      "src/b.ts": 'import { c } from "../functions/c.ts";\nexport const b = c;\n',
      "functions/c.ts": 'import { a } from "../src/a.ts";\nexport const c = () => a;\n',
    });
    const result = check(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("import cycle between: functions/c.ts, src/a.ts, src/b.ts");
  });

  it("counts type-only imports", () => {
    const root = tree({
      "src/a.ts": 'import type { B } from "./b.ts";\nexport type A = B[];\n',
      "src/b.ts": 'import type { A } from "./a.ts";\nexport type B = { a: A };\n',
    });
    expect(check(root).status).toBe(1);
  });
});

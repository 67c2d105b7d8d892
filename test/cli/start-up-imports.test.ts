// Issue 16 §1, as a structural guard beside `npm run bench -- cli`: what a command loads when it
// starts is the graph of its modules' runtime imports (static `import`/`export ... from`, not
// `import type` and not `import()`, which loads on demand). `confn --help` must load commander and
// nothing heavy; `confn do` must not load the database, the server, CEL or the schema validators.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Every module file and bare package `entry` loads at start, following runtime imports only. */
function startUpGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [resolve(root, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
    for (const statement of source.statements) {
      let specifier: string | undefined;
      if (ts.isImportDeclaration(statement)) {
        const clause = statement.importClause;
        // Only `import type` is erased: with verbatimModuleSyntax, `import { type A }` still loads the module.
        const typeOnly = clause?.isTypeOnly === true;
        if (!typeOnly) specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
      } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly) {
        specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
      }
      if (specifier === undefined || specifier.startsWith("node:")) continue;
      if (specifier.startsWith(".")) {
        const target = resolve(dirname(file), specifier);
        if (target.endsWith(".ts") && existsSync(target)) queue.push(target);
      } else {
        packages.add(
          specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!,
        );
      }
    }
  }
  return { files, packages };
}

const HEAVY = [
  "kysely",
  "pg",
  "@electric-sql/pglite",
  "fastify",
  "@bufbuild/cel",
  "ajv",
  "jq-wasm",
  "peggy",
  "transliteration",
  "kubernetes-models",
];

describe("what a CLI call loads at start", () => {
  it("confn --help loads commander and the command table only", () => {
    const { files, packages } = startUpGraph("src/cli/main.ts");
    expect([...packages]).toEqual(["commander"]);
    expect([...files].map((f) => f.slice(root.length)).sort()).toEqual([
      "src/api/version.ts",
      "src/cli/cli-error.ts",
      "src/cli/main.ts",
    ]);
  });

  it("confn do and confn render load neither the database, the server, CEL nor schema validators", () => {
    for (const entry of ["src/cli/commands/do.ts", "src/cli/commands/render.ts"]) {
      const { files, packages } = startUpGraph(entry);
      expect(
        HEAVY.filter((p) => packages.has(p)),
        entry,
      ).toEqual([]);
      const layers = [...files]
        .map((f) => f.slice(root.length))
        .filter((f) => /^src\/(store|api\/(?!version)|invoke)/.test(f));
      expect(layers, entry).toEqual([]);
      expect(files.has(join(root, "functions/generic/cel/cel-program.ts")), entry).toBe(false);
    }
  });
});

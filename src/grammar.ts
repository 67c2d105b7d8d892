// Peggy grammars, from grammar/*.peggy. In the sources they are compiled at first use and cached, so
// no generated parser can go stale against its grammar. `npm run build` also writes each compiled
// parser beside its grammar in dist/grammar/ (writeCompiledGrammars), and a build loads that
// instead: generating a parser costs more CPU than the rest of a small CLI call (issue 16 §1).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type peggyModule from "peggy";

export interface GrammarParser {
  parse(input: string, options?: Record<string, unknown>): unknown;
}

/** Each grammar with its extra entry points (peggy's allowedStartRules; the first is the default). */
const GRAMMARS = {
  hcl: ["File", "LoneExpression", "LoneTemplate"],
  path: ["Path", "PathPrefix"],
  where: undefined,
  "where-data": undefined,
} as const satisfies Record<string, readonly string[] | undefined>;

export type GrammarName = keyof typeof GRAMMARS;

const cache = new Map<GrammarName, GrammarParser>();
const require = createRequire(import.meta.url);
const grammarDir = fileURLToPath(new URL("../grammar/", import.meta.url));

/** Returns the parser for grammar/<name>.peggy. */
export function loadGrammar(name: GrammarName): GrammarParser {
  let parser = cache.get(name);
  if (!parser) {
    const compiled = join(grammarDir, `${name}.cjs`);
    parser = existsSync(compiled) ? (require(compiled) as GrammarParser) : generate(name, "parser");
    cache.set(name, parser);
  }
  return parser;
}

/** Writes <name>.cjs, the compiled parser, for every grammar into `dir` (the build's grammar/). */
export function writeCompiledGrammars(dir: string): void {
  for (const name of Object.keys(GRAMMARS) as GrammarName[]) {
    writeFileSync(join(dir, `${name}.cjs`), generate(name, "source"));
  }
}

function generate(name: GrammarName, output: "parser"): GrammarParser;
function generate(name: GrammarName, output: "source"): string;
function generate(name: GrammarName, output: "parser" | "source"): GrammarParser | string {
  // Peggy (CommonJS) is required here, not when this module loads: a build never needs it.
  const peggy = require("peggy") as typeof peggyModule;
  const source = readFileSync(join(grammarDir, `${name}.peggy`), "utf8");
  const allowedStartRules = GRAMMARS[name] ? [...GRAMMARS[name]] : undefined;
  const options = {
    grammarSource: `grammar/${name}.peggy`,
    ...(allowedStartRules ? { allowedStartRules } : {}),
  };
  return output === "source"
    ? peggy.generate(source, { ...options, output: "source", format: "commonjs" })
    : (peggy.generate(source, options) as GrammarParser);
}

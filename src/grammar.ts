// Peggy grammars are compiled from grammar/*.peggy at first use and cached, so no generated parser
// can go stale against its grammar and no build step is needed (compilation takes milliseconds).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import peggy from "peggy";

export interface GrammarParser {
  parse(input: string, options?: { startRule?: string }): unknown;
}

const cache = new Map<string, GrammarParser>();

/** Returns the parser for grammar/<name>.peggy; `allowedStartRules` lists extra entry points. */
export function loadGrammar(name: string, allowedStartRules?: string[]): GrammarParser {
  const key = `${name}:${(allowedStartRules ?? []).join(",")}`;
  let parser = cache.get(key);
  if (!parser) {
    const file = fileURLToPath(new URL(`../grammar/${name}.peggy`, import.meta.url));
    const source = readFileSync(file, "utf8");
    parser = peggy.generate(source, {
      grammarSource: `grammar/${name}.peggy`,
      ...(allowedStartRules ? { allowedStartRules } : {}),
    }) as GrammarParser;
    cache.set(key, parser);
  }
  return parser;
}

// The one way confn runs the `yaml` package's Parser (text to CST tokens). That Parser reads
// `process.env.LOG_TOKENS` (a debugging switch of its own) for every token it yields, and in Node
// `process.env` is no plain object: each read is a call into C++ and, on the main thread, a scan
// of the C library's environment (getenv). Measured on ~1 KB manifests: a fifth to a quarter of a
// whole parse, on the main thread and on engine threads alike. So while it tokenises, `process.env`
// is a plain object holding just that switch, read once; the real one is back before anything else
// can run (the parse is synchronous, and the Parser reads no other variable).
import { Parser, type CST } from "yaml";

export function yamlTokens(text: string, onNewLine?: (offset: number) => void): CST.Token[] {
  const env = process.env;
  const switches: NodeJS.ProcessEnv = {};
  const logTokens = env.LOG_TOKENS;
  if (logTokens !== undefined) switches.LOG_TOKENS = logTokens;
  process.env = switches;
  try {
    return Array.from(new Parser(onNewLine).parse(text));
  } finally {
    process.env = env;
  }
}

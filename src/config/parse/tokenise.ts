// The first, bounded step of parsing a Unit: size and nesting depth are checked before anything
// recursive (the YAML composer, toJS, CST stringify) sees the text, so oversized or deeply nested
// input is a ConfigError naming the limit (`too-large`, `too-deep`), never a stack overflow. The
// `yaml` package's parser is iterative; the nesting walk is too.
import type { CST } from "yaml";
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import { tooDeepError } from "../document/document-state.ts";
import { lexYaml, type LexedYaml } from "./lex-yaml.ts";
import type { ParseLimits } from "./limits.ts";
import { inspectNesting } from "./nesting-guard.ts";
import { SourceLocator } from "./source-position.ts";

export interface TokenisedUnit {
  readonly tokens: CST.Token[];
  readonly lineCounter: LexedYaml["lineCounter"];
  readonly documentTokens: CST.Document[];
  readonly locator: SourceLocator;
  /** Documents that use aliases (the costlier alias checks run on these only). */
  readonly withAliases: ReadonlySet<CST.Document>;
}

function utf8Length(text: string, limit: number): number {
  // Every UTF-16 code unit is at most 3 UTF-8 bytes: skip the exact count when that cannot matter.
  return text.length * 3 <= limit ? text.length : Buffer.byteLength(text, "utf8");
}

/** Tokenises a Unit text; throws a ConfigError if it is larger or nested deeper than `limits`. */
export function tokeniseWithinLimits(text: string, limits: ParseLimits): TokenisedUnit {
  const size = utf8Length(text, limits.maxBytes);
  if (size > limits.maxBytes) {
    throw new ConfigError(
      ConfigErrorCode.TooLarge,
      `config data is ${size} bytes, more than the limit of ${limits.maxBytes} bytes`,
    );
  }
  // Lexed as ConfigHub reads it (`---#` is a separator and a comment), with offsets into `text`.
  const { tokens, lineCounter } = lexYaml(text);
  const documentTokens = tokens.filter((t): t is CST.Document => t.type === "document");
  const locator = new SourceLocator(
    lineCounter,
    documentTokens.map((t) => t.offset),
  );
  const withAliases = new Set<CST.Document>();
  for (const token of documentTokens) {
    const nesting = inspectNesting(token, limits.maxDepth);
    if (nesting.tooDeepAt !== undefined) throw tooDeepError(locator, nesting.tooDeepAt, limits.maxDepth);
    if (nesting.hasAliases) withAliases.add(token);
  }
  return { tokens, lineCounter, documentTokens, locator, withAliases };
}

/** Throws the ConfigError `tokeniseWithinLimits` would: for checks that parse the text elsewhere. */
export function checkWithinLimits(text: string, limits: ParseLimits): void {
  tokeniseWithinLimits(text, limits);
}

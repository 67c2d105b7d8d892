// Splits a Unit text into its YAML documents without losing a byte: each document keeps the
// top-level tokens that precede it (comments before the first document, `...` markers, directives),
// and whatever follows the last document is kept as the trailing tokens.
import { Composer, CST } from "yaml";
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import { checkAliases, DocumentState, tooDeepError } from "../document/document-state.ts";
import { composeOptions } from "./compose-options.ts";
import { lexYaml } from "./lex-yaml.ts";
import type { ParseLimits } from "./limits.ts";
import { inspectNesting } from "./nesting-guard.ts";
import { SourceLocator } from "./source-position.ts";
import { configErrorFromYaml } from "./yaml-errors.ts";

export interface ParsedSlot {
  /** Top-level tokens between the previous document and this one. */
  readonly leading: CST.Token[];
  readonly state: DocumentState;
}

export interface ParsedUnit {
  readonly slots: ParsedSlot[];
  readonly trailing: CST.Token[];
}

function utf8Length(text: string, limit: number): number {
  // Every UTF-16 code unit is at most 3 UTF-8 bytes: skip the exact count when that cannot matter.
  return text.length * 3 <= limit ? text.length : Buffer.byteLength(text, "utf8");
}

/** Parses a Unit text; throws a ConfigError with line/column for anything it cannot accept. */
export function parseUnit(text: string, limits: ParseLimits): ParsedUnit {
  const size = utf8Length(text, limits.maxBytes);
  if (size > limits.maxBytes) {
    throw new ConfigError(
      ConfigErrorCode.TooLarge,
      `config data is ${size} bytes, more than the limit of ${limits.maxBytes} bytes`,
    );
  }
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

  const composer = new Composer(composeOptions);
  const documents = Array.from(composer.compose(tokens));
  const errors = [...documents.flatMap((d) => d.errors), ...composer.streamInfo().errors];
  if (errors.length > 0) {
    const first = errors.reduce((a, b) => (b.pos[0] < a.pos[0] ? b : a));
    throw configErrorFromYaml(first, text, locator);
  }
  if (documents.length !== documentTokens.length) {
    throw new ConfigError(
      ConfigErrorCode.Syntax,
      `invalid YAML: found ${documentTokens.length} documents but composed ${documents.length}`,
    );
  }

  const slots: ParsedSlot[] = [];
  let pending: CST.Token[] = [];
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    if (token.type !== "document") {
      pending.push(token);
      continue;
    }
    const index = slots.length;
    const firstDirective = pending.findIndex((t) => t.type === "directive");
    const prelude =
      firstDirective < 0
        ? ""
        : pending
            .slice(firstDirective)
            .map((t) => CST.stringify(t))
            .join("");
    const origin = { documentIndex: index, line: lineCounter.linePos(token.offset).line };
    // The document's text is the input between its first token and the next top-level token.
    const end = tokens[t + 1]?.offset ?? text.length;
    const state = new DocumentState(
      { token, document: documents[index]! },
      prelude,
      limits,
      origin,
      text.slice(token.offset, end),
    );
    if (withAliases.has(token)) checkAliases(state, locator);
    slots.push({ leading: pending, state });
    pending = [];
  }
  return { slots, trailing: pending };
}

// Stage 1 of `where`: text -> syntax tree (grammar/where.peggy). Only the shape is checked here;
// attribute names and types are checked against a catalogue in check.ts.
import { loadGrammar } from "../../grammar.ts";
import { FilterError, FilterErrorCode } from "../errors.ts";
import { fromPeggyError, isPeggySyntaxError } from "../syntax-error.ts";
import { operatorSpellings, whereNodes, type WhereNode } from "./ast.ts";

/** ConfigHub's limit on a whole `where` expression (spec/functions.md §2.6). */
export const MAX_WHERE_LENGTH = 4096;

type WhereParser = (
  input: string,
  options: { nodes: typeof whereNodes; operators: typeof operatorSpellings },
) => WhereNode;

export function parseWhere(source: string): WhereNode {
  if (source.length > MAX_WHERE_LENGTH) {
    throw new FilterError({
      code: FilterErrorCode.TooLong,
      language: "where",
      source,
      problem: `expression is ${source.length} characters long`,
      hint: `the limit is ${MAX_WHERE_LENGTH}`,
    });
  }
  const parse = loadGrammar("where").parse as unknown as WhereParser;
  try {
    return parse(source, { nodes: whereNodes, operators: operatorSpellings });
  } catch (error) {
    if (isPeggySyntaxError(error)) {
      throw fromPeggyError(error, {
        language: "where",
        source,
        custom: {
          "unterminated string literal": {
            code: FilterErrorCode.UnterminatedString,
            hint: "end it with a single quote; write a quote inside a string as ''",
          },
        },
      });
    }
    throw error;
  }
}

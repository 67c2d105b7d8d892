// Stage 1 of `where`: text -> syntax tree (grammar/where.peggy). Only the shape is checked here;
// attribute names and types are checked against a catalogue in check.ts.
import { loadGrammar } from "../../grammar.ts";
import { checkExpressionLength } from "../expression-length.ts";
import { FilterErrorCode } from "../errors.ts";
import { checkNoNulCharacter } from "../nul-character.ts";
import { fromPeggyError, isPeggySyntaxError } from "../syntax-error.ts";
import { binaryOperatorSpellings } from "../operators.ts";
import { whereNodes, type WhereNode } from "./ast.ts";

/** ConfigHub's limit on a whole `where` expression (spec/functions.md §2.6). */
export const MAX_WHERE_LENGTH = 4096;

type WhereParser = (
  input: string,
  options: { nodes: typeof whereNodes; operators: typeof binaryOperatorSpellings },
) => WhereNode;

export function parseWhere(source: string): WhereNode {
  checkExpressionLength("where", source, MAX_WHERE_LENGTH);
  checkNoNulCharacter("where", source);
  const parse = loadGrammar("where").parse as unknown as WhereParser;
  try {
    return parse(source, { nodes: whereNodes, operators: binaryOperatorSpellings });
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

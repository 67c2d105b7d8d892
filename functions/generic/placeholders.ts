// Placeholder functions (spec §5.1): find the values still to be filled in, validate that none are
// left, and replace text inside string values.
import type { FunctionDefinition } from "../../src/engine/index.ts";
import { getPlaceholders } from "./placeholders/get-placeholders.ts";
import { noPlaceholders } from "./placeholders/no-placeholders.ts";
import { searchReplace } from "./placeholders/search-replace.ts";

export const placeholderFunctions: readonly FunctionDefinition[] = [
  getPlaceholders,
  noPlaceholders,
  searchReplace,
];

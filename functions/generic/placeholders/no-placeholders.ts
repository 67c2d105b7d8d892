// no-placeholders: validation that passes when no attribute holds a placeholder; the ones that do
// are the failed attributes (spec §5.1).
import { defineFunction } from "../../../src/engine/index.ts";
import type { ValidationResult } from "../../../src/engine/index.ts";
import { findPlaceholders } from "./find-placeholders.ts";
import { GENERIC_TOOLCHAINS } from "../generic-toolchains.ts";

export const noPlaceholders = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: {
    FunctionName: "no-placeholders",
    Description:
      "Returns true if no attributes contain the placeholder string 'confighubplaceholder' or number 999999999",
    OutputInfo: {
      ResultName: "passed",
      Description: "True if no placeholders remain, false otherwise",
      OutputType: "ValidationResult",
    },
    AffectedResourceTypes: ["*"],
  },
  invoke({ data }) {
    const found = findPlaceholders(data);
    // The engine sets Index to the invocation's position where a list of results needs it.
    const result: ValidationResult = { Passed: found.length === 0, Index: 0 };
    if (found.length > 0) result.FailedAttributes = found;
    return { output: result };
  },
});

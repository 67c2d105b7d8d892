// get-placeholders: the attributes that still hold placeholder values (spec §5.1).
import { defineFunction } from "../../../src/engine/index.ts";
import { findPlaceholders } from "./find-placeholders.ts";
import { GENERIC_TOOLCHAINS } from "../generic-toolchains.ts";

export const getPlaceholders = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: {
    FunctionName: "get-placeholders",
    Description:
      "Returns a list of attributes containing the placeholder string 'confighubplaceholder' or number 999999999",
    OutputInfo: {
      ResultName: "path",
      Description: "Resource paths containing placeholder values",
      OutputType: "AttributeValueList",
    },
    AffectedResourceTypes: ["*"],
  },
  invoke({ data }) {
    return { output: findPlaceholders(data) };
  },
});

// validate for AppConfig/Properties (spec §5 "Toolchains": "Properties adds validate, which always
// returns {Passed:true}"): a properties file has no schema to check against; the data has already
// been parsed (a malformed one never reaches a function), so it passes.
import { defineFunction, type FunctionDefinition, type ValidationResult } from "../../src/engine/index.ts";

export const validateProperties = defineFunction({
  toolchains: ["AppConfig/Properties"],
  signature: {
    FunctionName: "validate",
    Description: "Returns true if schema passes validation",
    OutputInfo: {
      ResultName: "passed",
      Description: "True if schema passes validation, false otherwise",
      OutputType: "ValidationResult",
    },
    Validating: true,
    AffectedResourceTypes: ["*"],
  },
  invoke() {
    const result: ValidationResult = { Passed: true, Index: 0 };
    return { output: result };
  },
});

export const propertiesFunctions: readonly FunctionDefinition[] = [validateProperties];

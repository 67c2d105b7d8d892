// FunctionSignature: ConfigHub's `where` attributes for function listings. Signatures live in the
// function registry, not in a table, so this catalogue is evaluated in memory (evaluateWhere).
import { defineCatalogue } from "./define.ts";

export const functionSignatureCatalogue = defineCatalogue({
  entity: "FunctionSignature",
  attributes: {
    AttributeName: "string",
    Description: "string",
    FunctionName: "string",
    FunctionType: "string",
    Hermetic: "bool",
    Idempotent: "bool",
    Mutating: "bool",
    // OutputInfo is absent on functions without output, hence nullable.
    "OutputInfo.Description": "string?",
    "OutputInfo.OutputType": "string?",
    "OutputInfo.ResultName": "string?",
    RequiredParameters: "int",
    ToolchainType: "string",
    Validating: "bool",
    VarArgs: "bool",
  },
});

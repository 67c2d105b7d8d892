// Checks a function's output against its declared OutputType before it is combined, so a function bug
// surfaces as an error on that function rather than as a malformed response.
import { EngineError } from "../errors.ts";
import { LIST_OUTPUT_TYPES } from "../types.ts";
import type { OutputType, ValidationResult } from "../types.ts";

export function checkOutput(
  functionName: string,
  index: number,
  outputType: OutputType,
  output: unknown,
): unknown {
  const fail = (message: string): never => {
    throw new EngineError("INVALID_OUTPUT", message, { functionName, index });
  };
  if (outputType === "ValidationResult") {
    if (!isRecord(output) || typeof output.Passed !== "boolean") {
      fail("validating functions must return type ValidationResult");
    }
    const result = output as unknown as ValidationResult;
    // Go's zero value: a function that leaves Index out reports 0.
    return typeof result.Index === "number" ? result : { ...result, Index: 0 };
  }
  if (LIST_OUTPUT_TYPES.has(outputType)) {
    if (!Array.isArray(output))
      fail(`function ${functionName} must return a JSON array for output type ${outputType}`);
    return output;
  }
  if (outputType === "YAML" && (!isRecord(output) || typeof output.Payload !== "string")) {
    fail(`function ${functionName} must return {"Payload": string} for output type YAML`);
  }
  return output;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

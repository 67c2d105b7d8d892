// is-approved (spec §5.1): the data is approved when it is still the data that was approved (its
// CRC-32 equals the context's PreviousContentHash: approvals are for that content) and at least
// num-approvers people approved it. A failed check says which of the two is missing in Details.
import { crc32 } from "node:zlib";
import { defineFunction, type FunctionDefinition } from "../../src/engine/index.ts";
import type { ValidationResult } from "../../src/engine/index.ts";
import { GENERIC_TOOLCHAINS } from "./generic-toolchains.ts";

export const isApproved = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: {
    FunctionName: "is-approved",
    Description: "Returns true if sufficient approvers are present",
    Parameters: [
      { ParameterName: "num-approvers", Description: "Number of approvers", Required: true, DataType: "int" },
    ],
    OutputInfo: {
      ResultName: "passed",
      Description: "True if approvers are present, false otherwise",
      OutputType: "ValidationResult",
    },
    Validating: true,
    AffectedResourceTypes: ["*"],
  },
  invoke({ data, args, context }) {
    const required = args.int("num-approvers");
    // CRC-32 (IEEE) read as a signed 32-bit integer, as ConfigHub stores ContentHash.
    const hash = crc32(data.toString()) | 0;
    if (hash !== context.PreviousContentHash) {
      return {
        output: failed(
          `the configuration data changed since it was approved (content hash ${hash}, approved content hash ${context.PreviousContentHash})`,
        ),
      };
    }
    const approvers = context.ApprovedBy?.length ?? 0;
    if (approvers < required) {
      return {
        output: failed(`${approvers} of ${required} required approvers approved the configuration data`),
      };
    }
    const result: ValidationResult = { Passed: true, Index: 0 };
    return { output: result };
  },
});

export const approvalFunctions: readonly FunctionDefinition[] = [isApproved];

function failed(detail: string): ValidationResult {
  return { Passed: false, Index: 0, Details: [detail] };
}

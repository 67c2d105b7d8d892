import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { isApproved } from "../../functions/generic/approval.ts";
import { FunctionRegistry, execute } from "../../src/engine/index.ts";
import type { ExecutionResult, FunctionContext } from "../../src/engine/index.ts";

const registry = FunctionRegistry.from([isApproved]);

const DATA = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings # reviewed
data:
  mode: fast
`;
const HASH = crc32(DATA) | 0;

async function run(
  context: Partial<FunctionContext>,
  args: (string | number)[],
  configData = DATA,
): Promise<ExecutionResult> {
  const result = await execute({
    registry,
    configData,
    context,
    invocations: [{ FunctionName: "is-approved", Arguments: args.map((Value) => ({ Value })) }],
    options: { combineValidationResults: true, castStringArgsToScalars: true },
  });
  expect(result.configData).toBe(configData);
  return result;
}

describe("is-approved", () => {
  it("passes when the data is the approved data and enough people approved it", async () => {
    const result = await run({ PreviousContentHash: HASH, ApprovedBy: ["ann", "bob"] }, ["2"]);
    expect(result.success).toBe(true);
    expect(result.output).toEqual({ Passed: true, Index: 0 });
    expect((await run({ PreviousContentHash: HASH, ApprovedBy: [] }, [0])).output).toEqual({
      Passed: true,
      Index: 0,
    });
  });

  it("fails, saying how many approved, when there are too few approvers", async () => {
    const result = await run({ PreviousContentHash: HASH, ApprovedBy: ["ann"] }, ["2"]);
    expect(result.success).toBe(true);
    expect(result.output).toEqual({
      Passed: false,
      Index: 0,
      Details: ["1 of 2 required approvers approved the configuration data"],
    });
    expect((await run({ PreviousContentHash: HASH, ApprovedBy: null }, ["1"])).output).toEqual({
      Passed: false,
      Index: 0,
      Details: ["0 of 1 required approvers approved the configuration data"],
    });
  });

  it("fails when the data changed since it was approved, whatever the approvals", async () => {
    const changed = DATA.replace("# reviewed", "# reviewed again");
    const result = await run({ PreviousContentHash: HASH, ApprovedBy: ["ann", "bob", "cy"] }, ["1"], changed);
    expect(result.output).toEqual({
      Passed: false,
      Index: 0,
      Details: [
        `the configuration data changed since it was approved (content hash ${crc32(changed) | 0}, approved content hash ${HASH})`,
      ],
    });
  });

  it("rejects a count that is not an integer, naming the argument", async () => {
    const result = await run({ PreviousContentHash: HASH, ApprovedBy: ["ann"] }, ["two"]);
    expect(result.success).toBe(false);
    expect(result.output).toBeNull();
    expect(result.errorMessages).toHaveLength(1);
    expect(result.errorMessages[0]).toMatch(/^cannot convert argument num-approvers value two to int/);
  });
});

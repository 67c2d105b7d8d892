// The engine's data-change triggers (ExecuteRequest.triggers) and per-step reports, which the
// invoke pipeline and the create/update trigger hook build on: triggers run last, phased, and only
// when the data changed; each step reports whether it ran, failed or was skipped, and its verdict.
import { describe, expect, it } from "vitest";
import { defineFunction, execute, FunctionError, FunctionRegistry } from "../../src/engine/index.ts";
import type { SavedInvocation } from "../../src/engine/index.ts";

const DATA = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: one\n";

const registry = FunctionRegistry.from([
  defineFunction({
    toolchains: ["Kubernetes/YAML"],
    signature: {
      FunctionName: "put",
      Description: "Sets data.<key> to <value> in every document",
      Mutating: true,
      Parameters: [
        { ParameterName: "key", Description: "key", Required: true, DataType: "string" },
        { ParameterName: "value", Description: "value", Required: true, DataType: "string" },
      ],
    },
    invoke({ data, args }) {
      for (const doc of data.documents)
        doc.set(`data.${args.string("key")}`, args.string("value"), { upsert: true });
    },
  }),
  defineFunction({
    toolchains: ["Kubernetes/YAML"],
    finalMutating: true,
    signature: { FunctionName: "stamp", Description: "Stamps data.stamped", Mutating: true },
    invoke({ data }) {
      for (const doc of data.documents) doc.set("data.stamped", "done", { upsert: true });
    },
  }),
  defineFunction({
    toolchains: ["Kubernetes/YAML"],
    signature: {
      FunctionName: "has-key",
      Description: "Passes when data.<key> exists",
      OutputInfo: { ResultName: "passed", Description: "", OutputType: "ValidationResult" },
      Parameters: [{ ParameterName: "key", Description: "key", Required: true, DataType: "string" }],
    },
    invoke({ data, args, index }) {
      const passed = data.documents.every((doc) => doc.get(`data.${args.string("key")}`) !== undefined);
      return { output: { Passed: passed, Index: index } };
    },
  }),
  defineFunction({
    toolchains: ["Kubernetes/YAML"],
    signature: { FunctionName: "boom", Description: "Always fails", Mutating: true },
    invoke() {
      throw new FunctionError("boom failed");
    },
  }),
]);

const trigger = (FunctionName: string, values: string[] = [], source = FunctionName): SavedInvocation => ({
  FunctionName,
  Arguments: values.map((Value) => ({ Value })),
  ToolchainType: "Kubernetes/YAML",
  source,
});

describe("engine data-change triggers", () => {
  it("do not run when the explicit functions leave the data unchanged", async () => {
    const result = await execute({
      registry,
      configData: DATA,
      invocations: [{ FunctionName: "has-key", Arguments: [{ Value: "a" }] }],
      triggers: [trigger("stamp"), trigger("has-key", ["stamped"])],
    });
    expect(result.configData).toBe(DATA);
    expect(result.steps.map((s) => [s.functionName, s.trigger, s.status])).toEqual([
      ["has-key", false, "ran"],
      ["stamp", true, "skipped"],
      ["has-key", true, "skipped"],
    ]);
  });

  it("run phased after a change, fold their edits into the result and report each verdict", async () => {
    const result = await execute({
      registry,
      configData: DATA,
      invocations: [{ FunctionName: "put", Arguments: [{ Value: "b" }, { Value: "two" }] }],
      // Listed validating-first: phasing runs the final-mutating stamp before both checks.
      triggers: [
        trigger("has-key", ["stamped"], "t1"),
        trigger("has-key", ["missing"], "t2"),
        trigger("stamp", [], "t3"),
      ],
    });
    expect(result.success).toBe(true);
    expect(result.configData).toContain("b: two");
    expect(result.configData).toContain("stamped: done");
    expect(result.mutators).toEqual([0, 1]);
    expect(result.steps.map((s) => [s.source, s.status, s.passed, s.mutated])).toEqual([
      [undefined, "ran", undefined, true],
      ["t3", "ran", undefined, true],
      ["t1", "ran", true, false],
      ["t2", "ran", false, false],
    ]);
  });

  it("measure the change against changedSince, so a create or update fires them on its new data", async () => {
    const result = await execute({
      registry,
      configData: DATA,
      invocations: [],
      triggers: [trigger("stamp")],
      changedSince: "",
    });
    expect(result.configData).toContain("stamped: done");
    expect(result.steps[0]).toMatchObject({ trigger: true, status: "ran", mutated: true });
  });

  it("report a failing step as failed and leave later steps to run", async () => {
    const result = await execute({
      registry,
      configData: DATA,
      invocations: [
        { FunctionName: "put", Arguments: [{ Value: "b" }, { Value: "two" }] },
        { FunctionName: "boom", Arguments: [] },
      ],
      triggers: [trigger("has-key", ["b"])],
    });
    expect(result.success).toBe(false);
    expect(result.steps.map((s) => s.status)).toEqual(["ran", "failed", "ran"]);
    expect(result.steps[2]!.passed).toBe(true);
  });
});

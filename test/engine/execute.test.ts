import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import {
  ConfigDataError,
  FunctionError,
  FunctionRegistry,
  InvocationRequestError,
  execute,
  toFunctionInvocationResponse,
} from "../../src/engine/index.ts";
import type {
  ExecuteRequest,
  FunctionCall,
  FunctionDefinition,
  FunctionInvocation,
  SignatureDeclaration,
} from "../../src/engine/index.ts";

const UNIT = `# the web app
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  replicas: 2 # keep this comment
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: prod
data:
  mode: fast
`;

/** Rewrites document `index` as YAML of `edit(value)`: enough editing power for engine tests. */
function rewrite(call: FunctionCall, index: number, edit: (value: Record<string, unknown>) => void): void {
  const value = structuredClone(call.data.documents[index]!.toJS()) as Record<string, unknown>;
  edit(value);
  call.data.replace(index, stringify(value));
}

const calls: string[] = [];

function fn(
  signature: SignatureDeclaration,
  invoke: FunctionDefinition["invoke"],
  extra: Partial<FunctionDefinition> = {},
): FunctionDefinition {
  return {
    toolchains: ["Kubernetes/YAML"],
    signature,
    invoke: (call) => {
      calls.push(`${call.functionName}@${call.index}`);
      return invoke(call);
    },
    ...extra,
  };
}

const validation = { ResultName: "passed", Description: "", OutputType: "ValidationResult" as const };
const int = (name: string) => ({
  ParameterName: name,
  Description: "",
  Required: true,
  DataType: "int" as const,
});
const str = (name: string) => ({
  ParameterName: name,
  Description: "",
  Required: true,
  DataType: "string" as const,
});

const registry = FunctionRegistry.from([
  fn(
    { FunctionName: "set-replicas", Description: "", Mutating: true, Parameters: [int("replicas")] },
    (call) => {
      rewrite(call, 0, (v) => ((v.spec as Record<string, unknown>).replicas = call.args.int("replicas")));
    },
  ),
  fn({ FunctionName: "set-mode", Description: "", Mutating: true, Parameters: [str("mode")] }, (call) => {
    rewrite(call, 1, (v) => ((v.data as Record<string, unknown>).mode = call.args.string("mode")));
  }),
  fn({ FunctionName: "touch-nothing", Description: "", Mutating: true }, () => {}),
  fn({ FunctionName: "rewrite-same", Description: "", Mutating: true }, (call) => {
    // Rewrites the second document with its own text: the bytes stay the same.
    call.data.replace(1, call.data.documents[1]!.toString());
  }),
  fn({ FunctionName: "half-then-fail", Description: "", Mutating: true }, (call) => {
    rewrite(call, 0, (v) => ((v.spec as Record<string, unknown>).replicas = 99));
    throw new FunctionError("resource with type apps/v1/Deployment and name prod/web not found");
  }),
  fn({ FunctionName: "crash", Description: "", Mutating: true }, (call) => {
    call.data.remove(0);
    (undefined as unknown as { x: number }).x = 1;
  }),
  fn({ FunctionName: "delete-settings", Description: "", Mutating: true }, (call) => call.data.remove(1)),
  fn({ FunctionName: "sneaky-get", Description: "" }, (call) => {
    call.data.remove(1);
  }),
  fn(
    { FunctionName: "check-replicas", Description: "", OutputInfo: validation, Parameters: [int("min")] },
    (call) => {
      const replicas = (call.data.documents[0]!.toJS() as { spec: { replicas: number } }).spec.replicas;
      const passed = replicas >= call.args.int("min");
      return { output: passed ? { Passed: true } : { Passed: false, Details: [`replicas ${replicas}`] } };
    },
  ),
  fn({ FunctionName: "bad-validator", Description: "", OutputInfo: validation }, () => ({ output: [1] })),
  fn(
    {
      FunctionName: "get-names",
      Description: "",
      OutputInfo: { ResultName: "names", Description: "", OutputType: "AttributeValueList" },
    },
    (call) => ({
      output: call.data.documents.map((d) => ({
        Path: "metadata.name",
        Value: d.identity().nameWithoutScope,
      })),
    }),
  ),
  fn(
    { FunctionName: "stamp", Description: "", Mutating: true },
    (call) => {
      rewrite(call, 1, (v) => ((v.data as Record<string, unknown>).stamped = `after ${calls.length} calls`));
    },
    { finalMutating: true },
  ),
]);

const invoke = (name: string, ...values: (string | number)[]): FunctionInvocation => ({
  FunctionName: name,
  Arguments: values.map((Value) => ({ Value })),
});

async function run(invocations: FunctionInvocation[], extra: Partial<ExecuteRequest> = {}) {
  calls.length = 0;
  return execute({ registry, configData: UNIT, invocations, ...extra });
}

describe("executor", () => {
  it("runs the explicit list in order and records mutations and mutators", async () => {
    const result = await run([invoke("set-replicas", "4"), invoke("get-names"), invoke("set-mode", "slow")]);
    expect(result.success).toBe(true);
    expect(calls).toEqual(["set-replicas@0", "get-names@1", "set-mode@2"]);
    expect(result.mutators).toEqual([0, 2]);
    expect(parse(result.configData.split("---\n")[0]!)).toMatchObject({ spec: { replicas: 4 } });
    expect(
      result.mutations.map((m) => [m.Resource.ResourceName, m.ResourceMutationInfo.MutationType]),
    ).toEqual([
      ["prod/web", "Update"],
      ["prod/settings", "Update"],
    ]);
    expect(result.mutations[0]!.PathMutationMap).toEqual({
      "spec.replicas": { MutationType: "Update", Index: 0, Predicate: true, Value: "4\n" },
    });
    expect(result.mutations[1]!.ResourceMutationInfo.Index).toBe(2);
    expect(result.hasNewMutations).toBe(true);
    expect(result.outputType).toBe("AttributeValueList");
    expect(result.output).toEqual([
      { Path: "metadata.name", Value: "web" },
      { Path: "metadata.name", Value: "settings" },
    ]);
  });

  it("leaves the bytes untouched and lists no mutator when a function changes nothing", async () => {
    const result = await run([invoke("touch-nothing"), invoke("rewrite-same")]);
    expect(result.configData).toBe(UNIT);
    expect(result.dataChanged).toBe(false);
    expect(result.mutators).toEqual([]);
    expect(result.mutations).toEqual([]);
    expect(result.hasNewMutations).toBe(false);
  });

  it("makes each function atomic: a failure leaves the data exactly as before it", async () => {
    const result = await run([invoke("set-mode", "slow"), invoke("half-then-fail"), invoke("crash")]);
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual([
      "resource with type apps/v1/Deployment and name prod/web not found",
      "function crash failed unexpectedly: Cannot set properties of undefined (setting 'x')",
    ]);
    expect(result.errors.map((e) => [e.code, e.functionName, e.index])).toEqual([
      ["FUNCTION_FAILED", "half-then-fail", 1],
      ["FUNCTION_CRASHED", "crash", 2],
    ]);
    const alone = await run([invoke("set-mode", "slow")]);
    expect(result.configData).toBe(alone.configData);
    expect(result.mutators).toEqual([0]);
  });

  it("undoes and reports an edit by a non-mutating function", async () => {
    const result = await run([invoke("sneaky-get")]);
    expect(result.configData).toBe(UNIT);
    expect(result.success).toBe(false);
    expect(result.errors[0]!.code).toBe("READ_ONLY_DATA");
  });

  it("stops at the first error only with StopOnError", async () => {
    const keepGoing = await run([invoke("nope"), invoke("set-replicas", "x"), invoke("get-names")]);
    expect(keepGoing.errorMessages).toEqual([
      "invoke nope: function does not exist",
      'cannot convert argument replicas value x to int: "x" is not a whole number (digits with an optional sign, e.g. 3)',
    ]);
    expect(calls).toEqual(["get-names@2"]);
    const stop = await run([invoke("nope"), invoke("get-names")], { options: { stopOnError: true } });
    expect(stop.errorMessages).toEqual(["invoke nope: function does not exist"]);
    expect(calls).toEqual([]);
    expect(stop.output).toBeNull();
  });

  it("treats the first NumFilters validating functions as filters", async () => {
    const stopped = await run([invoke("check-replicas", "5"), invoke("set-replicas", "7")], {
      options: { numFilters: 1 },
    });
    expect(stopped).toMatchObject({
      success: true,
      filteredOut: true,
      mutators: [],
      errorMessages: [],
      output: null,
    });
    expect(stopped.configData).toBe(UNIT);

    const passed = await run([invoke("check-replicas", "1"), invoke("set-replicas", "7")], {
      options: { numFilters: 1, combineValidationResults: true },
    });
    expect(passed.filteredOut).toBe(false);
    expect(passed.mutators).toEqual([1]);
    expect(passed.outputType).toBe("ValidationResult");
    expect(passed.output).toEqual({ Passed: true, Index: 0 });
  });

  it("reports a failed validation as output and message, not as Success=false (design §9)", async () => {
    const result = await run([invoke("check-replicas", "1"), invoke("check-replicas", "3")], {
      context: { UnitID: "5837950a-619e-44da-9b75-f957c2aee14c" },
    });
    expect(result.success).toBe(true);
    expect(result.outputType).toBe("ValidationResultList");
    expect(result.output).toEqual([
      { Passed: true, Index: 0 },
      { Passed: false, Index: 1, Details: ["replicas 2"] },
    ]);
    expect(result.errorMessages).toEqual([
      "function failed: check-replicas at 1 on 5837950a-619e-44da-9b75-f957c2aee14c",
    ]);
  });

  it("rejects a validating function whose output is not a ValidationResult", async () => {
    const result = await run([invoke("bad-validator")]);
    expect(result.errorMessages).toEqual(["validating functions must return type ValidationResult"]);
    expect(result.errors[0]!.code).toBe("INVALID_OUTPUT");
  });

  it("tracks a deleted resource", async () => {
    const result = await run([invoke("set-mode", "slow"), invoke("delete-settings")]);
    expect(result.mutations[1]).toMatchObject({
      Resource: { ResourceName: "prod/settings" },
      ResourceMutationInfo: { MutationType: "Delete", Index: 1 },
    });
    expect(parse(result.mutations[1]!.ResourceMutationInfo.Value)).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: "prod" },
      data: { mode: "slow" },
    });
  });

  it("runs saved invocations after the explicit list: general, then final-mutating, then validating", async () => {
    const result = await run([invoke("get-names")], {
      saved: [
        { ...invoke("check-replicas", "1"), source: "trigger a" },
        invoke("stamp"),
        invoke("set-replicas", "3"),
        { ...invoke("set-mode", "x"), ToolchainType: "AppConfig/Properties" },
        { ...invoke("get-names"), BridgeWorkerID: "7f2b8a6e-0000-4000-8000-000000000001" },
      ],
    });
    expect(calls).toEqual(["get-names@0", "set-replicas@1", "stamp@2", "check-replicas@3"]);
    expect(result.errorMessages).toEqual([
      "invoke get-names: bridge worker 7f2b8a6e-0000-4000-8000-000000000001 is not available",
    ]);
    expect(result.errors[0]!.index).toBe(4);
  });

  it("throws a ConfigDataError with the position when the data does not parse", async () => {
    const error = await execute({
      registry,
      configData: "a: [1,\nb: c\n",
      invocations: [invoke("get-names")],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigDataError);
    expect((error as ConfigDataError).message).toMatch(/^configuration data parsing error: /);
    expect((error as ConfigDataError).line).toBeGreaterThan(0);
  });

  it("does not parse the data when no function gets to run", async () => {
    const result = await execute({ registry, configData: "a: [1,\n", invocations: [invoke("nope")] });
    expect(result.success).toBe(false);
  });

  it("rejects a malformed request with a typed error naming the entry", async () => {
    await expect(
      execute({
        registry,
        configData: UNIT,
        invocations: [{ Arguments: [] } as unknown as FunctionInvocation],
      }),
    ).rejects.toMatchObject({
      code: "INVALID_REQUEST",
      message: "FunctionInvocations[0]: FunctionName must be a non-empty string",
      index: 0,
    });
    await expect(
      execute({ registry, configData: UNIT, invocations: [], options: { numFilters: -1 } }),
    ).rejects.toBeInstanceOf(InvocationRequestError);
  });

  it("encodes the wire response with base64 byte fields and per-type outputs", async () => {
    const result = await run([invoke("get-names"), invoke("check-replicas", "9")], {
      context: { UnitID: "5837950a-619e-44da-9b75-f957c2aee14c", UnitSlug: "web" },
    });
    const response = toFunctionInvocationResponse(result);
    expect(Buffer.from(response.ConfigData, "base64").toString()).toBe(UNIT);
    expect(response.OutputType).toBe("AttributeValueList");
    expect(Object.keys(response.Outputs)).toEqual(["AttributeValueList", "ValidationResultList"]);
    expect(JSON.parse(Buffer.from(response.Outputs.ValidationResultList!, "base64").toString())).toEqual([
      { Passed: false, Index: 1, Details: ["replicas 2"] },
    ]);
    expect(response).toMatchObject({ UnitSlug: "web", Success: true, Mutators: [], Mutations: [] });
  });
});

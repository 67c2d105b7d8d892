// Steps on a bridge worker inside one Unit's run (src/engine/executor/remote.ts): how saved calls
// are grouped by executor and phased, what one request to the worker carries, and how its answer is
// folded back in (data that must parse, mutations diffed here, per-function validation results,
// failures that leave the data as it was).
import { describe, expect, it } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import {
  execute,
  fromBase64,
  FunctionRegistry,
  remoteFunctions,
  toBase64,
  toFunctionInvocationResponse,
  type FunctionInvocationRequest,
  type FunctionInvocationResponse,
  type RemoteExecutor,
  type SavedInvocation,
} from "../../src/engine/index.ts";

const builtin = FunctionRegistry.from(standardFunctions);
const WORKER = "7f2b8a6e-0000-4000-8000-000000000001";

const UNIT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  replicas: 1
`;

/** A worker offering set-label, set-annotation, cel-validate and ensure-context, run with the engine. */
function worker(
  answer?: (
    request: FunctionInvocationRequest,
    honest: FunctionInvocationResponse,
  ) => FunctionInvocationResponse,
) {
  const all = builtin.list("Kubernetes/YAML")["Kubernetes/YAML"]!;
  const names = ["set-label", "set-annotation", "cel-validate", "ensure-context"];
  const functions = remoteFunctions({
    "Kubernetes/YAML": Object.fromEntries(names.map((n) => [n, all[n]!])),
  }).registry;
  const requests: FunctionInvocationRequest[] = [];
  const remote: RemoteExecutor = {
    functions: (id) => (id === WORKER ? functions : undefined),
    describe: (id) => `w(${id.slice(0, 4)})`,
    async run(_id, request) {
      requests.push(request);
      const result = await execute({
        registry: builtin,
        context: request,
        configData: fromBase64(request.ConfigData),
        invocations: request.FunctionInvocations ?? [],
        options: { numFilters: request.NumFilters, stopOnError: request.StopOnError },
      });
      const honest = toFunctionInvocationResponse(result);
      return answer ? answer(request, honest) : honest;
    },
  };
  return { remote, requests };
}

const saved = (
  FunctionName: string,
  values: string[],
  onWorker: boolean,
  source: string,
): SavedInvocation => ({
  FunctionName,
  Arguments: values.map((Value) => ({ Value })),
  ToolchainType: "Kubernetes/YAML",
  BridgeWorkerID: onWorker ? WORKER : null,
  source,
});

describe("steps on a bridge worker", () => {
  it("groups saved calls by executor (built-in first) and phases each group; one request per worker group", async () => {
    const { remote, requests } = worker();
    const result = await execute({
      registry: builtin,
      remote,
      configData: UNIT,
      invocations: [],
      saved: [
        saved("cel-validate", ["r.metadata.labels.team == 'core'"], true, "v"),
        saved("ensure-context", ["true"], true, "final"),
        saved("set-label", ["team", "core"], true, "w-label"),
        saved("set-annotation", ["owner", "sre"], false, "b-annotation"),
      ],
    });
    expect(result.steps.map((s) => s.source)).toEqual(["b-annotation", "w-label", "final", "v"]);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.FunctionInvocations!.map((i) => i.FunctionName)).toEqual([
      "set-label",
      "ensure-context",
      "cel-validate",
    ]);
    // The worker got the data as the built-in group left it.
    expect(fromBase64(requests[0]!.ConfigData)).toContain("owner: sre");
    expect(result.success).toBe(true);
    expect(result.configData).toContain("team: core");
    expect(result.steps.map((s) => s.status)).toEqual(["ran", "ran", "ran", "ran"]);
    expect(result.steps[3]!.passed).toBe(true);
    // Indices are the Unit's execution order, not the worker request's.
    expect(result.outputs).toEqual([
      ["ValidationResultList", [expect.objectContaining({ Passed: true, Index: 3 })]],
    ]);
    expect(result.mutators).toEqual([0, 1, 2]);
  });

  it("runs the explicit list on the request's worker in one request, with the request's options", async () => {
    const { remote, requests } = worker();
    const result = await execute({
      registry: builtin,
      remote,
      bridgeWorkerId: WORKER,
      configData: UNIT,
      invocations: [
        { FunctionName: "set-label", Arguments: [{ Value: "tier" }, { Value: "web" }] },
        { FunctionName: "cel-validate", Arguments: [{ Value: "r.spec.replicas >= 2" }] },
      ],
      options: { stopOnError: true, combineValidationResults: true },
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ StopOnError: true, CombineValidationResults: false, NumFilters: 0 });
    // Combined here, as for built-ins.
    expect(result.outputs).toEqual([
      ["ValidationResult", expect.objectContaining({ Passed: false, Index: 1 })],
    ]);
    expect(result.mutations[0]!.PathMutationMap["metadata.labels"]).toMatchObject({
      MutationType: "Add",
      Index: 0,
    });
  });

  it("keeps nothing from a worker answer whose data does not parse, or that changes data without a mutating function", async () => {
    const garbage = worker((_, honest) => ({ ...honest, ConfigData: toBase64("a: [b\n") }));
    const parsed = await execute({
      registry: builtin,
      remote: garbage.remote,
      bridgeWorkerId: WORKER,
      configData: UNIT,
      invocations: [{ FunctionName: "set-label", Arguments: [{ Value: "a" }, { Value: "b" }] }],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.configData).toBe(UNIT);
    expect(parsed.errors[0]).toMatchObject({ code: "WORKER_FAILED" });
    expect(parsed.errors[0]!.message).toMatch(
      /returned configuration data that does not parse as Kubernetes\/YAML/,
    );

    const sneaky = worker((_, honest) => ({
      ...honest,
      ConfigData: toBase64(UNIT.replace("replicas: 1", "replicas: 9")),
    }));
    const readOnly = await execute({
      registry: builtin,
      remote: sneaky.remote,
      bridgeWorkerId: WORKER,
      configData: UNIT,
      invocations: [{ FunctionName: "cel-validate", Arguments: [{ Value: "true" }] }],
    });
    expect(readOnly.configData).toBe(UNIT);
    expect(readOnly.errors[0]).toMatchObject({ code: "READ_ONLY_DATA" });

    const notBase64 = worker((_, honest) => ({ ...honest, ConfigData: "%%%" }));
    const malformed = await execute({
      registry: builtin,
      remote: notBase64.remote,
      bridgeWorkerId: WORKER,
      configData: UNIT,
      invocations: [{ FunctionName: "set-label", Arguments: [{ Value: "a" }, { Value: "b" }] }],
    });
    expect(malformed.errors[0]!.message).toMatch(/malformed response: ConfigData is not base64/);
  });

  it("a validating step the failed worker gave no verdict for counts as failed (gates fail closed)", async () => {
    const failing = worker((_, honest) => ({
      ...honest,
      Success: false,
      Outputs: {},
      ErrorMessages: ["crashed"],
    }));
    const result = await execute({
      registry: builtin,
      remote: failing.remote,
      configData: UNIT,
      invocations: [],
      saved: [saved("cel-validate", ["true"], true, "v")],
    });
    expect(result.success).toBe(false);
    expect(result.steps[0]).toMatchObject({ status: "failed", source: "v" });
    expect(result.errorMessages).toEqual([`bridge worker w(7f2b): crashed`]);
  });

  it("checks arguments with the worker's signature and never sends a call that fails them", async () => {
    const { remote, requests } = worker();
    const result = await execute({
      registry: builtin,
      remote,
      bridgeWorkerId: WORKER,
      configData: UNIT,
      invocations: [{ FunctionName: "set-label", Arguments: [{ Value: "only-one" }] }],
    });
    expect(requests).toEqual([]);
    expect(result.errors[0]).toMatchObject({ code: "INVALID_ARGUMENT", functionName: "set-label" });
  });
});

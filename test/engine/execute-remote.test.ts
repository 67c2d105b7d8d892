// Steps on a bridge worker inside one Unit's run (src/engine/executor/remote.ts): how saved calls
// are grouped by executor and phased, what one request to the worker carries, and how its answer is
// folded back in (data that must parse, mutations diffed here, per-function validation results,
// failures that leave the data as it was).
import { describe, expect, it } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import {
  ConfigDataError,
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

describe("a run that writes nothing takes the worker's own Mutations", () => {
  const setLabel = { FunctionName: "set-label", Arguments: [{ Value: "tier" }, { Value: "web" }] };
  /** `worker()` as an executor of a call that writes nothing, with the data checks it may offer. */
  function dryWorker(answer?: Parameters<typeof worker>[0], checkData?: RemoteExecutor["checkData"]) {
    const { remote, requests } = worker(answer);
    return {
      remote: { ...remote, takesWorkerMutations: true, ...(checkData ? { checkData } : {}) },
      requests,
    };
  }
  /** The worker's Mutations with a recognisable Value, so the test sees whose list was kept. */
  const marked = (_: FunctionInvocationRequest, honest: FunctionInvocationResponse) => ({
    ...honest,
    Mutations: honest.Mutations.map((m) => ({
      ...m,
      PathMutationMap: Object.fromEntries(
        Object.entries(m.PathMutationMap).map(([path, info]) => [
          path,
          { ...info, Value: "from the worker\n" },
        ]),
      ),
    })),
  });

  it("keeps the worker's list, its Index mapped to the Unit's steps; a write's executor diffs instead", async () => {
    const run = (remote: RemoteExecutor) =>
      execute({
        registry: builtin,
        remote,
        configData: UNIT,
        invocations: [],
        // A built-in validating step runs first, so the worker's set-label (its request's 0) is step 1.
        saved: [saved("cel-validate", ["true"], false, "v"), saved("set-label", ["tier", "web"], true, "w")],
      });
    const dry = await run(dryWorker(marked).remote);
    expect(dry.success).toBe(true);
    expect(dry.steps.map((s) => s.source)).toEqual(["v", "w"]);
    expect(dry.mutators).toEqual([1]);
    expect(dry.mutations[0]!.PathMutationMap["metadata.labels"]).toEqual({
      MutationType: "Add",
      Index: 1,
      Predicate: true,
      Value: "from the worker\n",
    });
    expect(dry.mutations[0]!.ResourceMutationInfo.Index).toBe(1);

    const written = await run(worker(marked).remote);
    expect(written.configData).toBe(dry.configData);
    expect(written.mutations[0]!.PathMutationMap["metadata.labels"]).toMatchObject({
      Index: 1,
      Value: "tier: web\n",
    });
  });

  it("fails the batch on Mutations of the wrong shape, and diffs when the worker sent none", async () => {
    const cases: [string, (honest: FunctionInvocationResponse) => unknown, RegExp][] = [
      [
        "an Index outside the request",
        (h) => [
          { ...h.Mutations[0]!, ResourceMutationInfo: { ...h.Mutations[0]!.ResourceMutationInfo, Index: 3 } },
        ],
        /Mutations\[0\]\.ResourceMutationInfo\.Index is not the position of a function/,
      ],
      [
        "a MutationType",
        (h) => [
          {
            ...h.Mutations[0]!,
            ResourceMutationInfo: { ...h.Mutations[0]!.ResourceMutationInfo, MutationType: "Upsert" },
          },
        ],
        /MutationType is not one of/,
      ],
      [
        "a path's Value",
        (h) => [
          {
            ...h.Mutations[0]!,
            PathMutationMap: {
              "metadata.labels": { MutationType: "Add", Index: 0, Predicate: true, Value: 7 },
            },
          },
        ],
        /PathMutationMap\["metadata\.labels"\]\.Value is not a string/,
      ],
      [
        "a Resource",
        (h) => [{ ...h.Mutations[0]!, Resource: "web" }],
        /Mutations\[0\]\.Resource is not an object/,
      ],
      ["the list", () => ({}), /Mutations is not a list/],
    ];
    for (const [what, mutations, message] of cases) {
      const { remote } = dryWorker((_, honest) => ({ ...honest, Mutations: mutations(honest) as never }));
      const result = await execute({
        registry: builtin,
        remote,
        bridgeWorkerId: WORKER,
        configData: UNIT,
        invocations: [setLabel],
      });
      expect(result.success, what).toBe(false);
      expect(result.configData, what).toBe(UNIT);
      expect(result.mutations, what).toEqual([]);
      expect(result.errors[0], what).toMatchObject({ code: "WORKER_FAILED" });
      expect(result.errors[0]!.message, what).toMatch(message);
    }

    // Attributed to a function that is not mutating: refused too.
    const { remote: misattributed } = dryWorker((_, honest) => ({
      ...honest,
      Mutations: honest.Mutations.map((m) => ({
        ...m,
        ResourceMutationInfo: { ...m.ResourceMutationInfo, Index: 1 },
      })),
    }));
    const refused = await execute({
      registry: builtin,
      remote: misattributed,
      bridgeWorkerId: WORKER,
      configData: UNIT,
      invocations: [setLabel, { FunctionName: "cel-validate", Arguments: [{ Value: "true" }] }],
    });
    expect(refused.errors[0]!.message).toMatch(/Index names a function that is not mutating/);

    const { remote: silent } = dryWorker((_, honest) => ({ ...honest, Mutations: null as never }));
    const diffed = await execute({
      registry: builtin,
      remote: silent,
      bridgeWorkerId: WORKER,
      configData: UNIT,
      invocations: [setLabel],
    });
    const honest = await execute({
      registry: builtin,
      remote: worker().remote,
      bridgeWorkerId: WORKER,
      configData: UNIT,
      invocations: [setLabel],
    });
    expect(diffed.success).toBe(true);
    expect(diffed.mutations).toEqual(honest.mutations);
  });

  it("checks the data returned with the executor's checkData when nothing follows, and keeps it as text", async () => {
    const checked: string[] = [];
    const check = async (text: string) => {
      checked.push(text);
      if (text.includes("[")) throw new ConfigDataError("configuration data parsing error: from the check");
    };
    const { remote } = dryWorker(undefined, check);
    const ok = await execute({
      registry: builtin,
      remote,
      bridgeWorkerId: WORKER,
      configData: UNIT,
      invocations: [setLabel],
    });
    expect(checked).toEqual([ok.configData]);
    expect(ok.configData).toContain("tier: web");
    expect(ok.success).toBe(true);

    const { remote: garbage } = dryWorker(
      (_, honest) => ({ ...honest, ConfigData: toBase64("a: [b\n") }),
      check,
    );
    const refused = await execute({
      registry: builtin,
      remote: garbage,
      bridgeWorkerId: WORKER,
      configData: UNIT,
      invocations: [setLabel],
    });
    expect(refused.configData).toBe(UNIT);
    expect(refused.errors[0]!.message).toMatch(
      /does not parse as Kubernetes\/YAML; nothing was kept: configuration data parsing error: from the check/,
    );

    // A step after the batch reads the documents: the data is parsed here instead.
    checked.length = 0;
    const followed = await execute({
      registry: builtin,
      remote,
      bridgeWorkerId: WORKER,
      configData: UNIT,
      invocations: [setLabel],
      triggers: [saved("set-annotation", ["owner", "sre"], false, "t")],
    });
    expect(checked).toEqual([]);
    expect(followed.configData).toContain("owner: sre");
  });

  it("data of the Unit's own that does not parse still fails the Unit as it did up front when the batch fails", async () => {
    const broken = "kind: [unclosed\n";
    const { remote, requests } = dryWorker(() => {
      throw new Error("the worker could not parse it either");
    });
    await expect(
      execute({
        registry: builtin,
        remote,
        bridgeWorkerId: WORKER,
        configData: broken,
        invocations: [setLabel],
      }),
    ).rejects.toBeInstanceOf(ConfigDataError);
    expect(requests).toHaveLength(1);
  });
});

// The worker SDK against a fake server that speaks the server side of the bridge worker protocol
// (spec/server-api.md §4) over node:http2: what the worker registers and with which headers,
// heartbeat answers, InvokeFunctions answered with the engine's FunctionInvocationResponse (lossless
// edit, mutation diff), failures, per-Unit ordering, reconnecting after a dropped stream, and a
// clean stop.
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import costCenterFunctions from "../../examples/worker/cost-center.ts";
import { FunctionError, type FunctionInvocationResponse } from "../../src/engine/index.ts";
import {
  defineFunction,
  Worker,
  WorkerError,
  type FunctionDefinition,
  type WorkerOptions,
} from "../../src/worker/index.ts";
import { encodeEvent, type ServerEvent } from "../../src/worker-protocol/index.ts";
import { FakeWorkerPort } from "../support/fake-worker-port.ts";

const WORKER_ID = "6a1c3c55-7a0b-4d2e-9a61-0f3e8f6d2b11";
const SECRET = "s3cret-worker-secret";

const DEPLOYMENT = `# the web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web # public entry
  labels:
    app: web
spec:
  replicas: 2
`;

/** Test-only functions: one that fails, one that waits until the test opens its gate. */
const gates = new Map<string, { open: () => void; opened: Promise<void> }>();
function gate(name: string): () => void {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  gates.set(name, { open, opened });
  return open;
}
/** What the fake server had received when each `spin` invocation started (see the spin test). */
const resultsSeenBySpin: number[] = [];
let resultsReceived = (): number => 0;
/** What each `yield-only` invocation did, in order. */
const steps: string[] = [];
const testFunctions: FunctionDefinition[] = [
  defineFunction({
    toolchains: ["Kubernetes/YAML"],
    signature: { FunctionName: "spin", Description: "Keeps the CPU busy for 8 ms without waiting" },
    invoke() {
      resultsSeenBySpin.push(resultsReceived());
      const until = performance.now() + 8;
      while (performance.now() < until);
    },
  }),
  defineFunction({
    toolchains: ["Kubernetes/YAML"],
    signature: { FunctionName: "yield-only", Description: "Awaits a few microtasks, never I/O" },
    async invoke() {
      steps.push("start");
      for (let i = 0; i < 3; i++) await Promise.resolve();
      steps.push("end");
    },
  }),
  defineFunction({
    toolchains: ["Kubernetes/YAML"],
    signature: { FunctionName: "always-fails", Description: "Fails with a reason" },
    invoke() {
      throw new FunctionError("the cost database is unreachable");
    },
  }),
  defineFunction({
    toolchains: ["Kubernetes/YAML"],
    signature: { FunctionName: "crashes", Description: "Has a bug" },
    invoke() {
      const missing = undefined as unknown as { boom: string };
      return { ValidationResult: missing.boom } as never;
    },
  }),
  defineFunction({
    toolchains: ["Kubernetes/YAML"],
    signature: {
      FunctionName: "wait-for-gate",
      Description: "Waits until the test opens the named gate",
      Parameters: [{ ParameterName: "gate", Description: "gate name", Required: true, DataType: "string" }],
    },
    async invoke({ args }) {
      await gates.get(args.string("gate"))?.opened;
    },
  }),
];

function b64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

function invokeEvent(
  operationId: string,
  unitId: string,
  invocations: { FunctionName: string; Arguments: { Value: string }[] }[],
  configData = b64(DEPLOYMENT),
): ServerEvent {
  return {
    Event: "FunctionWorkerEvent",
    Data: {
      Action: "InvokeFunctions",
      Payload: {
        QueuedOperationID: operationId,
        InvocationRequest: {
          ToolchainType: "Kubernetes/YAML",
          UnitDisplayName: "web",
          UnitSlug: "web",
          UnitID: unitId,
          UnitLabels: null,
          UnitAnnotations: null,
          SpaceID: "1b7a4c0e-2f51-4a8e-8c39-5d7e0b1c9a22",
          SpaceSlug: "demo",
          OrganizationID: "0c2d9e1f-3a4b-4c5d-8e6f-7a8b9c0d1e2f",
          TargetID: "00000000-0000-0000-0000-000000000000",
          BridgeWorkerID: WORKER_ID,
          RevisionID: "00000000-0000-0000-0000-000000000000",
          RevisionNum: 3,
          New: false,
          PreviousContentHash: 0,
          ApprovedBy: null,
          ConfigData: configData,
          LiveState: null,
          CastStringArgsToScalars: true,
          NumFilters: 0,
          StopOnError: false,
          CombineValidationResults: false,
          FunctionInvocations: invocations,
        },
      },
    },
  };
}

function responseOf(data: string | undefined): FunctionInvocationResponse {
  return JSON.parse(Buffer.from(data ?? "", "base64").toString("utf8")) as FunctionInvocationResponse;
}

describe("the worker SDK against a fake worker port", () => {
  let server: FakeWorkerPort;
  let worker: Worker | undefined;
  let logs: string[];

  beforeEach(async () => {
    server = await new FakeWorkerPort({ workerId: WORKER_ID, secret: SECRET, slug: "cost-center" }).listen();
    logs = [];
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await server.close();
  });

  function startWorker(options: Partial<WorkerOptions> = {}): Promise<void> {
    worker = new Worker({
      url: server.url,
      workerId: WORKER_ID,
      secret: SECRET,
      functions: [...costCenterFunctions, ...testFunctions],
      backoff: { initialMs: 20, maxMs: 100 },
      log: (level, message) => logs.push(`${level} ${message}`),
      ...options,
    });
    return worker.start();
  }

  it("registers its functions' signatures with ConfigHub's headers, after `me`", async () => {
    await startWorker();
    expect(server.requests.slice(0, 2)).toEqual([
      `GET /api/bridge_worker/${WORKER_ID}/me`,
      `POST /api/bridge_worker/${WORKER_ID}/stream`,
    ]);
    const [registration] = server.registrations;
    expect(registration?.headers).toMatchObject({
      accept: "text/event-stream",
      "cache-control": "no-cache",
      "content-type": "application/json",
      authorization: `Bearer ${SECRET}`,
    });
    const functions = registration?.info.FunctionWorkerInfo?.SupportedFunctions?.["Kubernetes/YAML"];
    expect(Object.keys(functions ?? {}).sort()).toEqual([
      "always-fails",
      "crashes",
      "require-cost-center",
      "set-cost-center",
      "spin",
      "wait-for-gate",
      "yield-only",
    ]);
    // Complete signatures, as built-ins are listed: counted parameters, derived flags, toolchain.
    expect(functions?.["set-cost-center"]).toMatchObject({
      FunctionName: "set-cost-center",
      RequiredParameters: 1,
      Mutating: true,
      Validating: false,
      ToolchainType: "Kubernetes/YAML",
      Parameters: [{ ParameterName: "cost-center", Required: true, DataType: "string" }],
    });
    expect(functions?.["require-cost-center"]).toMatchObject({ Validating: true, Mutating: false });
    expect(registration?.info.FunctionWorkerInfo?.ToolchainTypes).toEqual(["Kubernetes/YAML"]);
    expect(worker?.connected).toBe(true);
  });

  it("answers a heartbeat, with MemoryPressure when under 200 MB is free", async () => {
    let free = 8 * 1024 ** 3;
    await startWorker({ freeMemory: () => free });
    const heartbeat = {
      Event: "WorkerEvent",
      Data: { Action: "Heartbeat", Payload: { Timestamp: Date.now() * 1000 } },
    };
    server.send(heartbeat);
    await server.until(() => server.results.length === 1, "the heartbeat answer");
    expect(server.results[0]).toMatchObject({
      Action: "Heartbeat",
      Status: "Completed",
      Result: "None",
      Message: "",
    });
    free = 150 * 1024 ** 2;
    server.send(heartbeat);
    await server.until(() => server.results.length === 2, "the second heartbeat answer");
    expect(server.results[1]).toMatchObject({ Action: "Heartbeat", Message: "MemoryPressure" });
  });

  it("runs InvokeFunctions through the engine: lossless edit, mutation diff, outputs", async () => {
    await startWorker();
    const operationId = randomUUID();
    const unitId = randomUUID();
    server.send(
      invokeEvent(operationId, unitId, [
        { FunctionName: "set-cost-center", Arguments: [{ Value: "cc-42" }] },
        { FunctionName: "require-cost-center", Arguments: [] },
      ]),
    );
    const result = await server.result(operationId);
    expect(result).toMatchObject({
      QueuedOperationID: operationId,
      UnitID: unitId,
      RevisionNum: 3,
      Action: "InvokeFunctions",
      Status: "Completed",
      Result: "FunctionInvocationCompleted",
    });
    const response = responseOf(result.Data);
    expect(response.Success).toBe(true);
    expect(response.UnitID).toBe(unitId);
    // Only the new label line is added: comments and layout stay as they were.
    expect(Buffer.from(response.ConfigData, "base64").toString("utf8")).toBe(
      DEPLOYMENT.replace("    app: web\n", "    app: web\n    cost-center: cc-42\n"),
    );
    expect(response.Mutators).toEqual([0]);
    expect(response.Mutations).toHaveLength(1);
    expect(response.Mutations[0]).toMatchObject({
      Resource: { ResourceName: "/web", ResourceType: "apps/v1/Deployment" },
    });
    expect(JSON.stringify(response.Mutations[0])).toContain("cost-center");
    const validation = JSON.parse(Buffer.from(response.Output ?? "", "base64").toString("utf8"));
    expect(response.OutputType).toBe("ValidationResultList");
    expect(validation).toEqual([{ Passed: true, Index: 1 }]);
  });

  it("reports a failing function in the response, and unrunnable data as a Failed result", async () => {
    await startWorker();
    const failing = randomUUID();
    server.send(invokeEvent(failing, randomUUID(), [{ FunctionName: "always-fails", Arguments: [] }]));
    const result = await server.result(failing);
    // As for a built-in: the element fails with the function's message; the data is unchanged.
    expect(result).toMatchObject({ Status: "Completed", Result: "FunctionInvocationCompleted" });
    const response = responseOf(result.Data);
    expect(response.Success).toBe(false);
    expect(response.ErrorMessages).toEqual(["the cost database is unreachable"]);
    expect(Buffer.from(response.ConfigData, "base64").toString("utf8")).toBe(DEPLOYMENT);

    const badYaml = randomUUID();
    server.send(
      invokeEvent(
        badYaml,
        randomUUID(),
        [{ FunctionName: "require-cost-center", Arguments: [] }],
        b64("a: [1\n"),
      ),
    );
    expect(await server.result(badYaml)).toMatchObject({
      QueuedOperationID: badYaml,
      Action: "InvokeFunctions",
      Status: "Failed",
      Result: "FunctionInvocationFailed",
      Message: expect.stringMatching(
        /^configuration data parsing error: invalid YAML: .* at line 2, column 1/,
      ),
    });

    const notBase64 = randomUUID();
    server.send(invokeEvent(notBase64, randomUUID(), [], "not base64!"));
    expect(await server.result(notBase64)).toMatchObject({
      Status: "Failed",
      Message: "InvokeFunctions: InvocationRequest.ConfigData is not valid base64",
    });
  });

  it("logs the stack of a function that crashes, which the server reports by its message only", async () => {
    await startWorker();
    const crashing = randomUUID();
    server.send(invokeEvent(crashing, randomUUID(), [{ FunctionName: "crashes", Arguments: [] }]));
    const response = responseOf((await server.result(crashing)).Data);
    expect(response.ErrorMessages).toEqual([
      "function crashes failed unexpectedly: Cannot read properties of undefined (reading 'boom')",
    ]);
    const logged = logs.find((line) => line.startsWith("warn function crashes failed unexpectedly"));
    expect(logged).toContain(
      "(unit demo/web)\nTypeError: Cannot read properties of undefined (reading 'boom')\n",
    );
    expect(logged).toMatch(/\n {4}at .*worker\.test\.ts:\d+/);
  });

  it("gives up on functions that never return, so they cannot take every place", async () => {
    await startWorker({ concurrency: 1, invocationTimeoutMs: 200 });
    const stuck = randomUUID();
    gate(stuck); // never opened
    server.send(
      invokeEvent(stuck, randomUUID(), [{ FunctionName: "wait-for-gate", Arguments: [{ Value: stuck }] }]),
    );
    expect(await server.result(stuck)).toMatchObject({
      Status: "Failed",
      Message:
        "the worker's functions did not finish within 0.2 s (its invocationTimeoutMs); it gave up on this Unit",
    });
    expect(logs.some((line) => /^warn functions on Unit .* still running after 0\.2 s/.test(line))).toBe(
      true,
    );
    // Its place went to the next Unit.
    const next = randomUUID();
    server.send(invokeEvent(next, randomUUID(), [{ FunctionName: "require-cost-center", Arguments: [] }]));
    expect(await server.result(next)).toMatchObject({ Status: "Completed" });
  });

  it("answers events it cannot handle instead of leaving the server to time out", async () => {
    await startWorker();
    const operationId = randomUUID();
    server.send({
      Event: "BridgeWorkerEvent",
      Data: { Action: "Apply", Payload: { QueuedOperationID: operationId } },
    });
    server.write('data: {"Event":"WorkerEvent","Data":{"Action":"keepalive"}}\n\n');
    expect(await server.result(operationId)).toMatchObject({
      Status: "Failed",
      Message: "this worker runs functions only; it does not handle BridgeWorkerEvent Apply",
    });
    expect(server.results).toHaveLength(1);
  });

  it("keeps one Unit's events in order while other Units run beside them", async () => {
    await startWorker();
    const unitA = randomUUID();
    const [a1, a2, b1] = [randomUUID(), randomUUID(), randomUUID()];
    const openA1 = gate(a1);
    server.send(invokeEvent(a1, unitA, [{ FunctionName: "wait-for-gate", Arguments: [{ Value: a1 }] }]));
    server.send(invokeEvent(a2, unitA, [{ FunctionName: "require-cost-center", Arguments: [] }]));
    server.send(invokeEvent(b1, randomUUID(), [{ FunctionName: "require-cost-center", Arguments: [] }]));
    await server.result(b1);
    // A's second event waits behind its first, which waits for its gate.
    expect(server.results.map((r) => r.QueuedOperationID)).toEqual([b1]);
    openA1();
    await server.result(a2);
    expect(server.results.map((r) => r.QueuedOperationID)).toEqual([b1, a1, a2]);
  });

  it("runs invocations that never wait one after another, not interleaved", async () => {
    await startWorker();
    steps.length = 0;
    const operations = Array.from({ length: 4 }, () => randomUUID());
    server.write(
      operations
        .map((id) =>
          encodeEvent(invokeEvent(id, randomUUID(), [{ FunctionName: "yield-only", Arguments: [] }])),
        )
        .join(""),
    );
    for (const id of operations) expect((await server.result(id)).Status).toBe("Completed");
    expect(steps).toEqual(operations.flatMap(() => ["start", "end"]));
  });

  it("posts results while later invocations of functions that never wait still run", async () => {
    await startWorker();
    resultsSeenBySpin.length = 0;
    resultsReceived = () => server.results.filter((r) => r.Action === "InvokeFunctions").length;
    const operations = Array.from({ length: 12 }, () => randomUUID());
    // One write: every event arrives at once, as when the server sends many Units ahead.
    server.write(
      operations
        .map((id) => encodeEvent(invokeEvent(id, randomUUID(), [{ FunctionName: "spin", Arguments: [] }])))
        .join(""),
    );
    for (const id of operations) expect((await server.result(id)).Status).toBe("Completed");
    expect(resultsSeenBySpin).toHaveLength(12);
    // Results went out (and reached the server) before the last invocations started.
    expect(resultsSeenBySpin.at(-1)).toBeGreaterThan(0);
  });

  it("reconnects and registers again after the server drops the stream", async () => {
    const disconnects: string[] = [];
    await startWorker();
    worker!.on("disconnected", ({ reason }) => disconnects.push(reason));
    server.dropStream();
    await server.until(
      () => server.registrations.length === 2 && server.streaming,
      "the second registration",
    );
    expect(disconnects).toEqual(["the server ended the event stream"]);
    expect(server.registrations[1]?.info).toEqual(server.registrations[0]?.info);
    // Every connect starts over: /api/info is read again (the port may have moved), then me, then the stream.
    expect(server.requests.filter((r) => r.endsWith("/me"))).toHaveLength(2);
    const operationId = randomUUID();
    server.send(
      invokeEvent(operationId, randomUUID(), [{ FunctionName: "require-cost-center", Arguments: [] }]),
    );
    expect((await server.result(operationId)).Status).toBe("Completed");
  });

  it("stops cleanly: refuses new work, finishes what runs, posts its result, closes the stream", async () => {
    await startWorker();
    const running = randomUUID();
    const openRunning = gate(running);
    server.send(
      invokeEvent(running, randomUUID(), [
        { FunctionName: "wait-for-gate", Arguments: [{ Value: running }] },
      ]),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    let stopped = false;
    const stopping = worker!.stop().then(() => (stopped = true));
    const late = randomUUID();
    server.send(invokeEvent(late, randomUUID(), [{ FunctionName: "require-cost-center", Arguments: [] }]));
    expect(await server.result(late)).toMatchObject({
      Status: "Failed",
      Message: "the worker is shutting down",
    });
    expect(stopped).toBe(false);
    expect(server.streaming).toBe(true);
    openRunning();
    await stopping;
    expect((await server.result(running)).Status).toBe("Completed");
    await server.until(() => !server.streaming, "the stream to close");
    expect(server.closedByWorker).toBe(1);
    await expect(worker!.done).resolves.toBeUndefined();
    // Stopped means stopped: no reconnect.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.registrations).toHaveLength(1);
  });

  it("stops with the reason when the server refuses the secret", async () => {
    const start = startWorker({ secret: "wrong-secret-value" });
    await expect(start).rejects.toThrow(WorkerError);
    await expect(start).rejects.toMatchObject({
      code: "WORKER_UNAUTHORIZED",
      message: expect.stringContaining("the server refused the secret of worker"),
    });
    expect(server.registrations).toHaveLength(0);
  });

  it("stops with the reason when its secret stops working while the stream still runs", async () => {
    // As a server that ends no stream on rotation (or never heard of it): only action_result says so.
    await startWorker();
    server.secret = "rotated-secret-value";
    server.send({
      Event: "WorkerEvent",
      Data: { Action: "Heartbeat", Payload: { Timestamp: Date.now() * 1000 } },
    });
    await expect(worker!.done).rejects.toMatchObject({
      code: "WORKER_UNAUTHORIZED",
      message: expect.stringContaining("no longer accepts the secret"),
    });
    expect(
      logs.some((line) => line.includes("the server refused this worker's secret on action_result")),
    ).toBe(true);
    expect(server.streaming).toBe(false);
  });

  it("stops with the reason when the server advertises no worker port", async () => {
    await server.close();
    server = await new FakeWorkerPort({
      workerId: WORKER_ID,
      secret: SECRET,
      info: () => ({ Version: "0.1.0" }),
    }).listen();
    await expect(startWorker()).rejects.toMatchObject({
      code: "WORKER_UNSUPPORTED",
      message: `GET ${server.url}/api/info advertises no WorkerPort: this server does not accept bridge workers`,
    });
  });

  it("keeps retrying while the server is unreachable, and connects once it answers", async () => {
    const url = server.url;
    await server.close();
    const start = startWorker({ url });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(logs.some((line) => /^warn disconnected: GET .*\/api\/info: connection refused/.test(line))).toBe(
      true,
    );
    const port = Number(new URL(url).port);
    server = new FakeWorkerPort({ workerId: WORKER_ID, secret: SECRET });
    await server.listen(port);
    await start;
    expect(server.registrations).toHaveLength(1);
  });
});

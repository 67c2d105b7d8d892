// End to end: a real server (the API and the HTTP/2 worker port on one WorkerConnections registry,
// both listening) and a worker built with the SDK serving the example module. The worker registers
// (its functions appear on the BridgeWorker), invocations naming it run dry and for real through it
// (lossless edits, Revisions written as for built-ins), one failing Unit makes a 207, and stopping
// or a rotated secret ends the connection as a user would expect.
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import costCenterFunctions from "../../examples/worker/cost-center.ts";
import { buildWorkerPort } from "../../src/api/worker-port.ts";
import { doFunction, listFunctions, runCommand } from "../../src/cli/commands/function.ts";
import { FunctionError } from "../../src/engine/index.ts";
import { WorkerConnections } from "../../src/invoke/index.ts";
import type { Database } from "../../src/store/database.ts";
import { defineFunction, Worker, type WorkerOptions } from "../../src/worker/index.ts";
import { call, createSpace, createUnit, getUnit, invoke } from "../api/invoke-support.ts";
import { testDatabases } from "../support/databases.ts";
import { buildTestApp, fromB64, type TestApp } from "../support/test-app.ts";

const WEB = `# the public entry point
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web # owned by team a
spec:
  replicas: 2
`;
const API = WEB.replaceAll("web", "api");

/** Fails for the Unit it names: a worker-side failure of one Unit among several. */
const failFor = defineFunction({
  toolchains: ["Kubernetes/YAML"],
  signature: {
    FunctionName: "fail-for",
    Description: "Fails for the named Unit",
    Parameters: [{ ParameterName: "unit", Description: "Unit slug", Required: true, DataType: "string" }],
  },
  invoke({ args, context }) {
    if (context.UnitSlug === args.string("unit"))
      throw new FunctionError(`no cost center known for ${context.UnitSlug}`);
  },
});

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString("utf8");
    done();
  }
}

describe.each(testDatabases())("a TypeScript worker against the server on $name", (target) => {
  let database: Database;
  let t: TestApp;
  let port: FastifyInstance;
  let url: string;
  let spaceId: string;
  let units: { web: string; api: string };
  let worker: Worker | undefined;

  beforeAll(async () => {
    database = await target.open();
    const workerConnections = new WorkerConnections(database.db, {
      heartbeatIntervalMs: 30_000,
      invokeTimeoutMs: 20_000,
      maxOutstandingPerWorker: 64,
    });
    port = await buildWorkerPort({ db: database.db, workerConnections });
    await port.listen({ host: "127.0.0.1", port: 0 });
    t = await buildTestApp(database, {
      workerConnections,
      workerPort: (port.server.address() as AddressInfo).port,
    });
    await t.app.listen({ host: "127.0.0.1", port: 0 });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    spaceId = await createSpace(t, "staging");
    units = {
      web: (await createUnit(t, spaceId, "web", WEB)).UnitID,
      api: (await createUnit(t, spaceId, "api", API)).UnitID,
    };
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });
  afterAll(async () => {
    await port.close();
    await t.close();
  });

  const readWorker = async (id: string) =>
    (await t.request({ method: "GET", url: `/api/space/${spaceId}/bridge_worker/${id}` })).json()
      .BridgeWorker as {
      Condition: string;
      ProvidedInfo: { FunctionWorkerInfo?: { SupportedFunctions?: Record<string, Record<string, unknown>> } };
    };

  async function startWorker(slug: string, options: Partial<WorkerOptions> = {}) {
    const created = await t.request({
      method: "POST",
      url: `/api/space/${spaceId}/bridge_worker`,
      body: { Slug: slug },
    });
    expect(created.statusCode, created.body).toBe(200);
    const { BridgeWorkerID: id, Secret: secret } = created.json() as {
      BridgeWorkerID: string;
      Secret: string;
    };
    worker = new Worker({
      url,
      workerId: id,
      secret,
      functions: [...costCenterFunctions, failFor],
      backoff: { initialMs: 50, maxMs: 200 },
      log: () => {},
      ...options,
    });
    await worker.start();
    // The server answers the stream's 200 before it has registered the connection (it writes the
    // registration to the database first): wait for Ready, as a user would see it.
    await vi.waitFor(async () => expect((await readWorker(id)).Condition).toBe("Ready"));
    return id;
  }

  it("registers: the worker is Ready and the server lists its functions", async () => {
    const id = await startWorker("registers");
    const read = await readWorker(id);
    expect(read.Condition).toBe("Ready");
    const functions = read.ProvidedInfo.FunctionWorkerInfo?.SupportedFunctions?.["Kubernetes/YAML"] ?? {};
    expect(Object.keys(functions).sort()).toEqual(["fail-for", "require-cost-center", "set-cost-center"]);
    expect(functions["set-cost-center"]).toMatchObject({ Mutating: true, RequiredParameters: 1 });
    // The listing a user reads: `confn function list --worker`, narrowed by a where on signatures.
    const io = { env: { CONFN_URL: url, CONFN_TOKEN: t.org.tokens.viewer }, cwd: process.cwd() };
    const listed = await listFunctions(
      { worker: "registers", toolchain: "Kubernetes/YAML", where: "Validating = true", json: true },
      { ...io, stdout: new Capture(), stderr: new Capture() },
    );
    expect(Object.keys(JSON.parse(listed.text)["Kubernetes/YAML"])).toEqual(["require-cost-center"]);
  });

  it("runs an invocation through the worker, dry and for real, with lossless edits and Revisions", async () => {
    const id = await startWorker("invokes");
    const body = {
      BridgeWorkerID: id,
      FunctionInvocations: [call("set-cost-center", "cc-1234"), call("require-cost-center")],
    };
    const dry = await invoke(t, { spaceId, query: { dry_run: "true", where: "Slug = 'web'" }, body });
    expect(dry.statusCode, dry.body).toBe(200);
    const [element] = dry.json() as {
      Success: boolean;
      ConfigData: string;
      Mutators: number[];
      Mutations: unknown[];
    }[];
    expect(element?.Success).toBe(true);
    expect(element?.Mutators).toEqual([0]);
    expect(element?.Mutations).toHaveLength(1);
    expect(fromB64(element!.ConfigData)).toBe(
      WEB.replace("# owned by team a\n", "# owned by team a\n    cost-center: cc-1234\n"),
    );
    expect((await getUnit(t, spaceId, units.web)).HeadRevisionNum).toBe(1);

    // The CLI's preview of the same call, through the worker.
    const stdout = new Capture();
    const stderr = new Capture();
    const io = {
      env: { CONFN_URL: url, CONFN_TOKEN: t.org.tokens.viewer },
      cwd: process.cwd(),
      stdout,
      stderr,
    };
    const code = await runCommand(
      () =>
        doFunction(
          "set-cost-center",
          ["cc-1234"],
          { space: "staging", worker: "invokes", dryRun: true, where: "Slug = 'web'" },
          io,
        ),
      io,
    );
    expect(code, stderr.text).toBe(0);
    expect(stdout.text).toContain("staging/web: changed\n");
    expect(stdout.text).toContain("     app: web # owned by team a\n+    cost-center: cc-1234\n");

    const real = await invoke(t, { spaceId, body });
    expect(real.statusCode, real.body).toBe(200);
    for (const [unitId, text] of [
      [units.web, WEB],
      [units.api, API],
    ] as const) {
      const unit = await getUnit(t, spaceId, unitId);
      expect(unit.HeadRevisionNum).toBe(2);
      expect(unit.data).toBe(
        text.replace("# owned by team a\n", "# owned by team a\n    cost-center: cc-1234\n"),
      );
    }
  });

  it("a function failing on the worker for one Unit fails that element: 207, nothing written for it", async () => {
    const id = await startWorker("fails-one");
    const before = await getUnit(t, spaceId, units.api);
    const response = await invoke(t, {
      spaceId,
      body: {
        BridgeWorkerID: id,
        FunctionInvocations: [call("fail-for", "api"), call("set-cost-center", "cc-9")],
      },
    });
    expect(response.statusCode, response.body).toBe(207);
    const bySlug = Object.fromEntries(
      (response.json() as { UnitSlug: string; Success: boolean; ErrorMessages?: string[] }[]).map((e) => [
        e.UnitSlug,
        e,
      ]),
    );
    expect(bySlug.web?.Success).toBe(true);
    expect(bySlug.api?.Success).toBe(false);
    expect(JSON.stringify(bySlug.api)).toContain("no cost center known for api");
    const after = await getUnit(t, spaceId, units.api);
    expect(after.HeadRevisionNum).toBe(before.HeadRevisionNum);
    expect(after.data).toBe(before.data);
    expect((await getUnit(t, spaceId, units.web)).data).toContain("cost-center: cc-9");
  });

  it("after stop() the worker is Disconnected and an invocation naming it is refused", async () => {
    const id = await startWorker("stops");
    await worker!.stop();
    await vi.waitFor(async () => expect((await readWorker(id)).Condition).toBe("Disconnected"));
    const response = await invoke(t, {
      spaceId,
      query: { dry_run: "true" },
      body: { BridgeWorkerID: id, FunctionInvocations: [call("require-cost-center")] },
    });
    expect(response.statusCode, response.body).toBe(503);
    expect(response.json().Message).toContain("is disconnected");
  });

  it("a rotated secret disconnects the worker, which then stops with the reason", async () => {
    const id = await startWorker("rotates");
    const rotated = await t.request({
      method: "POST",
      url: `/api/space/${spaceId}/bridge_worker/${id}/secret`,
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    // The secret worked before: the reason says it was rotated, not "check the secret, issue a new one".
    await expect(worker!.done).rejects.toMatchObject({
      code: "WORKER_UNAUTHORIZED",
      message: expect.stringContaining("no longer accepts the secret"),
    });
    await expect(worker!.done).rejects.toThrow(/deleted or its secret rotated.*another `confn worker run`/);
  });
});

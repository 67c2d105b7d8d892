// The worker port, driven the way ConfigHub's Go worker drives it (HTTP/2 with prior knowledge over
// cleartext, bearer secret, WorkerInfo as the stream body, `data: ` lines, action_result answers),
// and the registry behind it (WorkerConnections): registration, heartbeats, conditions, dispatch of
// InvokeFunctions and every way a dispatch fails.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildWorkerPort } from "../../src/api/worker-port.ts";
import type { FunctionInvocationRequest, FunctionInvocationResponse } from "../../src/engine/index.ts";
import { WorkerConnections, WorkerDispatchError } from "../../src/invoke/index.ts";
import type { Database } from "../../src/store/database.ts";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import { H2WorkerClient } from "../support/h2-worker-client.ts";
import { createSpace } from "./invoke-support.ts";

/** Short enough that a missed beat shows within a test, long enough for a loaded CI machine to answer. */
const HEARTBEAT_MS = 200;

const SIGNATURE = {
  FunctionName: "require-cost-center",
  Parameters: [{ ParameterName: "label", Required: true, DataType: "string", Description: "label key" }],
  RequiredParameters: 1,
  VarArgs: false,
  OutputInfo: { ResultName: "passed", Description: "", OutputType: "ValidationResult" },
  Mutating: false,
  Validating: true,
  Hermetic: true,
  Idempotent: true,
  Description: "every resource carries the label",
  FunctionType: "Custom",
  AffectedResourceTypes: null,
};
/** A worker function named like a builtin: it is listed for the worker, never instead of the builtin. */
const OWN_SET_LABEL = {
  FunctionName: "set-label",
  Parameters: null,
  Mutating: true,
  Validating: false,
  Description: "the worker's own set-label",
};
const WORKER_INFO = {
  BridgeWorkerInfo: { SupportedConfigTypes: null },
  FunctionWorkerInfo: {
    SupportedFunctions: {
      "Kubernetes/YAML": { "require-cost-center": SIGNATURE, "set-label": OWN_SET_LABEL },
    },
  },
};

function invocationRequest(organizationId: string, spaceId: string): FunctionInvocationRequest {
  return {
    ToolchainType: "Kubernetes/YAML",
    UnitDisplayName: "web",
    UnitSlug: "web",
    UnitID: randomUUID(),
    UnitLabels: null,
    UnitAnnotations: null,
    SpaceID: spaceId,
    SpaceSlug: "workers",
    OrganizationID: organizationId,
    TargetID: "",
    BridgeWorkerID: "",
    RevisionID: randomUUID(),
    RevisionNum: 1,
    New: false,
    PreviousContentHash: 0,
    ApprovedBy: null,
    ConfigData: Buffer.from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n").toString("base64"),
    LiveState: null,
    CastStringArgsToScalars: true,
    NumFilters: 0,
    StopOnError: true,
    CombineValidationResults: false,
    FunctionInvocations: [{ FunctionName: "require-cost-center", Arguments: [{ Value: "cost-center" }] }],
  };
}

/** The error a promise rejects with; fails the test when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the dispatch to fail");
    },
    (error: unknown) => error,
  );
}

/** Waits for an assertion to hold: connection state is written right after the event, not with it. */
const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: 15_000, interval: 50 });

const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64");

describe.each(testDatabases())("the worker port on $name", (target) => {
  let database: Database;
  let t: TestApp;
  let registry: WorkerConnections;
  let port: FastifyInstance;
  let url: string;
  let space: string;
  const clients: H2WorkerClient[] = [];

  beforeAll(async () => {
    database = await target.open();
    registry = new WorkerConnections(database.db, {
      heartbeatIntervalMs: HEARTBEAT_MS,
      invokeTimeoutMs: 10_000,
      maxOutstandingPerWorker: 2,
    });
    port = await buildWorkerPort({ db: database.db, workerConnections: registry });
    await port.listen({ host: "127.0.0.1", port: 0 });
    const address = port.server.address() as { port: number };
    url = `http://127.0.0.1:${address.port}`;
    t = await buildTestApp(database, { workerConnections: registry, workerPort: address.port });
    space = await createSpace(t, "workers");
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await port.close();
    await t.close();
  });

  const createWorker = async (slug: string) => {
    const response = await t.request({
      method: "POST",
      url: `/api/space/${space}/bridge_worker`,
      body: { Slug: slug },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { BridgeWorkerID: string; Slug: string; Secret: string };
  };
  const client = (workerId: string, secret: string) => {
    const c = new H2WorkerClient(url, workerId, secret);
    clients.push(c);
    return c;
  };
  const readWorker = async (workerId: string) =>
    (await t.request({ method: "GET", url: `/api/space/${space}/bridge_worker/${workerId}` })).json()
      .BridgeWorker;
  const statuses = async (workerId: string) =>
    (await t.request({ method: "GET", url: `/api/space/${space}/bridge_worker/${workerId}/status` }))
      .json()
      .map((s: { Status: string }) => s.Status);
  /** A connected worker that answers heartbeats. */
  const connected = async (slug: string) => {
    const worker = await createWorker(slug);
    const c = client(worker.BridgeWorkerID, worker.Secret);
    expect((await c.openStream(WORKER_INFO)).status).toBe(200);
    c.answerHeartbeats();
    await eventually(async () => expect((await readWorker(worker.BridgeWorkerID)).Condition).toBe("Ready"));
    return { worker, c };
  };

  it("speaks TLS with ALPN h2 when given a certificate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "confn-worker-tls-"));
    try {
      // A throwaway self-signed certificate for 127.0.0.1.
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-days",
          "1",
          "-subj",
          "/CN=127.0.0.1",
          "-addext",
          "subjectAltName=IP:127.0.0.1",
          "-keyout",
          join(dir, "key.pem"),
          "-out",
          join(dir, "cert.pem"),
        ],
        { stdio: "ignore" },
      );
      const cert = readFileSync(join(dir, "cert.pem"));
      // Its own registry: closing a worker port closes the registry it serves.
      const secure = await buildWorkerPort({
        db: database.db,
        workerConnections: new WorkerConnections(database.db),
        tls: { cert, key: readFileSync(join(dir, "key.pem")) },
      });
      await secure.listen({ host: "127.0.0.1", port: 0 });
      try {
        const worker = await createWorker("tls");
        const { port: securePort } = secure.server.address() as { port: number };
        const c = new H2WorkerClient(
          `https://127.0.0.1:${securePort}`,
          worker.BridgeWorkerID,
          worker.Secret,
          {
            ca: cert,
          },
        );
        clients.push(c);
        const me = await c.request("GET", "/me");
        expect(me.status).toBe(200);
        expect(c.session.alpnProtocol).toBe("h2");
        expect(JSON.parse(me.body).Slug).toBe("tls");
        c.close();
      } finally {
        await secure.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("advertises the port in GET /api/info, as a ConfigHub worker discovers it", async () => {
    const info = await t.app.inject({ method: "GET", url: "/api/info" });
    expect(info.json().WorkerPort).toBe(url.split(":").at(-1));
  });

  it("registers a worker, answers its heartbeats and sends it InvokeFunctions, correlated by QueuedOperationID", async () => {
    const worker = await createWorker("policy");
    const c = client(worker.BridgeWorkerID, worker.Secret);

    const me = await c.request("GET", "/me");
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body)).toMatchObject({ BridgeWorkerID: worker.BridgeWorkerID, Slug: "policy" });
    expect(me.body).not.toContain("Secret");

    const opened = await c.openStream(WORKER_INFO);
    expect(opened).toEqual({ status: 200, body: "text/event-stream" });
    const beat = await c.next((e) => e.Event === "WorkerEvent");
    expect(beat.Data).toEqual({ Action: "Heartbeat", Payload: { Timestamp: expect.any(Number) } });
    const answer = await c.actionResult({
      Action: "Heartbeat",
      Status: "Completed",
      Result: "None",
      Message: "MemoryPressure",
    });
    expect(answer).toEqual({ status: 200, body: JSON.stringify("heartbeat recorded") });

    const registered = await readWorker(worker.BridgeWorkerID);
    expect(registered).toMatchObject({
      Condition: "Ready",
      LastMessage: "MemoryPressure",
      ProvidedInfo: WORKER_INFO,
    });
    expect(registered.IPAddress).toMatch(/127\.0\.0\.1/);
    expect(Date.parse(registered.LastSeenAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await statuses(worker.BridgeWorkerID)).toEqual(["Connected"]);
    expect(await registry.registeredWorker(t.org.organizationId, worker.BridgeWorkerID)).toEqual({
      slug: worker.Slug,
      signatures: WORKER_INFO.FunctionWorkerInfo.SupportedFunctions,
    });
    expect(await registry.registeredWorker(t.otherOrg.organizationId, worker.BridgeWorkerID)).toBeNull();
    c.answerHeartbeats();

    // The worker's functions are listed for it (nulls a Go worker sends omitted), with `where`.
    const { AffectedResourceTypes: _null, ...listedSignature } = SIGNATURE;
    const { Parameters: _none, ...listedOwn } = OWN_SET_LABEL;
    const list = async (path: string) => {
      const response = await t.request({ method: "GET", url: `/api/space/${space}/${path}` });
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    };
    const byWorker = `function?entity=worker&id=${worker.BridgeWorkerID}`;
    expect(await list(byWorker)).toEqual({
      "Kubernetes/YAML": { "require-cost-center": listedSignature, "set-label": listedOwn },
    });
    expect(await list(`bridge_worker/${worker.BridgeWorkerID}/function`)).toEqual(await list(byWorker));
    expect(await list(`${byWorker}&where=${encodeURIComponent("Validating = true")}`)).toEqual({
      "Kubernetes/YAML": { "require-cost-center": listedSignature },
    });
    // The builtins stay what they are: the worker's set-label does not shadow the builtin one.
    const builtin = (await list("function"))["Kubernetes/YAML"]["set-label"];
    expect(builtin.Description).not.toBe(OWN_SET_LABEL.Description);
    expect(builtin.Parameters.length).toBeGreaterThan(0);
    const unknown = await t.request({
      method: "GET",
      url: `/api/space/${space}/function?entity=worker&id=${randomUUID()}`,
    });
    expect(unknown.statusCode).toBe(404);

    // Success: the response comes back decoded, with the fields a Go worker leaves null filled in.
    const request = invocationRequest(t.org.organizationId, space);
    const pending = registry.invoke(t.org.organizationId, worker.BridgeWorkerID, request);
    const event = await c.nextInvocation();
    expect(event.Event).toBe("FunctionWorkerEvent");
    expect(event.Data.Payload).toEqual({ QueuedOperationID: expect.any(String), InvocationRequest: request });
    const operationId = event.Data.Payload.QueuedOperationID as string;
    const response: Partial<FunctionInvocationResponse> = {
      OrganizationID: request.OrganizationID,
      SpaceID: request.SpaceID,
      UnitID: request.UnitID,
      RevisionID: request.RevisionID,
      ConfigData: request.ConfigData,
      Output: b64json({ Passed: false }),
      OutputType: "ValidationResult",
      Mutations: null as never,
      Mutators: null as never,
      Success: true,
      ErrorMessages: null as never,
    };
    const posted = await c.actionResult({
      QueuedOperationID: operationId,
      UnitID: request.UnitID,
      SpaceID: request.SpaceID,
      Action: "InvokeFunctions",
      Result: "FunctionInvocationCompleted",
      Status: "Completed",
      Data: b64json(response),
    });
    expect(posted.status).toBe(200);
    expect(await pending).toMatchObject({
      UnitID: request.UnitID,
      UnitSlug: "web",
      ConfigData: request.ConfigData,
      OutputType: "ValidationResult",
      Mutations: [],
      Mutators: [],
      ErrorMessages: [],
      Success: true,
    });

    // The worker failing the invocation: its message reaches the caller.
    const failing = rejection(registry.invoke(t.org.organizationId, worker.BridgeWorkerID, request));
    const second = await c.nextInvocation();
    await c.actionResult({
      QueuedOperationID: second.Data.Payload.QueuedOperationID,
      Action: "InvokeFunctions",
      Result: "FunctionInvocationFailed",
      Status: "Failed",
      Message: "label cost-center missing on Deployment/web",
    });
    const failure = await failing;
    expect(failure).toBeInstanceOf(WorkerDispatchError);
    expect(failure).toMatchObject({
      code: "WORKER_FAILED",
      message: expect.stringContaining("label cost-center missing"),
    });

    // A malformed answer fails the operation; it never reaches the pipeline as a response.
    const garbled = rejection(registry.invoke(t.org.organizationId, worker.BridgeWorkerID, request));
    const third = await c.nextInvocation();
    await c.actionResult({
      QueuedOperationID: third.Data.Payload.QueuedOperationID,
      Action: "InvokeFunctions",
      Status: "Completed",
      Data: Buffer.from("not json").toString("base64"),
    });
    expect(await garbled).toMatchObject({
      code: "WORKER_FAILED",
      message: expect.stringContaining("malformed"),
    });

    // A result for an operation that is not pending (or another worker's) changes nothing.
    const stray = await c.actionResult({
      QueuedOperationID: operationId,
      Action: "InvokeFunctions",
      Status: "Completed",
    });
    expect(stray.status).toBe(200);
    expect(JSON.parse(stray.body)).toContain("ignored");
  });

  it("answers 401 alike for a wrong secret and an unknown worker, and refuses a bad registration", async () => {
    const worker = await createWorker("locked");
    const responses = [
      await client(worker.BridgeWorkerID, "confn_worker_wrong").request("GET", "/me"),
      await client(randomUUID(), worker.Secret).request("GET", "/me"),
      await client("not-a-uuid", worker.Secret).request("GET", "/me"),
      await client(worker.BridgeWorkerID, "confn_worker_wrong").openStream(WORKER_INFO),
    ];
    for (const response of responses) {
      expect(response.status).toBe(401);
      expect(JSON.parse(response.body)).toEqual({
        Code: "401",
        Message: "unknown bridge worker or wrong secret",
      });
    }
    const c = client(worker.BridgeWorkerID, worker.Secret);
    const noAuth = await c.request("GET", "/me", undefined, { authorization: "" });
    expect(noAuth.status).toBe(401);

    const bad = await c.openStream({
      FunctionWorkerInfo: { SupportedFunctions: { "Kubernetes/YAML": { x: { Mutating: "yes" } } } },
    });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).Message).toMatch(/FunctionName|Mutating/);
    expect((await readWorker(worker.BridgeWorkerID)).Condition).toBe("Disconnected");
  });

  it("ends the stream when the secret is rotated, and the old secret stops working at once", async () => {
    const { worker, c } = await connected("rotated");
    const rotated = await t.request({
      method: "POST",
      url: `/api/space/${space}/bridge_worker/${worker.BridgeWorkerID}/secret`,
    });
    await c.streamEnded();
    expect((await c.request("GET", "/me")).status).toBe(401);
    c.useSecret(rotated.json().Secret);
    expect((await c.request("GET", "/me")).status).toBe(200);
    // The Condition is written after the history entry (recordWorkerDisconnected): wait for it.
    await eventually(async () =>
      expect((await readWorker(worker.BridgeWorkerID)).Condition).toBe("Disconnected"),
    );
    expect(await statuses(worker.BridgeWorkerID)).toEqual(["Connected", "Disconnected"]);
  });

  it("refuses an old secret's action_result at once after rotation, though it was just accepted", async () => {
    const { worker, c } = await connected("warm");
    const beat = { Action: "Heartbeat", Status: "Completed", Result: "None", Message: "alive" };
    // Accepted twice: the second from the verified-secret cache.
    expect((await c.request("POST", "/action_result", beat)).status).toBe(200);
    expect((await c.request("POST", "/action_result", beat)).status).toBe(200);
    const rotated = await t.request({
      method: "POST",
      url: `/api/space/${space}/bridge_worker/${worker.BridgeWorkerID}/secret`,
    });
    expect(rotated.statusCode).toBe(200);
    expect((await c.request("POST", "/action_result", beat)).status).toBe(401);
    c.useSecret(rotated.json().Secret);
    expect((await c.request("POST", "/action_result", beat)).status).toBe(200);
    await t.request({ method: "DELETE", url: `/api/space/${space}/bridge_worker/${worker.BridgeWorkerID}` });
    expect((await c.request("POST", "/action_result", beat)).status).toBe(401);
  });

  it("ends the stream of a deleted worker", async () => {
    const { worker, c } = await connected("doomed");
    const deleted = await t.request({
      method: "DELETE",
      url: `/api/space/${space}/bridge_worker/${worker.BridgeWorkerID}`,
    });
    expect(deleted.statusCode).toBe(200);
    await c.streamEnded();
    expect(registry.isConnected(worker.BridgeWorkerID)).toBe(false);
    expect((await c.request("GET", "/me")).status).toBe(401);
  });

  it("ends the streams of the workers of a deleted Space", async () => {
    const doomedSpace = await createSpace(t, "doomed-space");
    const created = await t.request({
      method: "POST",
      url: `/api/space/${doomedSpace}/bridge_worker`,
      body: { Slug: "policy" },
    });
    const worker = created.json() as { BridgeWorkerID: string; Secret: string };
    const c = client(worker.BridgeWorkerID, worker.Secret);
    expect((await c.openStream(WORKER_INFO)).status).toBe(200);
    c.answerHeartbeats();
    await eventually(async () => expect(registry.isConnected(worker.BridgeWorkerID)).toBe(true));
    // Revoked at once (on every replica), not left to a heartbeat it cannot answer any more.
    const revoke = vi.spyOn(registry, "revoke");
    const deleted = await t.request({ method: "DELETE", url: `/api/space/${doomedSpace}` });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expect(revoke).toHaveBeenCalledWith(worker.BridgeWorkerID);
    revoke.mockRestore();
    await c.streamEnded();
    expect(registry.isConnected(worker.BridgeWorkerID)).toBe(false);
    expect((await c.request("GET", "/me")).status).toBe(401);
  });

  it("ends a stream at the next missed heartbeat when its worker is gone without a word here", async () => {
    // As when another replica deleted it and its notification was lost: the row just disappears.
    const worker = await createWorker("vanishing");
    const c = client(worker.BridgeWorkerID, worker.Secret);
    expect((await c.openStream(WORKER_INFO)).status).toBe(200);
    await eventually(async () => expect(registry.isConnected(worker.BridgeWorkerID)).toBe(true));
    await database.db
      .deleteFrom("bridge_workers")
      .where("bridge_worker_id", "=", worker.BridgeWorkerID)
      .execute();
    // Its heartbeat answers cannot authenticate any more; the first one missed ends the stream.
    await c.streamEnded();
    expect(registry.isConnected(worker.BridgeWorkerID)).toBe(false);
  });

  it("marks a worker that misses heartbeats Unresponsive, and Ready again when it answers", async () => {
    const worker = await createWorker("sleepy");
    const c = client(worker.BridgeWorkerID, worker.Secret);
    expect((await c.openStream(WORKER_INFO)).status).toBe(200);
    await vi.waitFor(
      async () => expect((await readWorker(worker.BridgeWorkerID)).Condition).toBe("Unresponsive"),
      {
        timeout: 20 * HEARTBEAT_MS + 5_000,
      },
    );
    c.answerHeartbeats();
    await vi.waitFor(async () => expect((await readWorker(worker.BridgeWorkerID)).Condition).toBe("Ready"), {
      timeout: 20 * HEARTBEAT_MS + 5_000,
    });
  });

  it("fails pending operations at once when the stream drops, and records the disconnect", async () => {
    const { worker, c } = await connected("flaky");
    const request = invocationRequest(t.org.organizationId, space);
    const pending = rejection(registry.invoke(t.org.organizationId, worker.BridgeWorkerID, request));
    await c.nextInvocation();
    c.dropStream();
    expect(await pending).toMatchObject({ code: "WORKER_DISCONNECTED" });
    await eventually(async () =>
      expect((await readWorker(worker.BridgeWorkerID)).Condition).toBe("Disconnected"),
    );
    expect(await statuses(worker.BridgeWorkerID)).toEqual(["Connected", "Disconnected"]);
    // No stream at all: refused before anything is sent.
    expect(
      await rejection(registry.invoke(t.org.organizationId, worker.BridgeWorkerID, request)),
    ).toMatchObject({
      code: "WORKER_DISCONNECTED",
    });

    // A reconnect is a re-registration: Ready again, with what it announces now.
    expect((await c.openStream({ FunctionWorkerInfo: { SupportedFunctions: null } })).status).toBe(200);
    c.answerHeartbeats();
    await eventually(async () => expect((await readWorker(worker.BridgeWorkerID)).Condition).toBe("Ready"));
    expect(await registry.registeredWorker(t.org.organizationId, worker.BridgeWorkerID)).toEqual({
      slug: worker.Slug,
      signatures: {},
    });
    expect(await statuses(worker.BridgeWorkerID)).toEqual(["Connected", "Disconnected", "Connected"]);
  });

  it("times out, refuses more operations than allowed, and never dispatches to another organization's worker", async () => {
    const { worker, c } = await connected("slow");
    const request = invocationRequest(t.org.organizationId, space);
    const timedOut = registry.invoke(t.org.organizationId, worker.BridgeWorkerID, request, {
      timeoutMs: 100,
    });
    expect(await rejection(timedOut)).toMatchObject({
      code: "WORKER_TIMEOUT",
      message: expect.stringContaining("did not answer within 0.1 s (the server's CONFN_WORKER_TIMEOUT)"),
    });
    // The worker did get it; its answer after the timeout is ignored.
    const late = await c.nextInvocation();
    const ignored = await c.actionResult({
      QueuedOperationID: late.Data.Payload.QueuedOperationID,
      Action: "InvokeFunctions",
      Status: "Completed",
      Data: b64json({ ConfigData: request.ConfigData, Success: true }),
    });
    expect(JSON.parse(ignored.body)).toContain("ignored");

    const first = registry.invoke(t.org.organizationId, worker.BridgeWorkerID, request);
    const second = registry.invoke(t.org.organizationId, worker.BridgeWorkerID, request);
    const busy = await rejection(registry.invoke(t.org.organizationId, worker.BridgeWorkerID, request));
    expect(busy).toMatchObject({ code: "WORKER_BUSY", retryAfterSeconds: 1 });
    for (const pending of [first, second]) {
      const event = await c.nextInvocation();
      await c.actionResult({
        QueuedOperationID: event.Data.Payload.QueuedOperationID,
        Action: "InvokeFunctions",
        Status: "Completed",
        Data: b64json({ ConfigData: request.ConfigData, Success: true }),
      });
      await pending;
    }

    expect(
      await rejection(registry.invoke(t.otherOrg.organizationId, worker.BridgeWorkerID, request)),
    ).toMatchObject({
      code: "WORKER_DISCONNECTED",
    });
  });
});

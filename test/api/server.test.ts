// The real server: listening on a port, first-start bootstrap, persistence across restarts,
// graceful shutdown. Runs on a persisted PGlite directory and, when configured, on PostgreSQL.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import costCenterFunctions from "../../examples/worker/cost-center.ts";
import type { ServerConfig } from "../../src/api/server-config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import type { DatabaseConfig } from "../../src/store/database-config.ts";
import { openDatabase } from "../../src/store/database.ts";
import { DataDirLockedError } from "../../src/store/errors.ts";
import { b64 } from "../support/databases.ts";
import { H2WorkerClient } from "../support/h2-worker-client.ts";
import { testPostgresUrl } from "../support/test-postgres.ts";
import { Worker } from "../../src/worker/index.ts";

/** A persisted PGlite runs initdb on first start: seconds, more on a loaded machine. */
const SLOW = 180_000;

interface Target {
  readonly name: string;
  database(dir: string): DatabaseConfig;
  cleanup(config: DatabaseConfig): Promise<void>;
}

const targets: Target[] = [
  {
    name: "PGlite (persisted directory)",
    database: (dir) => ({ kind: "pglite", dataDir: join(dir, ".confn", "data") }),
    cleanup: async () => undefined,
  },
];
const postgresUrl = testPostgresUrl();
if (postgresUrl) {
  targets.push({
    name: "PostgreSQL",
    database: () => ({
      kind: "postgres",
      url: postgresUrl,
      schema: `confn_test_${randomBytes(6).toString("hex")}`,
    }),
    cleanup: async (config) => {
      const database = await openDatabase(config);
      await database.db.schema
        .dropSchema(config.kind === "postgres" ? config.schema! : "")
        .cascade()
        .execute();
      await database.close();
    },
  });
}

describe.each(targets)("server on $name", (target) => {
  let dir: string;
  let config: ServerConfig;
  const running: RunningServer[] = [];

  const start = async () => {
    const server = await startServer(config);
    running.push(server);
    return server;
  };

  afterEach(async () => {
    for (const server of running.splice(0)) await server.close();
    await target.cleanup(config.database);
    rmSync(dir, { recursive: true, force: true });
  });

  function setUp() {
    dir = mkdtempSync(join(tmpdir(), "confn-server-"));
    config = {
      host: "127.0.0.1",
      port: 0,
      bodyLimit: 1024 * 1024,
      logLevel: "silent",
      shutdownTimeoutMs: 10_000,
      database: target.database(dir),
      adminTokenFile: join(dir, ".confn", "admin-token"),
      worker: {
        port: 0,
        tls: undefined,
        heartbeatIntervalMs: 30_000,
        invokeTimeoutMs: 30_000,
        maxOutstanding: 256,
      },
      // Threads start only with a large dry run: shutdown must stop them when they did.
      engineThreads: 2,
    };
  }

  it(
    "creates the default organization and an admin token once, and keeps all data across a restart",
    async () => {
      setUp();
      const first = await start();
      expect(first.firstStart).toMatchObject({
        organizationSlug: "default",
        adminTokenFile: config.adminTokenFile,
      });
      const token = first.firstStart!.adminToken;
      expect(readFileSync(config.adminTokenFile!, "utf8")).toBe(`${token}\n`);
      expect(statSync(config.adminTokenFile!).mode & 0o777).toBe(0o600);

      const api = (server: RunningServer, path: string, init: RequestInit = {}) =>
        fetch(`${server.url}${path}`, {
          ...init,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
        });
      const space = (await (
        await api(first, "/api/space", { method: "POST", body: JSON.stringify({ Slug: "prod" }) })
      ).json()) as { SpaceID: string };
      const unitUrl = `/api/space/${space.SpaceID}/unit`;
      const unit = (await (
        await api(first, unitUrl, {
          method: "POST",
          body: JSON.stringify({ Slug: "web", ToolchainType: "Kubernetes/YAML", Data: b64("replicas: 1\n") }),
        })
      ).json()) as { UnitID: string };
      const patched = await api(first, `${unitUrl}/${unit.UnitID}`, {
        method: "PATCH",
        headers: { "content-type": "application/merge-patch+json" },
        body: JSON.stringify({ Data: b64("replicas: 2\n") }),
      });
      expect(patched.status).toBe(200);

      // The worker port: advertised by /api/info, served over HTTP/2, and a worker's open stream
      // does not hold up the shutdown (it is ended first).
      const info = (await (await fetch(`${first.url}/api/info`)).json()) as { WorkerPort: string };
      expect(first.workerUrl).toBe(`http://127.0.0.1:${info.WorkerPort}`);
      const worker = (await (
        await api(first, `/api/space/${space.SpaceID}/bridge_worker`, {
          method: "POST",
          body: JSON.stringify({ Slug: "policy" }),
        })
      ).json()) as { BridgeWorkerID: string; Secret: string };
      const client = new H2WorkerClient(first.workerUrl, worker.BridgeWorkerID, worker.Secret);
      try {
        expect((await client.openStream({})).status).toBe(200);
        await client.next((event) => event.Data.Action === "Heartbeat");
        expect(await first.close()).toEqual({ forced: false });
        await client.streamEnded();
      } finally {
        client.close();
      }

      const second = await start();
      // No second secret: the token was shown once, and only its hash is stored.
      expect(second.firstStart).toBeUndefined();
      expect(readFileSync(config.adminTokenFile!, "utf8")).toBe(`${token}\n`);
      const after = (await (await api(second, `${unitUrl}/${unit.UnitID}`)).json()) as { Unit: unknown };
      expect(after.Unit).toMatchObject({ Slug: "web", HeadRevisionNum: 2, Data: b64("replicas: 2\n") });
      const revisions = (await (await api(second, `${unitUrl}/${unit.UnitID}/revision`)).json()) as {
        Revision: { RevisionNum: number };
      }[];
      expect(revisions.map((r) => r.Revision.RevisionNum)).toEqual([1, 2]);
      const health = await fetch(`${second.url}/healthz`);
      expect(health.status).toBe(200);
      expect(health.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    },
    SLOW,
  );

  it(
    "finishes an in-flight request before shutting down",
    async () => {
      setUp();
      const server = await start();
      const token = server.firstStart!.adminToken;
      const body = JSON.stringify({ Slug: "slow-space" });
      const { port } = new URL(server.url);
      const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          {
            host: "127.0.0.1",
            port,
            method: "POST",
            path: "/api/space",
            headers: {
              authorization: `Bearer ${token}`,
              "content-type": "application/json",
              "content-length": Buffer.byteLength(body),
            },
          },
          (res) => {
            let text = "";
            res.on("data", (chunk: Buffer) => (text += chunk.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on("error", reject);
        // Half the body now; the rest once shutdown has begun.
        req.write(body.slice(0, 5));
        setTimeout(() => {
          closing = server.close();
          setTimeout(() => req.end(body.slice(5)), 200);
        }, 200);
      });
      let closing: Promise<unknown> | undefined;
      const result = await response;
      expect(result.status).toBe(200);
      expect(JSON.parse(result.body).Slug).toBe("slow-space");
      await closing;
      // Closed: new connections are refused.
      await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    },
    SLOW,
  );

  it(
    "cuts a stuck request off after the shutdown timeout, then closes",
    async () => {
      setUp();
      config = { ...config, shutdownTimeoutMs: 300 };
      const server = await start();
      const { port } = new URL(server.url);
      // A client that sends half its body and then nothing: in flight for ever.
      const cutOff = new Promise<string>((resolve) => {
        const req = httpRequest({
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/api/space",
          headers: {
            authorization: `Bearer ${server.firstStart!.adminToken}`,
            "content-type": "application/json",
            "content-length": 100,
          },
        });
        req.on("error", (error) => resolve(error.message));
        req.on("response", (res) => resolve(`answered ${res.statusCode}`));
        req.write('{"Slug": "st');
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Safety bound (issue 11): without the timeout, close() waited for this request for ever.
      const shutdown = await within(15_000, server.close(), "server.close() with a stuck request");
      expect(shutdown).toEqual({ forced: true });
      expect(await cutOff).toMatch(/socket hang up|ECONNRESET/);
      await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    },
    SLOW,
  );

  it(
    "records a connected worker Disconnected when it shuts down, before the database closes",
    async () => {
      setUp();
      const server = await start();
      const token = server.firstStart!.adminToken;
      const api = (path: string, body?: unknown) =>
        fetch(`${server.url}${path}`, {
          method: body === undefined ? "GET" : "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      const space = (await (await api("/api/space", { Slug: "workers" })).json()) as { SpaceID: string };
      const created = (await (
        await api(`/api/space/${space.SpaceID}/bridge_worker`, { Slug: "policy" })
      ).json()) as { BridgeWorkerID: string; Secret: string };
      const errors: string[] = [];
      // The SDK worker reconnects at once when its stream ends, as a worker in production does.
      const worker = new Worker({
        url: server.url,
        workerId: created.BridgeWorkerID,
        secret: created.Secret,
        functions: costCenterFunctions,
        backoff: { initialMs: 10, maxMs: 50 },
        log: () => undefined,
      });
      await worker.start();
      try {
        const condition = async () => {
          const database = await openDatabase(config.database);
          try {
            const row = await database.db
              .selectFrom("bridge_workers")
              .select("condition")
              .where("bridge_worker_id", "=", created.BridgeWorkerID)
              .executeTakeFirstOrThrow();
            return row.condition;
          } finally {
            await database.close();
          }
        };
        const before = (await (
          await api(`/api/space/${space.SpaceID}/bridge_worker/${created.BridgeWorkerID}`)
        ).json()) as { BridgeWorker: { Condition: string } };
        expect(before.BridgeWorker.Condition).toBe("Ready");
        server.app.log.error = (...args: unknown[]) => void errors.push(JSON.stringify(args));
        server.workerApp.log.error = (...args: unknown[]) => void errors.push(JSON.stringify(args));
        // The worker goes away as the server stops (both stopped by one signal): the disconnect its
        // stream's close starts is written before the database closes, as is the shutdown's own.
        // The worker goes away just before the server stops (both stopped by one signal): the
        // shutdown waits for the disconnect that the stream's close started.
        await worker.stop();
        while (server.app.workerConnections.isConnected(created.BridgeWorkerID)) {
          await new Promise((resolve) => setImmediate(resolve));
        }
        expect(await server.close()).toEqual({ forced: false });
        expect(errors).toEqual([]);
        // Written before the database closed: not Ready until the worker's next connect.
        expect(await condition()).toBe("Disconnected");
      } finally {
        await worker.stop();
      }
    },
    SLOW,
  );

  if (target.name.startsWith("PGlite")) {
    it(
      "refuses a second process on the same data directory while the server runs",
      async () => {
        setUp();
        await start();
        const dataDir = (config.database as { dataDir: string }).dataDir;
        await expect(openDatabase({ kind: "pglite", dataDir })).rejects.toBeInstanceOf(DataDirLockedError);
      },
      SLOW,
    );
  }
});

function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

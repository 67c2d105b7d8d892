// Bridge workers across replicas (issue 13, part 6): two servers on one PostgreSQL database, a
// worker connected to replica A, invocations arriving at replica B. B has no stream for the worker,
// so the call goes through a queued operation that A claims, runs on the worker and answers.
// PostgreSQL only: the embedded database serves one process, where dispatch stays in memory.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import costCenterFunctions from "../../examples/worker/cost-center.ts";
import type { ServerConfig } from "../../src/api/server-config.ts";
import { startServer, type RunningServer } from "../../src/api/server.ts";
import { openDatabase } from "../../src/store/database.ts";
import { Worker } from "../../src/worker/index.ts";
import { b64 } from "../support/databases.ts";
import { POSTGRES_URL_VARIABLE, testPostgresUrl } from "../support/test-postgres.ts";
import { call, deployment } from "./invoke-support.ts";

const postgresUrl = testPostgresUrl();

describe.skipIf(!postgresUrl)(
  `bridge workers across two replicas on PostgreSQL (skipped without ${POSTGRES_URL_VARIABLE}: replicas need a shared PostgreSQL)`,
  () => {
    const schema = `confn_test_${randomBytes(6).toString("hex")}`;
    const config: ServerConfig = {
      host: "127.0.0.1",
      port: 0,
      bodyLimit: 1024 * 1024,
      logLevel: "silent",
      shutdownTimeoutMs: 10_000,
      database: { kind: "postgres", url: postgresUrl ?? "", schema, poolSize: 4 },
      adminTokenFile: undefined,
      worker: {
        port: 0,
        tls: undefined,
        heartbeatIntervalMs: 30_000,
        invokeTimeoutMs: 15_000,
        maxOutstanding: 256,
      },
      engineThreads: 1,
    };
    let a: RunningServer;
    let b: RunningServer;
    let token: string;
    let worker: Worker | undefined;
    let spaceId: string;
    let unitId: string;
    let workerId: string;

    const api = async (server: RunningServer, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, text, json: () => JSON.parse(text) as unknown };
    };
    const invokeOn = (server: RunningServer, dryRun: boolean) =>
      api(server, "POST", `/api/space/${spaceId}/function/invoke${dryRun ? "?dry_run=true" : ""}`, {
        BridgeWorkerID: workerId,
        FunctionInvocations: [call("set-cost-center", "cc-42")],
      });
    const dataOf = (element: { ConfigData: string }) =>
      Buffer.from(element.ConfigData, "base64").toString("utf8");

    beforeAll(async () => {
      a = await startServer(config);
      b = await startServer(config);
      token = a.firstStart!.adminToken;
      const space = await api(a, "POST", "/api/space", { Slug: "replicas" });
      spaceId = (space.json() as { SpaceID: string }).SpaceID;
      const unit = await api(a, "POST", `/api/space/${spaceId}/unit`, {
        Slug: "web",
        ToolchainType: "Kubernetes/YAML",
        Data: b64(deployment("web")),
      });
      expect(unit.status, unit.text).toBe(200);
      unitId = (unit.json() as { UnitID: string }).UnitID;
      const created = await api(a, "POST", `/api/space/${spaceId}/bridge_worker`, { Slug: "cost-center" });
      const { BridgeWorkerID, Secret } = created.json() as { BridgeWorkerID: string; Secret: string };
      workerId = BridgeWorkerID;
      worker = new Worker({
        url: a.url,
        workerId,
        secret: Secret,
        functions: costCenterFunctions,
        backoff: { initialMs: 50, maxMs: 200 },
        log: () => undefined,
      });
      await worker.start();
    }, 60_000);

    afterAll(async () => {
      await worker?.stop();
      await b?.close();
      await a?.close();
      const database = await openDatabase({ kind: "postgres", url: postgresUrl ?? "" });
      await database.db.schema.dropSchema(schema).ifExists().cascade().execute();
      await database.close();
    });

    it("an invocation at replica B runs on the worker connected to replica A: a dry run, then a real run writes the Revision", async () => {
      expect(a.app.workerConnections.isConnected(workerId)).toBe(true);
      expect(b.app.workerConnections.isConnected(workerId)).toBe(false);

      const dry = await invokeOn(b, true);
      expect(dry.status, dry.text).toBe(200);
      const [element] = dry.json() as { ConfigData: string; Success: boolean; UnitID: string }[];
      expect(element).toMatchObject({ UnitID: unitId, Success: true });
      expect(dataOf(element!)).toContain("cost-center: cc-42");
      const unchanged = await api(a, "GET", `/api/space/${spaceId}/unit/${unitId}`);
      expect((unchanged.json() as { Unit: { HeadRevisionNum: number } }).Unit.HeadRevisionNum).toBe(1);

      const real = await invokeOn(b, false);
      expect(real.status, real.text).toBe(200);
      const after = await api(a, "GET", `/api/space/${spaceId}/unit/${unitId}`);
      const { Unit } = after.json() as { Unit: { HeadRevisionNum: number; Data: string } };
      expect(Unit.HeadRevisionNum).toBe(2);
      expect(Buffer.from(Unit.Data, "base64").toString("utf8")).toContain("cost-center: cc-42");

      // Nothing is left behind in the shared table once the answers were read.
      const database = await openDatabase({ kind: "postgres", url: postgresUrl ?? "", schema });
      try {
        await expect
          .poll(async () => (await database.db.selectFrom("queued_operations").selectAll().execute()).length)
          .toBe(0);
      } finally {
        await database.close();
      }
    });

    it("a worker recorded Ready that no replica holds fails per Unit as disconnected once nobody claims it; a stopped worker at once", async () => {
      await worker!.stop();
      worker = undefined;
      await expect
        .poll(async () => {
          const w = await api(a, "GET", `/api/space/${spaceId}/bridge_worker/${workerId}`);
          return (w.json() as { BridgeWorker: { Condition: string } }).BridgeWorker.Condition;
        })
        .toBe("Disconnected");
      const stopped = await invokeOn(b, false);
      expect(stopped.status, stopped.text).toBe(503);
      expect((stopped.json() as { Message: string }).Message).toBe(
        `bridge worker cost-center (${workerId}) is disconnected: the selected Unit got no result from it and nothing ` +
          "was written; start the worker (confn worker run) and call again",
      );

      // A replica that died without recording the disconnect leaves the worker Ready: no replica
      // claims the operation, and after the claim window the Unit fails the same way.
      const database = await openDatabase({ kind: "postgres", url: postgresUrl ?? "", schema });
      try {
        await database.db
          .updateTable("bridge_workers")
          .set({ condition: "Ready" })
          .where("bridge_worker_id", "=", workerId)
          .execute();
      } finally {
        await database.close();
      }
      const started = Date.now();
      const unclaimed = await invokeOn(b, true);
      expect(unclaimed.status, unclaimed.text).toBe(503);
      expect((unclaimed.json() as { Message: string }).Message).toContain(
        `bridge worker cost-center (${workerId}) is disconnected`,
      );
      expect(Date.now() - started).toBeLessThan(config.worker.invokeTimeoutMs);
      const unit = await api(b, "GET", `/api/space/${spaceId}/unit/${unitId}`);
      expect((unit.json() as { Unit: { HeadRevisionNum: number } }).Unit.HeadRevisionNum).toBe(2);
    }, 30_000);
  },
);

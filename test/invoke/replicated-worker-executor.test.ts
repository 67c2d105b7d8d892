// The executor behind bridge workers across replicas (issue 13, part 6), with two replicas' worker
// registries on one PostgreSQL database: the holding replica's failures reach the calling replica
// with their code and message, a claimed operation that gets no answer times out, and the shared
// table is left empty either way. The happy path through real servers is in
// test/api/worker-replicas.test.ts. PostgreSQL only: LISTEN/NOTIFY has no embedded counterpart.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { FunctionInvocationRequest } from "../../src/engine/index.ts";
import {
  ReplicatedWorkerExecutor,
  RESULTS_CHANNEL,
  WorkerConnections,
  WorkerDispatchError,
} from "../../src/invoke/index.ts";
import {
  createBridgeWorker,
  createSpace,
  finishQueuedOperation,
  notify,
  type Database,
  type WorkerKey,
} from "../../src/store/index.ts";
import type { ServerEvent } from "../../src/worker-protocol/index.ts";
import { newWorkerKey } from "../support/bridge-worker-key.ts";
import { createTestOrganization, testDatabases } from "../support/databases.ts";
import { POSTGRES_URL_VARIABLE } from "../support/test-postgres.ts";

const postgres = testDatabases().find((target) => target.name === "PostgreSQL");

describe.skipIf(!postgres)(
  `queued operations between replicas (skipped without ${POSTGRES_URL_VARIABLE}: LISTEN/NOTIFY needs PostgreSQL)`,
  () => {
    let database: Database;
    let holder: WorkerConnections;
    let caller: WorkerConnections;
    let holderExecutor: ReplicatedWorkerExecutor;
    let callerExecutor: ReplicatedWorkerExecutor;
    let key: WorkerKey;
    const sent: ServerEvent[] = [];

    beforeAll(async () => {
      database = await postgres!.open();
      key = await newWorkerKey(database, "replicas");
      holder = new WorkerConnections(database.db, { invokeTimeoutMs: 10_000 });
      caller = new WorkerConnections(database.db, { invokeTimeoutMs: 10_000 });
      holderExecutor = await ReplicatedWorkerExecutor.start(database, holder);
      callerExecutor = await ReplicatedWorkerExecutor.start(database, caller);
      const connection = await holder.connect(key, {}, "10.0.0.1", {
        send: (event) => void sent.push(event),
        end: () => undefined,
      });
      expect(connection).toBeDefined();
      return async () => {
        await callerExecutor.close();
        await holderExecutor.close();
        await holder.close();
        await caller.close();
      };
    });

    function request(): FunctionInvocationRequest {
      return {
        ToolchainType: "Kubernetes/YAML",
        UnitDisplayName: "web",
        UnitSlug: "web",
        UnitID: randomUUID(),
        UnitLabels: null,
        UnitAnnotations: null,
        SpaceID: randomUUID(),
        SpaceSlug: "replicas",
        OrganizationID: key.organizationId,
        TargetID: "",
        BridgeWorkerID: key.bridgeWorkerId,
        RevisionID: randomUUID(),
        RevisionNum: 1,
        New: false,
        PreviousContentHash: 0,
        ApprovedBy: null,
        ConfigData: Buffer.from("apiVersion: v1\nkind: ConfigMap\n").toString("base64"),
        LiveState: null,
        CastStringArgsToScalars: true,
        NumFilters: 0,
        StopOnError: true,
        CombineValidationResults: false,
        FunctionInvocations: [{ FunctionName: "require-cost-center", Arguments: [] }],
      };
    }

    /** The QueuedOperationID of the next InvokeFunctions the holder's stream carries. */
    async function nextOperation(): Promise<string> {
      let found: string | undefined;
      await expect
        .poll(() => {
          const index = sent.findIndex((e) => e.Event === "FunctionWorkerEvent");
          if (index !== -1) {
            const [event] = sent.splice(index, 1);
            found = (event!.Data.Payload as { QueuedOperationID: string }).QueuedOperationID;
          }
          return found;
        })
        .toBeDefined();
      return found!;
    }

    const rows = async () => (await database.db.selectFrom("queued_operations").selectAll().execute()).length;

    it("a worker's Failed answer at the holding replica fails the caller's Unit with WORKER_FAILED and the worker's message", async () => {
      expect(caller.isConnected(key.bridgeWorkerId)).toBe(false);
      const call = callerExecutor.invoke(key.organizationId, key.bridgeWorkerId, request());
      const operationId = await nextOperation();
      await holder.receive(key, {
        Action: "InvokeFunctions",
        QueuedOperationID: operationId,
        Status: "Failed",
        Result: "None",
        Message: "the cost database is unreachable",
      });
      const error = await call.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkerDispatchError);
      expect(error).toMatchObject({
        code: "WORKER_FAILED",
        message: `bridge worker ${key.bridgeWorkerId} failed the invocation (Failed): the cost database is unreachable`,
      });
      await expect.poll(rows).toBe(0);
    });

    it("a claimed operation the worker never answers times out at the caller, and a late answer is ignored", async () => {
      const call = callerExecutor.invoke(key.organizationId, key.bridgeWorkerId, request(), {
        timeoutMs: 1_500,
      });
      const operationId = await nextOperation();
      await expect(call).rejects.toMatchObject({
        code: "WORKER_TIMEOUT",
        message: `bridge worker ${key.bridgeWorkerId} did not answer within 1.5 s (the server's CONFN_WORKER_TIMEOUT)`,
      });
      await expect.poll(rows).toBe(0);
      expect(
        await holder.receive(key, {
          Action: "InvokeFunctions",
          QueuedOperationID: operationId,
          Status: "Completed",
          Result: "FunctionInvocationCompleted",
          Data: "",
        }),
      ).toBe(`no pending operation ${operationId} for this worker: ignored`);
    });

    it("a timeout the holding replica records first reads as the caller's own timeout", async () => {
      // Both timers run to the same deadline; on a loaded machine the holder's fires first and
      // records its remaining time. The caller names the timeout it asked for either way.
      const call = callerExecutor.invoke(key.organizationId, key.bridgeWorkerId, request(), {
        timeoutMs: 5_000,
      });
      const eventOperationId = await nextOperation();
      // The row is the caller's; the holder's stream carries its own operation for it.
      const [row] = await database.db
        .selectFrom("queued_operations")
        .select("queued_operation_id")
        .where("status", "=", "Delivered")
        .execute();
      const operationId = row!.queued_operation_id;
      expect(
        await finishQueuedOperation(database.db, operationId, key.bridgeWorkerId, {
          status: "Failed",
          errorCode: "WORKER_TIMEOUT",
          errorMessage: `bridge worker ${key.bridgeWorkerId} did not answer within 4987 ms`,
        }),
      ).toBe(true);
      await notify(database.db, RESULTS_CHANNEL, operationId);
      await expect(call).rejects.toMatchObject({
        code: "WORKER_TIMEOUT",
        message: `bridge worker ${key.bridgeWorkerId} did not answer within 5 s (the server's CONFN_WORKER_TIMEOUT)`,
      });
      await expect.poll(rows).toBe(0);
      // The worker's answer ends the holder's own wait; it has no row left to write to.
      await holder.receive(key, {
        Action: "InvokeFunctions",
        QueuedOperationID: eventOperationId,
        Status: "Completed",
        Result: "FunctionInvocationCompleted",
        Data: "",
      });
    });

    it("a worker that connects while an operation for it waits unclaimed picks it up at once", async () => {
      const attributes = { displayName: "", labels: {}, annotations: {}, deleteGates: {} };
      const space = await createSpace(database.db, key.organizationId, { slug: "late", ...attributes });
      const late = await createBridgeWorker(database.db, key.organizationId, space.space_id, {
        slug: "late",
        ...attributes,
      });
      const lateKey = { organizationId: key.organizationId, bridgeWorkerId: late.bridge_worker_id };
      // Recorded Ready (its replica is reconnecting it, or went away without recording the
      // disconnect), so the call queues an operation that no replica can claim yet.
      await database.db
        .updateTable("bridge_workers")
        .set({ condition: "Ready" })
        .where("bridge_worker_id", "=", lateKey.bridgeWorkerId)
        .execute();
      const call = callerExecutor.invoke(
        lateKey.organizationId,
        lateKey.bridgeWorkerId,
        { ...request(), BridgeWorkerID: lateKey.bridgeWorkerId },
        { timeoutMs: 10_000 },
      );
      const waiting = () =>
        database.db
          .selectFrom("queued_operations")
          .select(["queued_operation_id", "status"])
          .where("bridge_worker_id", "=", lateKey.bridgeWorkerId)
          .execute();
      await expect.poll(waiting).toMatchObject([{ status: "Pending" }]);
      // Its notification went by with no stream for the worker anywhere: nobody claimed it.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await waiting()).toMatchObject([{ status: "Pending" }]);

      const events: ServerEvent[] = [];
      const connection = await holder.connect(lateKey, {}, "10.0.0.2", {
        send: (event) => void events.push(event),
        end: () => undefined,
      });
      try {
        let operationId: string | undefined;
        await expect
          .poll(() => {
            const event = events.find((e) => e.Event === "FunctionWorkerEvent");
            operationId = (event?.Data.Payload as { QueuedOperationID?: string } | undefined)
              ?.QueuedOperationID;
            return operationId;
          })
          .toBeDefined();
        const response = { ...request(), ConfigData: "", Success: true, Mutators: [], ErrorMessages: [] };
        await holder.receive(lateKey, {
          Action: "InvokeFunctions",
          QueuedOperationID: operationId!,
          Status: "Completed",
          Result: "FunctionInvocationCompleted",
          Data: Buffer.from(JSON.stringify(response)).toString("base64"),
        });
        // Picked up on connect: without that, the claim window withdraws it (WORKER_DISCONNECTED).
        await expect(call).resolves.toMatchObject({ Success: true });
        await expect.poll(rows).toBe(0);
      } finally {
        await connection?.closed();
      }
    });

    it("a worker deleted or rotated through one replica loses its stream on the replica holding it", async () => {
      const revoked = await newWorkerKey(database, "revoked");
      let ended = 0;
      const connection = await holder.connect(revoked, {}, "10.0.0.2", {
        send: () => undefined,
        end: () => void ended++,
      });
      expect(connection).toBeDefined();
      // What the API does after a delete or a rotation on the calling replica.
      caller.revoke(revoked.bridgeWorkerId);
      await expect.poll(() => ended).toBe(1);
      // The other workers' streams are left alone.
      expect(holder.isConnected(key.bridgeWorkerId)).toBe(true);
      await connection?.closed();
    });

    it("a worker of another organization is never reached, whatever its ID", async () => {
      const other = await createTestOrganization(database.db);
      await expect(
        callerExecutor.invoke(other.organizationId, key.bridgeWorkerId, request()),
      ).rejects.toMatchObject({ code: "WORKER_DISCONNECTED" });
      expect(sent.filter((e) => e.Event === "FunctionWorkerEvent")).toEqual([]);
      expect(await rows()).toBe(0);
    });
  },
);

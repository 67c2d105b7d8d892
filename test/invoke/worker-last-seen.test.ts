// A worker's LastSeenAt after its stream drops (issue 13): heartbeat answers move it only every
// heartbeat interval (30 s by default), so a worker that answered invocations and then went away
// would show when it connected or last answered a heartbeat. Its disconnect records the last time
// it posted anything, and never moves LastSeenAt back.
import { describe, expect, it } from "vitest";
import { WorkerConnections } from "../../src/invoke/index.ts";
import type { Database, WorkerKey } from "../../src/store/index.ts";
import { newWorkerKey } from "../support/bridge-worker-key.ts";
import { testDatabases } from "../support/databases.ts";

async function seen(database: Database, key: WorkerKey): Promise<{ condition: string; lastSeenAt: number }> {
  const row = await database.db
    .selectFrom("bridge_workers")
    .select(["condition", "last_seen_at"])
    .where("organization_id", "=", key.organizationId)
    .where("bridge_worker_id", "=", key.bridgeWorkerId)
    .executeTakeFirstOrThrow();
  return { condition: row.condition, lastSeenAt: new Date(row.last_seen_at!).getTime() };
}

const REQUEST = {
  OrganizationID: "",
  SpaceID: "",
  UnitID: "",
  RevisionID: "",
  UnitSlug: "u",
  SpaceSlug: "s",
  ToolchainType: "Kubernetes/YAML",
  ConfigData: "",
  FunctionInvocations: [],
} as never;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(testDatabases())("a bridge worker's LastSeenAt on $name", (target) => {
  it("is, once its stream drops, when it last posted a result", async () => {
    const database = await target.open();
    const key = await newWorkerKey(database);
    const sent: string[] = [];
    const stream = {
      send: (event: { Data: { Payload: { QueuedOperationID?: string } } }) => {
        const id = event.Data.Payload.QueuedOperationID;
        if (id) sent.push(id);
      },
      end: () => undefined,
    };
    const connections = new WorkerConnections(database.db);
    const connection = await connections.connect(key, {}, "10.0.0.1", stream as never);
    const connectedSeen = (await seen(database, key)).lastSeenAt;

    await pause(50);
    const invoked = connections.invoke(key.organizationId, key.bridgeWorkerId, REQUEST);
    const before = Date.now();
    await connections.receive(key, {
      QueuedOperationID: sent[0]!,
      Action: "InvokeFunctions",
      Status: "Failed",
      Result: "FunctionInvocationFailed",
      Message: "no",
    });
    await expect(invoked).rejects.toThrow(/no/);
    await pause(50);
    await connection!.closed();

    const after = await seen(database, key);
    expect(after.condition).toBe("Disconnected");
    expect(after.lastSeenAt).toBeGreaterThan(connectedSeen);
    // The result's time, not the disconnect's (allowing for the clocks of the database and this process).
    expect(Math.abs(after.lastSeenAt - before)).toBeLessThan(40);
    await connections.close();
  });

  it("stays where a later heartbeat answer put it when nothing was posted after", async () => {
    const database = await target.open();
    const key = await newWorkerKey(database);
    const connections = new WorkerConnections(database.db);
    const connection = await connections.connect(key, {}, "10.0.0.1", {
      send: () => undefined,
      end: () => undefined,
    });
    await connections.receive(key, { Action: "Heartbeat", Status: "Completed", Result: "None", Message: "" });
    const answered = (await seen(database, key)).lastSeenAt;
    await pause(50);
    await connection!.closed();
    expect((await seen(database, key)).lastSeenAt).toBe(answered);
    await connections.close();
  });
});

// WorkerConnections.close() at shutdown (issue 13): the server closes the database right after it,
// so close() must have written every worker's disconnect by then, including that of a stream whose
// close the transport reported just before (it has already left the registry, its write is still
// running). Otherwise the write fails on the closed pool and the worker stays Ready in the database.
import { describe, expect, it } from "vitest";
import { WorkerConnections } from "../../src/invoke/index.ts";
import type { Database, WorkerKey } from "../../src/store/index.ts";
import { newWorkerKey } from "../support/bridge-worker-key.ts";
import { testDatabases } from "../support/databases.ts";

async function conditionOf(database: Database, key: WorkerKey): Promise<string> {
  const row = await database.db
    .selectFrom("bridge_workers")
    .select("condition")
    .where("organization_id", "=", key.organizationId)
    .where("bridge_worker_id", "=", key.bridgeWorkerId)
    .executeTakeFirstOrThrow();
  return row.condition;
}

const stream = { send: () => undefined, end: () => undefined };

describe.each(testDatabases())("WorkerConnections.close() on $name", (target) => {
  it("has recorded the disconnect of a connected stream when it resolves", async () => {
    const database = await target.open();
    const key = await newWorkerKey(database);
    const connections = new WorkerConnections(database.db);
    expect(await connections.connect(key, {}, "10.0.0.1", stream)).toBeDefined();
    expect(await conditionOf(database, key)).toBe("Ready");
    await connections.close();
    expect(await conditionOf(database, key)).toBe("Disconnected");
  });

  it("waits for the disconnect of a stream that closed just before the shutdown", async () => {
    const database = await target.open();
    const key = await newWorkerKey(database);
    const connections = new WorkerConnections(database.db);
    const connection = await connections.connect(key, {}, "10.0.0.1", stream);
    expect(await conditionOf(database, key)).toBe("Ready");
    // The transport reports the close; the worker leaves the registry at once, its write follows.
    const closed = connection!.closed();
    expect(connections.isConnected(key.bridgeWorkerId)).toBe(false);
    await connections.close();
    expect(await conditionOf(database, key)).toBe("Disconnected");
    await closed;
  });
});

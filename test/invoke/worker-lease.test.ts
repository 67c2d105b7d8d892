// A worker whose server died (issue 13): the process holding a worker's stream records the
// disconnect when the stream ends, but a process that is killed records nothing, and the worker
// stayed Ready for good. The holder's lease (held_until) is set on connect, renewed every heartbeat
// round and cleared on disconnect; once it lapses, any process records the worker Disconnected,
// with a history entry, once.
import { sql } from "kysely";
import { describe, expect, it, vi } from "vitest";
import { WorkerConnections } from "../../src/invoke/index.ts";
import {
  listBridgeWorkerStatuses,
  recordLapsedWorkersDisconnected,
  type Database,
  type WorkerKey,
} from "../../src/store/index.ts";
import { newWorkerKey } from "../support/bridge-worker-key.ts";
import { testDatabases } from "../support/databases.ts";

async function state(database: Database, key: WorkerKey) {
  const row = await database.db
    .selectFrom("bridge_workers")
    .select(["condition", "held_until", "space_id"])
    .where("bridge_worker_id", "=", key.bridgeWorkerId)
    .executeTakeFirstOrThrow();
  const statuses = await listBridgeWorkerStatuses(
    database.db,
    key.organizationId,
    row.space_id,
    key.bridgeWorkerId,
  );
  return {
    condition: row.condition,
    heldUntil: row.held_until === null ? null : new Date(row.held_until).getTime(),
    history: statuses.map((s) => s.status),
  };
}

/** As if the process holding the stream had died `ms` ago: its lease ran out then. */
async function lapse(database: Database, key: WorkerKey, ms = 1_000): Promise<void> {
  await database.db
    .updateTable("bridge_workers")
    .set({ held_until: sql<Date>`now() - ${`${ms} milliseconds`}::interval` })
    .where("bridge_worker_id", "=", key.bridgeWorkerId)
    .execute();
}

const stream = { send: () => undefined, end: () => undefined };

describe.each(testDatabases())("the lease on a connected bridge worker on $name", (target) => {
  it("runs from the connect, is renewed while the stream lives, and ends with it", async () => {
    const database = await target.open();
    const key = await newWorkerKey(database);
    const connections = new WorkerConnections(database.db, { heartbeatIntervalMs: 100 });
    expect(connections.leaseMs).toBe(10_000);
    const before = Date.now();
    const connection = await connections.connect(key, {}, "10.0.0.1", stream);
    const connected = await state(database, key);
    expect(connected.condition).toBe("Ready");
    // Database and test clocks may differ a little.
    expect(connected.heldUntil).toBeGreaterThan(before + 9_000);
    await lapse(database, key, -2_000); // shortened: the next round renews it
    await vi.waitFor(async () =>
      expect((await state(database, key)).heldUntil).toBeGreaterThan(Date.now() + 5_000),
    );
    await connection!.closed();
    await vi.waitFor(async () =>
      expect(await state(database, key)).toMatchObject({ condition: "Disconnected", heldUntil: null }),
    );
    await connections.close();
  });

  it("once lapsed, the worker is recorded Disconnected with its history, once, and never while held here", async () => {
    const database = await target.open();
    const key = await newWorkerKey(database);
    const holder = new WorkerConnections(database.db);
    await holder.connect(key, {}, "10.0.0.1", stream);
    await lapse(database, key);
    // The process that holds it never sweeps it, however late its renewal.
    expect(await recordLapsedWorkersDisconnected(database.db, [key.bridgeWorkerId])).toEqual([]);
    expect((await state(database, key)).condition).toBe("Ready");
    // Another process does; two sweeping at once record it once.
    const swept = await Promise.all([
      recordLapsedWorkersDisconnected(database.db, []),
      recordLapsedWorkersDisconnected(database.db, []),
    ]);
    expect(swept.flat()).toEqual([key.bridgeWorkerId]);
    expect(await state(database, key)).toEqual({
      condition: "Disconnected",
      heldUntil: null,
      history: ["Connected", "Disconnected"],
    });
    await holder.close();
  });

  it("another process's registry sweeps on its own, every heartbeat round", async () => {
    const database = await target.open();
    const key = await newWorkerKey(database);
    const dead = new WorkerConnections(database.db);
    await dead.connect(key, {}, "10.0.0.1", stream);
    await lapse(database, key);
    const survivor = new WorkerConnections(database.db, { heartbeatIntervalMs: 100 });
    await vi.waitFor(async () => expect((await state(database, key)).condition).toBe("Disconnected"));
    await survivor.close();
    await dead.close();
  });
});

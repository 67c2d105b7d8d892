// A bridge worker's stream is held by one server process, which records the disconnect when the
// stream ends. A process that dies (kill -9, a lost host) records nothing, and the worker stayed
// `Ready` (or `Unresponsive`) for good. `held_until` is the holder's lease: set on connect, renewed
// on every heartbeat round, cleared on disconnect; any process records the worker Disconnected once
// its lease has lapsed (store/bridge-workers.ts recordLapsedWorkersDisconnected).
import type { Kysely } from "kysely";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("bridge_workers").addColumn("held_until", "timestamptz").execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("bridge_workers").dropColumn("held_until").execute();
}

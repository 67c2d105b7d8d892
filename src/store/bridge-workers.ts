// Bridge workers: external processes that connect over the worker port, announce their functions
// and run them for the server (spec/server-api.md §1 BridgeWorker, §4). The CRUD is that of every
// saved, space-scoped entity; on top of it a worker has a secret (only its SHA-256 is stored, the
// plaintext is returned once by create and by rotation), its connection state (Condition,
// IPAddress, LastSeenAt, LastMessage, ProvidedInfo) and its connection history (statuses).
import { randomBytes, randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { NotFoundError } from "./errors.ts";
import { inTransaction } from "./transaction.ts";
import { json } from "./json.ts";
import type { BridgeWorkerRow, BridgeWorkerStatusRow, DatabaseSchema } from "./schema.ts";
import {
  spaceEntityRepository,
  type ListSpaceEntitiesOptions,
  type SpaceEntityAttributes,
  type SpaceEntityModification,
} from "./space-entity-repository.ts";
import { hashToken } from "./tokens.ts";

type Db = Kysely<DatabaseSchema>;

/** Recognisable in logs and secret scanners, like API tokens' `confn_`. */
export const WORKER_SECRET_PREFIX = "confn_worker_";

/** A new worker secret: 32 random bytes (256 bits), base64url. */
export function generateWorkerSecret(): string {
  return WORKER_SECRET_PREFIX + randomBytes(32).toString("base64url");
}

export interface BridgeWorkerAttributes extends SpaceEntityAttributes {
  /** Set by create and rotation only; a modification leaves the stored hash alone. */
  readonly secretHash?: string;
}

/** A worker as create and rotation return it: the row and, this once, the plaintext secret. */
export type BridgeWorkerWithSecret = BridgeWorkerRow & { readonly secret: string };

export type ListBridgeWorkersOptions = ListSpaceEntitiesOptions;
export type BridgeWorkerModification = SpaceEntityModification<BridgeWorkerAttributes>;

const bridgeWorkers = spaceEntityRepository({
  table: "bridge_workers",
  idColumn: "bridge_worker_id",
  entity: "BridgeWorker",
  // kysely leaves undefined values out of an update: a PATCH keeps the secret.
  columns: (attributes: BridgeWorkerAttributes) => ({ secret_hash: attributes.secretHash }),
  // Only the common attributes are writable; the rest is connection state the server keeps.
  sameOwnAttributes: () => true,
});

export const listBridgeWorkers = bridgeWorkers.list;
/** The BridgeWorker, found in the organization (and the Space, when given), or NotFoundError. */
export const getBridgeWorker = bridgeWorkers.get;
/** Reads the BridgeWorker, lets `plan` decide its new attributes and writes them (one Version bump). */
export const modifyBridgeWorker = bridgeWorkers.modify;
/** Deletes the BridgeWorker (DeleteGates block it); its status history goes with it. */
export const deleteBridgeWorker = bridgeWorkers.delete;

/** Creates the worker with a fresh secret, returned this once. */
export async function createBridgeWorker(
  db: Db,
  organizationId: string,
  spaceId: string,
  attributes: SpaceEntityAttributes,
): Promise<BridgeWorkerWithSecret> {
  const secret = generateWorkerSecret();
  const row = await bridgeWorkers.create(db, organizationId, spaceId, {
    ...attributes,
    secretHash: hashToken(secret),
  });
  return { ...row, secret };
}

/** Replaces the worker's secret: the old one stops working with this write. */
export async function rotateBridgeWorkerSecret(
  db: Db,
  organizationId: string,
  spaceId: string,
  bridgeWorkerId: string,
): Promise<BridgeWorkerWithSecret> {
  const secret = generateWorkerSecret();
  const row = await db
    .updateTable("bridge_workers")
    .set({ secret_hash: hashToken(secret), updated_at: sql<Date>`now()` })
    .where("organization_id", "=", organizationId)
    .where("space_id", "=", spaceId)
    .where("bridge_worker_id", "=", bridgeWorkerId)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new NotFoundError("BridgeWorker", bridgeWorkerId);
  return { ...row, secret };
}

/**
 * The worker `bridgeWorkerId` when `secret` is its current secret, else undefined (whether the
 * worker exists or not: the caller answers both alike). The secret is the credential here, so the
 * lookup is by ID and hash, in whatever organization the worker lives.
 */
export async function authenticateBridgeWorker(
  db: Db,
  bridgeWorkerId: string,
  secret: string,
): Promise<BridgeWorkerRow | undefined> {
  if (!secret.startsWith(WORKER_SECRET_PREFIX)) return undefined;
  return db
    .selectFrom("bridge_workers")
    .selectAll()
    .where("bridge_worker_id", "=", bridgeWorkerId)
    .where("secret_hash", "=", hashToken(secret))
    .executeTakeFirst();
}

/** Which worker a connection-state write is about. */
export interface WorkerKey {
  readonly organizationId: string;
  readonly bridgeWorkerId: string;
}

export type WorkerConnectionStatus = "Connected" | "Disconnected";

/**
 * Records a (re)connect: a Connected status row, then the registration becomes ProvidedInfo, the
 * worker is Ready, seen now from `ipAddress`. False when the worker no longer exists. The history
 * entry comes first, so a reader who sees the new Condition also finds the entry.
 */
export async function recordWorkerConnected(
  db: Db,
  worker: WorkerKey,
  providedInfo: Record<string, unknown>,
  ipAddress: string,
  leaseMs = DEFAULT_WORKER_LEASE_MS,
): Promise<boolean> {
  const row = await findWorker(db, worker);
  if (!row) return false;
  await addStatus(db, row, "Connected", ipAddress);
  const updated = await db
    .updateTable("bridge_workers")
    .set({
      provided_info: json(providedInfo),
      condition: "Ready",
      ip_address: ipAddress,
      last_seen_at: sql<Date>`now()`,
      held_until: leaseEnd(leaseMs),
    })
    .where("organization_id", "=", worker.organizationId)
    .where("bridge_worker_id", "=", worker.bridgeWorkerId)
    .returning("bridge_worker_id")
    .executeTakeFirst();
  return updated !== undefined;
}

/**
 * Records a dropped stream: a Disconnected status row, then `Condition=Disconnected` unless the
 * worker still has another live stream (`stillConnected`). `lastHeardAt`: when the worker last
 * posted anything (a result, a heartbeat answer); LastSeenAt moves up to it, never back.
 */
export async function recordWorkerDisconnected(
  db: Db,
  worker: WorkerKey,
  ipAddress: string,
  stillConnected: boolean,
  lastHeardAt?: Date,
): Promise<void> {
  const row = await findWorker(db, worker);
  if (!row) return;
  await addStatus(db, row, "Disconnected", ipAddress);
  if (stillConnected && !lastHeardAt) return;
  await db
    .updateTable("bridge_workers")
    .set({
      ...(stillConnected ? {} : { condition: "Disconnected", held_until: null }),
      ...(lastHeardAt ? { last_seen_at: sql<Date>`greatest(last_seen_at, ${lastHeardAt})` } : {}),
    })
    .where("organization_id", "=", worker.organizationId)
    .where("bridge_worker_id", "=", worker.bridgeWorkerId)
    .execute();
}

/**
 * How long a process vouches for a worker whose stream it holds, by default (3 heartbeat rounds of
 * 30 s): it renews the lease every round, so only a process that died lets it lapse.
 */
export const DEFAULT_WORKER_LEASE_MS = 90_000;

function leaseEnd(leaseMs: number) {
  return sql<Date>`now() + ${`${Math.max(1, Math.round(leaseMs))} milliseconds`}::interval`;
}

/** The process holding the worker's stream is alive: its lease runs `leaseMs` from now. */
export async function renewWorkerLease(db: Db, worker: WorkerKey, leaseMs: number): Promise<void> {
  await db
    .updateTable("bridge_workers")
    .set({ held_until: leaseEnd(leaseMs) })
    .where("organization_id", "=", worker.organizationId)
    .where("bridge_worker_id", "=", worker.bridgeWorkerId)
    .where("condition", "!=", "Disconnected")
    .execute();
}

/**
 * Workers whose holder's lease lapsed (the process holding the stream died without recording the
 * disconnect) are recorded Disconnected, with a history entry, in every organization; `heldHere`
 * are the workers the calling process holds itself, never touched (its own renewal may be late).
 * Each is recorded once, whichever processes sweep at the same time. Returns their IDs.
 */
export async function recordLapsedWorkersDisconnected(
  db: Db,
  heldHere: readonly string[],
): Promise<string[]> {
  return inTransaction(db, async (trx) => {
    let lapsed = trx
      .updateTable("bridge_workers")
      .set({ condition: "Disconnected", held_until: null })
      .where("condition", "!=", "Disconnected")
      .where("held_until", "<", sql<Date>`now()`);
    if (heldHere.length > 0) lapsed = lapsed.where("bridge_worker_id", "not in", [...heldHere]);
    const rows = await lapsed.returningAll().execute();
    for (const row of rows) await addStatus(trx, row, "Disconnected", row.ip_address);
    return rows.map((row) => row.bridge_worker_id);
  });
}

function findWorker(db: Db, worker: WorkerKey): Promise<BridgeWorkerRow | undefined> {
  return db
    .selectFrom("bridge_workers")
    .selectAll()
    .where("organization_id", "=", worker.organizationId)
    .where("bridge_worker_id", "=", worker.bridgeWorkerId)
    .executeTakeFirst();
}

/**
 * Records a heartbeat answer: seen now, its message (`MemoryPressure` or empty) kept, and Ready
 * again if it had been Unresponsive. False when the worker no longer exists.
 */
export async function recordWorkerSeen(db: Db, worker: WorkerKey, message: string): Promise<boolean> {
  const row = await db
    .updateTable("bridge_workers")
    .set({
      last_seen_at: sql<Date>`now()`,
      last_message: message,
      condition: sql<string>`case when condition = 'Unresponsive' then 'Ready' else condition end`,
    })
    .where("organization_id", "=", worker.organizationId)
    .where("bridge_worker_id", "=", worker.bridgeWorkerId)
    .returning("bridge_worker_id")
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * A connected worker missed a heartbeat: Unresponsive (a Disconnected one stays Disconnected).
 * False when the worker no longer exists (deleted, or its Space was): its streams should end.
 */
export async function recordWorkerUnresponsive(db: Db, worker: WorkerKey): Promise<boolean> {
  const row = await db
    .updateTable("bridge_workers")
    .set({
      condition: sql<string>`case when condition in ('Ready', 'NotReady') then 'Unresponsive' else condition end`,
    })
    .where("organization_id", "=", worker.organizationId)
    .where("bridge_worker_id", "=", worker.bridgeWorkerId)
    .returning("bridge_worker_id")
    .executeTakeFirst();
  return row !== undefined;
}

async function addStatus(
  db: Db,
  row: BridgeWorkerRow,
  status: WorkerConnectionStatus,
  ipAddress: string,
): Promise<void> {
  await db
    .insertInto("bridge_worker_statuses")
    .values({
      bridge_worker_status_id: randomUUID(),
      bridge_worker_id: row.bridge_worker_id,
      organization_id: row.organization_id,
      space_id: row.space_id,
      bridge_worker_slug: row.slug,
      ip_address: ipAddress,
      seen_at: sql<Date>`clock_timestamp()`,
      status,
    })
    .execute();
}

/** The worker's connection history, oldest first (the worker must exist in the Space). */
export async function listBridgeWorkerStatuses(
  db: Db,
  organizationId: string,
  spaceId: string,
  bridgeWorkerId: string,
): Promise<BridgeWorkerStatusRow[]> {
  await getBridgeWorker(db, organizationId, bridgeWorkerId, spaceId);
  return db
    .selectFrom("bridge_worker_statuses")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("bridge_worker_id", "=", bridgeWorkerId)
    .orderBy("seen_at")
    .orderBy("bridge_worker_status_id")
    .execute();
}

/** One entry of the worker's connection history, or NotFoundError. */
export async function getBridgeWorkerStatus(
  db: Db,
  organizationId: string,
  spaceId: string,
  bridgeWorkerId: string,
  statusId: string,
): Promise<BridgeWorkerStatusRow> {
  const row = await db
    .selectFrom("bridge_worker_statuses")
    .selectAll()
    .where("organization_id", "=", organizationId)
    .where("space_id", "=", spaceId)
    .where("bridge_worker_id", "=", bridgeWorkerId)
    .where("bridge_worker_status_id", "=", statusId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError("BridgeWorkerStatus", statusId);
  return row;
}

// Workers whose secret was checked against the database recently, so that the stream of
// action_result posts (one per Unit, one per heartbeat) does not cost a database round trip each.
// An entry is the secret's hash and the worker it belongs to; it lives WORKER_CREDENTIAL_TTL_MS.
// Rotation and deletion in this process forget the worker at once (WorkerConnections.disconnectWorker);
// on another replica they are seen here once the entry expires, so the TTL is the longest a
// rotated or deleted worker's old secret can still post results to this replica.
import { timingSafeEqual } from "node:crypto";
import { hashToken, type WorkerKey } from "../store/index.ts";

/** How long a verified secret is trusted without asking the database again. */
export const WORKER_CREDENTIAL_TTL_MS = 5_000;
/** Entries kept at most; beyond this the oldest go (only valid secrets ever get an entry). */
const MAX_ENTRIES = 10_000;

interface Entry {
  readonly hash: Buffer;
  readonly worker: WorkerKey;
  readonly expiresAt: number;
}

export class WorkerCredentialCache {
  readonly #entries = new Map<string, Entry>();
  /** Bumped by every forget: a lookup that began before it must not store what it found. */
  #generation = 0;

  constructor(
    private readonly ttlMs: number = WORKER_CREDENTIAL_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The worker `bridgeWorkerId` when `secret` is its secret: from a fresh entry when there is one
   * (unless `fresh`), else from `lookup` (the database), whose answer is remembered.
   */
  async authenticate(
    bridgeWorkerId: string,
    secret: string,
    lookup: () => Promise<WorkerKey | undefined>,
    fresh = false,
  ): Promise<WorkerKey | undefined> {
    const hash = Buffer.from(hashToken(secret), "hex");
    const entry = this.#entries.get(bridgeWorkerId);
    if (!fresh && entry && entry.expiresAt > this.now() && timingSafeEqual(entry.hash, hash)) {
      return entry.worker;
    }
    const generation = this.#generation;
    const worker = await lookup();
    if (worker && generation === this.#generation) {
      this.#entries.delete(bridgeWorkerId);
      if (this.#entries.size >= MAX_ENTRIES) this.#prune();
      this.#entries.set(bridgeWorkerId, { hash, worker, expiresAt: this.now() + this.ttlMs });
    }
    return worker;
  }

  /** The worker's secret changed or the worker is gone: its next request asks the database. */
  forget(bridgeWorkerId: string): void {
    this.#generation++;
    this.#entries.delete(bridgeWorkerId);
  }

  #prune(): void {
    const now = this.now();
    for (const [id, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(id);
    // Insertion order is age order: drop the oldest until there is room.
    for (const id of this.#entries.keys()) {
      if (this.#entries.size < MAX_ENTRIES) break;
      this.#entries.delete(id);
    }
  }
}

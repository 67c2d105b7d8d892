// Saves an invocation's changed Units a batch at a time: one transaction (writeInvokeResults) for
// up to DEFAULT_WRITE_BATCH_UNITS Units (8 at first, doubling) instead of one per Unit, which is
// most of what a real write cost over a dry run. Each Unit still waits for its own outcome (its new RevisionID, or the
// conflict that fails its element alone), so the response is the same as with one write per Unit.
//
// When a batch is written (one at a time, so a call's batches commit one after another): as soon
// as it holds enough Units (or bytes) and no batch is being written, or when nothing else can join
// it, i.e. every Unit the invocation is running waits on a write (`track` counts them) and no
// earlier batch is still being written (its end lets the next Units run, and they may join). So a
// batch never waits for a Unit that is itself waiting, and the last Units of a call are written
// when the source is drained.
//
// A batch whose transaction fails for another reason than a conflict (a constraint, a timeout, a
// lost connection) is written again a Unit at a time, so only the Unit at fault, if one is, fails.
import type { Kysely } from "kysely";
import type { DatabaseSchema } from "../store/index.ts";
import {
  writeInvokeResult,
  writeInvokeResults,
  type InvokeWrite,
  type WriteOutcome,
} from "./write-result.ts";

/** Units saved per transaction (PostgreSQL's parameter limit is handled by the store). */
export const DEFAULT_WRITE_BATCH_UNITS = 64;

/**
 * The first batch's size; each next one doubles up to the batch size. A call's first Units are
 * saved (and answered) without waiting for dozens of engine runs, and a short call is written in
 * several steps rather than one: a crash in its middle leaves the Units written so far, whole.
 */
const FIRST_BATCH_UNITS = 8;

/** Unit data (characters) above which a batch is written without waiting for more Units. */
const WRITE_BATCH_CHARACTERS = 8 * 1024 * 1024;

interface PendingWrite {
  readonly write: InvokeWrite;
  readonly resolve: (outcome: WriteOutcome) => void;
  readonly reject: (error: unknown) => void;
}

export class WriteBuffer {
  /** Units of the invocation running now (see track). */
  private running = 0;
  private pending: PendingWrite[] = [];
  private pendingCharacters = 0;
  /** Units whose batch is being written. */
  private writing = 0;
  private checkScheduled = false;
  /** The size at which the batch being filled is written. */
  private batchLimit: number;

  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly batchUnits = DEFAULT_WRITE_BATCH_UNITS,
  ) {
    if (!Number.isInteger(batchUnits) || batchUnits < 1) {
      throw new RangeError(`write batch size must be a positive integer, got ${batchUnits}`);
    }
    this.batchLimit = Math.min(FIRST_BATCH_UNITS, batchUnits);
  }

  /**
   * Runs one Unit's work, counted: a partial batch is written once every running Unit waits on
   * it. Work that is not tracked still has its saves written, a turn of the event loop later.
   */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.scheduleCheck();
    }
  }

  /** Saves one Unit's result with the next batch; settles when that batch is written. */
  save(write: InvokeWrite): Promise<WriteOutcome> {
    return new Promise<WriteOutcome>((resolve, reject) => {
      this.pending.push({ write, resolve, reject });
      this.pendingCharacters += write.data.length;
      if (this.full()) this.flush();
      else this.scheduleCheck();
    });
  }

  /** Whether the batch being filled is to be written now (one batch is written at a time). */
  private full(): boolean {
    return (
      this.writing === 0 &&
      (this.pending.length >= this.batchLimit || this.pendingCharacters >= WRITE_BATCH_CHARACTERS)
    );
  }

  /**
   * After the current turn of the event loop (so Units about to start can still join): writes the
   * partial batch if nothing else can join it.
   */
  private scheduleCheck(): void {
    if (this.checkScheduled || this.pending.length === 0) return;
    this.checkScheduled = true;
    setImmediate(() => {
      this.checkScheduled = false;
      if (
        this.full() ||
        (this.pending.length > 0 && this.writing === 0 && this.pending.length >= this.running)
      ) {
        this.flush();
      }
    });
  }

  private flush(): void {
    const batch = this.pending.splice(0, this.batchUnits);
    this.pendingCharacters = this.pending.reduce((sum, p) => sum + p.write.data.length, 0);
    this.batchLimit = Math.min(this.batchUnits, this.batchLimit * 2);
    this.writing += batch.length;
    void this.write(batch).finally(() => {
      this.writing -= batch.length;
      this.scheduleCheck();
    });
  }

  private async write(batch: readonly PendingWrite[]): Promise<void> {
    if (batch.length === 1) {
      await settle(batch[0]!, () => writeInvokeResult(this.db, batch[0]!.write));
      return;
    }
    let outcomes: WriteOutcome[];
    try {
      outcomes = await writeInvokeResults(
        this.db,
        batch.map((p) => p.write),
      );
    } catch {
      // Nothing of the batch was written: each Unit alone, so only one at fault fails (with the
      // error it fails with today), and the others are written.
      for (const pending of batch) await settle(pending, () => writeInvokeResult(this.db, pending.write));
      return;
    }
    batch.forEach((pending, i) => pending.resolve(outcomes[i]!));
  }
}

async function settle(pending: PendingWrite, write: () => Promise<WriteOutcome>): Promise<void> {
  try {
    pending.resolve(await write());
  } catch (error) {
    pending.reject(error);
  }
}

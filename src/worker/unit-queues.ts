// Events for one Unit run strictly in the order they arrived; different Units run side by side,
// at most `concurrency` at a time (spec §4: "a queue per unit"). A Unit waiting behind its own
// earlier event holds no slot, so one busy Unit never stalls the others.

export class UnitQueues {
  /** The last task of each Unit that still has one queued or running. */
  private readonly tails = new Map<string, Promise<void>>();
  private readonly unfinished = new Set<Promise<void>>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;

  constructor(private readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    }
  }

  /** Tasks queued or running. */
  get size(): number {
    return this.unfinished.size;
  }

  /** Runs `task` after every earlier task of `unit`. `task` must not reject (it reports its own errors). */
  enqueue(unit: string, task: () => Promise<void>): void {
    const previous = this.tails.get(unit) ?? Promise.resolve();
    const done = previous.then(() => this.withSlot(task));
    this.tails.set(unit, done);
    this.unfinished.add(done);
    void done.finally(() => {
      this.unfinished.delete(done);
      if (this.tails.get(unit) === done) this.tails.delete(unit);
    });
  }

  /** Resolves when every task queued so far, and any queued meanwhile, has finished. */
  async idle(): Promise<void> {
    while (this.unfinished.size > 0) await Promise.allSettled([...this.unfinished]);
  }

  private async withSlot(task: () => Promise<void>): Promise<void> {
    if (this.running >= this.concurrency) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      await task();
    } finally {
      // Hand the slot straight to the next waiter, or give it back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

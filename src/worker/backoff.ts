// How long a worker waits before reconnecting: ConfigHub's client starts at 1 s and doubles up to
// 60 s, with jitter so that many workers cut off by one server restart do not reconnect in lockstep.

export interface BackoffOptions {
  /** First delay. Default 1000 ms. */
  readonly initialMs?: number;
  /** Largest delay. Default 60000 ms. */
  readonly maxMs?: number;
  /** Source of randomness in [0, 1); tests pass a fixed one. Default Math.random. */
  readonly random?: () => number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;
  private attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 1000;
    this.maxMs = options.maxMs ?? 60_000;
    this.random = options.random ?? Math.random;
    if (!(this.initialMs > 0) || !(this.maxMs >= this.initialMs)) {
      throw new RangeError(
        `backoff: expected 0 < initialMs <= maxMs, got initialMs ${this.initialMs}, maxMs ${this.maxMs}`,
      );
    }
  }

  /**
   * The delay before the next attempt: the capped exponential step, of which a random 0–50 % is
   * taken off (so the delay stays between half the step and the step, never above maxMs).
   */
  next(): number {
    const step = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    if (step < this.maxMs) this.attempt++;
    return Math.round(step * (1 - this.random() * 0.5));
  }

  /** After a connection that worked: start again from the first delay. */
  reset(): void {
    this.attempt = 0;
  }
}

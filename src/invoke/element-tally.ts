// What an invocation's answer is, given every element it produced: 200 when each succeeded, 207 when
// any failed, or, for the whole call, NO_PROCESSABLE_DATA (422: no Unit's data could be processed) or
// a worker error (not one Unit reached the bridge worker: nothing ran, nothing was written). Both
// answers (the JSON array and the NDJSON stream) count with it, so they agree on the status.
import { InvokeError } from "./errors.ts";
import type { WireFunctionInvocationsResponse } from "./response-element.ts";
import type { WorkerDispatch } from "./worker-dispatch.ts";

export class ElementTally {
  private count = 0;
  private failures = 0;
  /** Elements whose data did not parse; the first three are named in the 422's message. */
  private unprocessed = 0;
  private readonly unprocessedNamed: string[] = [];
  /** Elements that no bridge worker took (disconnected or busy), and whether any was busy. */
  private undispatched = 0;
  private busy = false;

  constructor(private readonly workers: WorkerDispatch) {}

  /** Elements counted so far. */
  get elements(): number {
    return this.count;
  }

  /** Elements that failed (Success false). */
  get failed(): number {
    return this.failures;
  }

  add(element: WireFunctionInvocationsResponse): void {
    this.count++;
    if (element.Success) return;
    this.failures++;
    const type = element.Error?.Type;
    if (type === "CONFIG_DATA_INVALID") {
      this.unprocessed++;
      if (this.unprocessedNamed.length < 3) {
        this.unprocessedNamed.push(`Unit ${element.UnitSlug}: ${element.Error?.Details[0] ?? ""}`);
      }
    }
    if (type === "WORKER_DISCONNECTED" || type === "WORKER_BUSY") {
      this.undispatched++;
      this.busy ||= type === "WORKER_BUSY";
    }
  }

  /**
   * 200 or 207 once every element was counted; throws the InvokeError of a call that failed as a
   * whole (its elements are then no answer: a client should read the error, not them).
   */
  verdict(): 200 | 207 {
    if (this.count > 0 && this.unprocessed === this.count) {
      const shown = this.unprocessedNamed.join("; ");
      const more = this.count > 3 ? `; and ${this.count - 3} more` : "";
      const message = `no Unit's configuration data could be processed: ${shown}${more}`;
      throw new InvokeError("NO_PROCESSABLE_DATA", "the selected Units' data", message);
    }
    if (this.count > 0 && this.undispatched === this.count) {
      // Not one Unit reached a worker, so nothing ran and nothing was written: the call as a whole
      // failed, and a client should retry it rather than read elements.
      throw notDispatched(this.busy, this.count, this.workers);
    }
    return this.failures > 0 ? 207 : 200;
  }
}

function notDispatched(busy: boolean, units: number, workers: WorkerDispatch): InvokeError {
  const id = workers.lastRefused ?? "";
  const worker = `bridge worker ${workers.describe(id)}${workers.reason(id)}`;
  if (busy) {
    const what = units === 1 ? "the selected Unit could not" : `none of the ${units} selected Units could`;
    return new InvokeError(
      "WORKER_BUSY",
      worker,
      `${worker} has too many operations outstanding: ${what} be dispatched and nothing ` +
        "was written; retry after the time in Retry-After",
      { retryAfterSeconds: workers.retryAfterSeconds ?? 1 },
    );
  }
  // Not "could not be dispatched": a worker that dropped its stream mid-call had taken them.
  const none =
    units === 1 ? "the selected Unit got no result" : `none of the ${units} selected Units got a result`;
  return new InvokeError(
    "WORKER_DISCONNECTED",
    worker,
    `${worker} is disconnected: ${none} from it and nothing was written; ` +
      "start the worker (confn worker run) and call again",
  );
}

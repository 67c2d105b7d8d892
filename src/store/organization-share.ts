// A fair share of the connection pool per organization. Requests of one organization (one tenant,
// possibly one token firing 40 expensive filters at once) could otherwise hold every pooled
// connection and stall every other organization's requests. The API runs each authenticated
// request inside `asOrganization`; the database's driver (transaction.ts) takes a permit from the
// organization's share before it takes a connection, so one organization holds at most
// `limit` (the pool size minus one) connections and another always finds one free.
import { AsyncLocalStorage } from "node:async_hooks";

const organizations = new AsyncLocalStorage<string>();

/** Runs `work` (and everything it starts) on behalf of `organizationId`. */
export function asOrganization<T>(organizationId: string, work: () => T): T {
  return organizations.run(organizationId, work);
}

/** The organization the current request acts for, if any (none during startup, /healthz, auth). */
export function currentOrganization(): string | undefined {
  return organizations.getStore();
}

/** At most `limit` permits per organization at a time; the rest wait in arrival order. */
export class OrganizationShare {
  private readonly held = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new RangeError(`OrganizationShare: limit must be a positive integer, got ${limit}`);
    }
  }

  /** Waits for a permit of `organizationId`; call the returned function once to give it back. */
  async acquire(organizationId: string): Promise<() => void> {
    const held = this.held.get(organizationId) ?? 0;
    if (held < this.limit) this.held.set(organizationId, held + 1);
    else {
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(organizationId) ?? [];
        queue.push(resolve);
        this.waiting.set(organizationId, queue);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(organizationId);
    };
  }

  private release(organizationId: string): void {
    const queue = this.waiting.get(organizationId);
    const next = queue?.shift();
    if (queue && queue.length === 0) this.waiting.delete(organizationId);
    if (next) {
      next(); // the permit passes straight to the next waiter
      return;
    }
    const held = (this.held.get(organizationId) ?? 1) - 1;
    if (held > 0) this.held.set(organizationId, held);
    else this.held.delete(organizationId);
  }
}

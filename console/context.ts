// What every view knows: who is signed in, and the Units ticked on a Units page (carried to Run).
import type { Me } from "./api.ts";

export interface Context {
  readonly me: Me;
  /** Whether the signed-in token may write (editor or admin): views show no write buttons otherwise. */
  readonly canWrite: boolean;
  /** Unit IDs ticked on the Units page, per Space. */
  readonly ticked: Map<string, Set<string>>;
  /** The view's signal: aborted when the user navigates away, so late answers change nothing. */
  readonly signal: AbortSignal;
}

export function tickedIn(context: Context, spaceId: string): Set<string> {
  let set = context.ticked.get(spaceId);
  if (!set) {
    set = new Set();
    context.ticked.set(spaceId, set);
  }
  return set;
}

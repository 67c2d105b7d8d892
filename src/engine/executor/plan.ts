// Orders everything one Unit runs into a single list of steps: the explicit FunctionInvocations in the
// order given, then the saved Invocations/Triggers grouped by executor (builtin first, then each bridge
// worker in order of first appearance) and, within a group, phased (design §5): general functions
// (mutating and read-only, in listed order), then final-mutating, then validating. Saved entries for
// another toolchain are skipped, as ConfigHub does. A Space's Mutation triggers come last, grouped and
// phased the same way; the executor runs them only when the data changed.
import type { FunctionLookup } from "../registry.ts";
import { NIL_UUID } from "../types.ts";
import type { FunctionArgument, FunctionInvocation, ToolchainType } from "../types.ts";

/** A saved Invocation or Trigger as the server hands it to the engine. */
export interface SavedInvocation {
  FunctionName: string;
  Arguments: FunctionArgument[] | null;
  ToolchainType?: ToolchainType;
  /** Unset or the nil UUID: the builtin executor. */
  BridgeWorkerID?: string | null;
  /** Where it came from, named in messages about it (e.g. `trigger 5f0c…`). */
  source?: string;
}

export interface Step {
  invocation: FunctionInvocation;
  /** Position in the execution order: the function's Index in outputs and mutations. */
  index: number;
  /** Explicit invocations may be filters (NumFilters); saved ones never are. */
  explicit: boolean;
  /** One of the data-change triggers: runs only when the data changed before it. */
  trigger: boolean;
  /** Where to find the function; undefined when its bridge worker is not available. */
  lookup: FunctionLookup | undefined;
  /** The worker that should run it, for the "not available" message. */
  bridgeWorkerID: string | undefined;
  source: string | undefined;
}

type Phase = 0 | 1 | 2;

/** Where the functions of the bridge workers are, by BridgeWorkerID (undefined: not available). */
export type WorkerLookup = (bridgeWorkerId: string) => FunctionLookup | undefined;

export interface PlanExecutors {
  readonly builtin: FunctionLookup;
  readonly workers?: WorkerLookup | undefined;
  /** The worker the explicit invocations run on (the request's BridgeWorkerID); unset: builtin. */
  readonly explicitWorker?: string | undefined;
}

export function planSteps(
  toolchain: ToolchainType,
  explicit: readonly FunctionInvocation[],
  saved: readonly SavedInvocation[],
  executors: PlanExecutors,
  triggers: readonly SavedInvocation[] = [],
): Step[] {
  const worker = workerOf(executors.explicitWorker);
  const lookup = worker === "" ? executors.builtin : executors.workers?.(worker);
  const steps: Step[] = explicit.map((invocation, index) => ({
    invocation,
    index,
    explicit: true,
    trigger: false,
    lookup,
    bridgeWorkerID: worker === "" ? undefined : worker,
    source: undefined,
  }));
  appendSaved(steps, saved, false, toolchain, executors);
  appendSaved(steps, triggers, true, toolchain, executors);
  return steps;
}

/** "" for the builtin executor (unset or the nil UUID), the worker's ID otherwise. */
function workerOf(bridgeWorkerId: string | null | undefined): string {
  return bridgeWorkerId && bridgeWorkerId !== NIL_UUID ? bridgeWorkerId : "";
}

function appendSaved(
  steps: Step[],
  saved: readonly SavedInvocation[],
  trigger: boolean,
  toolchain: ToolchainType,
  executors: PlanExecutors,
): void {
  const groups = new Map<string, { lookup: FunctionLookup | undefined; entries: SavedInvocation[] }>();
  for (const entry of saved) {
    if (entry.ToolchainType !== undefined && entry.ToolchainType !== toolchain) continue;
    const worker = workerOf(entry.BridgeWorkerID);
    let group = groups.get(worker);
    if (!group) {
      // A worker whose functions are not known here (none connected, or no dispatch) is "not available".
      group = { lookup: worker === "" ? executors.builtin : executors.workers?.(worker), entries: [] };
      groups.set(worker, group);
    }
    group.entries.push(entry);
  }
  // Builtin first, then workers in order of first appearance.
  const ordered = [...groups.entries()].sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : 0));
  for (const [worker, group] of ordered) {
    const phased = group.entries
      .map((entry, order) => ({ entry, order, phase: phaseOf(entry, group.lookup, toolchain) }))
      .sort((a, b) => a.phase - b.phase || a.order - b.order);
    for (const { entry } of phased) {
      steps.push({
        // The entry itself, not a copy: its validated arguments are cached per object (validation-cache.ts),
        // so a saved invocation run over many Units is validated once.
        invocation: entry,
        index: steps.length,
        explicit: false,
        trigger,
        lookup: group.lookup,
        bridgeWorkerID: worker === "" ? undefined : worker,
        source: entry.source,
      });
    }
  }
}

/** 0 general, 1 final-mutating, 2 validating. Unknown functions stay general and fail when run. */
function phaseOf(
  entry: SavedInvocation,
  lookup: FunctionLookup | undefined,
  toolchain: ToolchainType,
): Phase {
  const fn = lookup?.lookup(toolchain, entry.FunctionName);
  if (!fn) return 0;
  if (fn.signature.Validating) return 2;
  if (fn.finalMutating) return 1;
  return 0;
}

// The saved Invocations and Triggers an invoke request names by ID (`Invocations`, `Triggers`):
// loaded from the caller's organization (another organization's ID is a 404, like a missing one),
// checked against the registry up front, and handed to the engine, which runs them after the
// explicit list, grouped by executor and phased.
import type { Kysely } from "kysely";
import { NIL_UUID, type SavedInvocation, type StepReport, type ToolchainType } from "../engine/index.ts";
import { getInvocations, type DatabaseSchema, type StoredArgument, getTriggers } from "../store/index.ts";
import { checkInvocation, type FunctionCatalogue } from "./check-invocations.ts";
import type { WorkerDispatch } from "./worker-dispatch.ts";

interface SavedRow {
  readonly slug: string;
  readonly bridge_worker_id?: string | null;
  readonly function_name: string;
  readonly arguments: StoredArgument[];
  readonly toolchain_type: string;
}

export async function loadSavedInvocations(
  db: Kysely<DatabaseSchema>,
  functions: FunctionCatalogue,
  request: {
    readonly organizationId: string;
    readonly toolchain: ToolchainType;
    readonly invocationIds: readonly string[];
    readonly triggerIds: readonly string[];
    readonly options: { readonly castStringArgsToScalars: boolean };
  },
  /** Reaches the workers that saved calls name (their functions check the arguments). */
  workers: WorkerDispatch,
): Promise<SavedInvocation[]> {
  const invocations = await getInvocations(db, request.organizationId, request.invocationIds);
  const triggers = await getTriggers(db, request.organizationId, request.triggerIds);
  const saved: SavedInvocation[] = [];
  const names = new Map<string, string>();
  // An Invocation of several functions runs them all, in its order, each with its own source.
  for (const row of invocations) {
    const several = row.function_invocations.length > 1;
    row.function_invocations.forEach((call, position) => {
      const source = savedSource("Invocation", row.invocation_id, position);
      saved.push(
        toSaved({ ...row, function_name: call.FunctionName, arguments: call.Arguments ?? [] }, source),
      );
      names.set(
        source,
        several ? `Invocation ${row.slug} (FunctionInvocations/${position})` : `Invocation ${row.slug}`,
      );
    });
  }
  for (const row of triggers) {
    const source = savedSource("Trigger", row.trigger_id);
    saved.push(toSaved(row, source));
    names.set(source, `Trigger ${row.slug}`);
  }
  for (const entry of saved) {
    // Entries of another toolchain are skipped when the Units run, so only the others must be valid.
    if (entry.ToolchainType !== request.toolchain) continue;
    const location = names.get(entry.source!) ?? "";
    const worker =
      entry.BridgeWorkerID && entry.BridgeWorkerID !== NIL_UUID ? entry.BridgeWorkerID : undefined;
    checkInvocation(
      worker === undefined ? functions : await workers.require(worker, location, location),
      request.toolchain,
      { invocation: entry, location },
      {
        cast: request.options.castStringArgsToScalars,
        ...(worker !== undefined ? { executor: `bridge worker ${workers.describe(worker)}` } : {}),
      },
    );
  }
  return saved;
}

/**
 * The `source` of a saved entry: unique within a request (slugs are only unique per Space), so the
 * engine's step reports lead back to the entity. An Invocation of several functions gives each its
 * own source, `Invocation <id> #<n>` for the n-th (from 1) after the first.
 */
export function savedSource(kind: "Invocation" | "Trigger", id: string, position = 0): string {
  return position === 0 ? `${kind} ${id}` : `${kind} ${id} #${position}`;
}

const SOURCE = /^(Invocation|Trigger) ([0-9a-f-]{36})(?: #\d+)?$/;

/** The saved entities that changed the data, for the Mutation's InvocationID and TriggerID. */
export interface SavedCauses {
  readonly invocationId?: string;
  readonly triggerId?: string;
}

/** The first saved Invocation and the first Trigger whose function changed the data in this run. */
export function savedCauses(steps: readonly StepReport[]): SavedCauses {
  let invocationId: string | undefined;
  let triggerId: string | undefined;
  for (const step of steps) {
    if (!step.mutated || step.source === undefined) continue;
    const [, kind, id] = SOURCE.exec(step.source) ?? [];
    if (kind === "Invocation") invocationId ??= id;
    if (kind === "Trigger") triggerId ??= id;
  }
  return {
    ...(invocationId !== undefined ? { invocationId } : {}),
    ...(triggerId !== undefined ? { triggerId } : {}),
  };
}

/** A stored Invocation or Trigger as the engine runs it. */
export function toSaved(row: SavedRow, source: string): SavedInvocation {
  return {
    FunctionName: row.function_name,
    Arguments: row.arguments.map((a) => ({
      ...(a.ParameterName !== undefined ? { ParameterName: a.ParameterName } : {}),
      Value: a.Value,
    })),
    // The engine skips entries whose toolchain differs from the Unit's; one it does not know never matches.
    ToolchainType: row.toolchain_type as ToolchainType,
    BridgeWorkerID: row.bridge_worker_id ?? null,
    source,
  };
}

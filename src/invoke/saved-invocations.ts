// The saved Invocations and Triggers an invoke request names by ID (`Invocations`, `Triggers`):
// loaded from the caller's organization (another organization's ID is a 404, like a missing one),
// checked against the registry up front, and handed to the engine, which runs them after the
// explicit list, grouped by executor and phased.
import type { Kysely } from "kysely";
import type { SavedInvocation, ToolchainType } from "../engine/index.ts";
import { getInvocations, type DatabaseSchema, type StoredArgument, getTriggers } from "../store/index.ts";
import { checkInvocation, type FunctionCatalogue } from "./check-invocations.ts";

interface SavedRow {
  readonly slug: string;
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
): Promise<SavedInvocation[]> {
  const invocations = await getInvocations(db, request.organizationId, request.invocationIds);
  const triggers = await getTriggers(db, request.organizationId, request.triggerIds);
  const saved = [
    ...invocations.map((row) => toSaved(row, savedSource("Invocation", row.invocation_id))),
    ...triggers.map((row) => toSaved(row, savedSource("Trigger", row.trigger_id))),
  ];
  const names = new Map([
    ...invocations.map(
      (row) => [savedSource("Invocation", row.invocation_id), `Invocation ${row.slug}`] as const,
    ),
    ...triggers.map((row) => [savedSource("Trigger", row.trigger_id), `Trigger ${row.slug}`] as const),
  ]);
  for (const entry of saved) {
    // Entries of another toolchain are skipped when the Units run, so only the others must be valid.
    if (entry.ToolchainType !== request.toolchain) continue;
    checkInvocation(
      functions,
      request.toolchain,
      { invocation: entry, location: names.get(entry.source!) ?? "" },
      { cast: request.options.castStringArgsToScalars },
    );
  }
  return saved;
}

/**
 * The `source` of a saved entry: unique within a request (slugs are only unique per Space), so the
 * engine's step reports lead back to the entity.
 */
export function savedSource(kind: "Invocation" | "Trigger", id: string): string {
  return `${kind} ${id}`;
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
    BridgeWorkerID: null,
    source,
  };
}

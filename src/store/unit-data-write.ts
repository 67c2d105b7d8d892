// The one way a Unit's Data changes. Whatever the cause (create, PATCH, function invocation,
// trigger, restore...), a change writes exactly one Revision (HeadRevisionNum + 1) and one
// Mutation (HeadMutationNum + 1) recording its source, bumps Version, recomputes DataHash and
// ContentHash and resets ApprovedBy (approvals are for the data that was approved), atomically.
//
// Concurrency: the Unit row is updated first, guarded by `version` when the caller names the
// Version it read. On PostgreSQL the UPDATE takes the row lock, so a concurrent writer waits,
// then finds the Version moved and gets a VersionConflictError: no lost update. On PGlite
// transactions are serialised outright (see database.ts).
import { randomUUID } from "node:crypto";
import { sql, type Transaction } from "kysely";
import { NotFoundError, VersionConflictError } from "./errors.ts";
import { contentHash, dataHash } from "./hashes.ts";
import { json } from "./json.ts";
import { UNIT_COLUMNS } from "./unit-columns.ts";
import { unitDataJson } from "./unit-data-json.ts";
import type { BoolMap, DatabaseSchema, MutationRow, RevisionRow, UnitRow, UnitsTable } from "./schema.ts";
import type { Updateable } from "kysely";

/** The operation that created a Revision (Revision.Source); ConfigHub's vocabulary, open-ended. */
export type RevisionSource =
  | "CreateUnit"
  | "UpdateUnit"
  | "PatchUnit"
  | "Invoke"
  | "Trigger"
  | "RestoreRevision"
  | "UpgradeUnit"
  | "CloneUnit"
  | (string & {});

/**
 * Runs the Space's data-change (Mutation) triggers on data about to be written, inside the write's
 * transaction (src/invoke/trigger-hook.ts): mutating triggers may change the data, which then
 * goes into the same Revision, and validating triggers decide ApplyGates/ApplyWarnings. The store
 * knows nothing of functions; the API hands the hook in (WriteContext.onDataChange).
 */
export type DataChangeHook = (
  trx: Transaction<DatabaseSchema>,
  change: DataChange,
) => Promise<DataChangeOutcome>;

export interface DataChange {
  readonly organizationId: string;
  readonly unitId: string;
  /** The data about to be written; the Unit row still holds the data before the change. */
  readonly data: string;
}

export interface DataChangeOutcome {
  readonly data: string;
  readonly applyGates: BoolMap;
  readonly applyWarnings: BoolMap;
  /** The trigger invocations that ran, appended to the Mutation's list. */
  readonly functionInvocations: readonly unknown[];
  /** Their ResourceMutationList, appended to the Mutation's. */
  readonly resourceMutations: readonly unknown[];
  /** The trigger that changed the data, if one did (Mutation.TriggerID, unless the write names one). */
  readonly triggerId?: string | null;
}

export interface UnitDataWrite {
  readonly organizationId: string;
  readonly unitId: string;
  /** The Unit's ToolchainType (what its data is, for the derived `data_json`). */
  readonly toolchainType: string;
  /** The new config data (UTF-8 text). */
  readonly data: string;
  readonly source: RevisionSource;
  /** Becomes LastChangeDescription; the Revision's Description is the Unit's LastChangeDescription after the write. */
  readonly description?: string;
  /** The Version the caller read; any other current Version is a VersionConflictError. */
  readonly expectedVersion?: number;
  /** Who made the change (the API token's ID); null for automated changes. */
  readonly userId?: string | null;
  readonly userAgent?: string;
  /** The FunctionInvocation list that caused the change (empty for plain data updates). */
  readonly functionInvocations?: readonly unknown[];
  /** The ResourceMutationList of the change (empty until the engine computes one). */
  readonly resourceMutations?: readonly unknown[];
  /** Revision.MutationSources, when the caller tracks them. */
  readonly mutationSources?: readonly unknown[] | null;
  readonly invocationId?: string | null;
  readonly triggerId?: string | null;
  readonly linkId?: string | null;
  readonly restoredRevisionNum?: number | null;
  readonly subgroup?: string;
  /** Runs before the write, on `data` (see DataChangeHook). */
  readonly onDataChange?: DataChangeHook;
  /** Other Unit columns changed by the same operation, so it costs one Version, not two. */
  readonly alsoSet?: Omit<
    Updateable<UnitsTable>,
    | "data"
    | "data_hash"
    | "content_hash"
    | "data_json"
    | "head_revision_num"
    | "head_mutation_num"
    | "version"
  >;
}

export interface UnitDataWritten {
  readonly unit: UnitRow;
  readonly revision: RevisionRow;
  readonly mutation: MutationRow;
}

/**
 * The Unit columns that hold its data and what is derived from it. Every data write sets them all
 * through this one function, so a new derived column cannot be forgotten by one of the write paths.
 * `data_json` (the where_data pre-filter's copy) depends on the Unit's toolchain.
 */
export function unitDataColumns(
  data: string,
  toolchainType: string,
): { data: string; data_hash: string; content_hash: number; data_json: string | null } {
  return {
    data,
    data_hash: dataHash(data),
    content_hash: contentHash(data),
    data_json: unitDataJson(data, toolchainType),
  };
}

export async function writeUnitData(
  trx: Transaction<DatabaseSchema>,
  write: UnitDataWrite,
): Promise<UnitDataWritten> {
  const triggered = write.onDataChange
    ? await write.onDataChange(trx, {
        organizationId: write.organizationId,
        unitId: write.unitId,
        data: write.data,
      })
    : undefined;
  const data = triggered?.data ?? write.data;
  let update = trx
    .updateTable("units")
    .set((eb) => ({
      ...write.alsoSet,
      ...(triggered
        ? { apply_gates: json(triggered.applyGates), apply_warnings: json(triggered.applyWarnings) }
        : {}),
      ...unitDataColumns(data, write.toolchainType),
      ...(write.description !== undefined ? { last_change_description: write.description } : {}),
      approved_by: json([]),
      head_revision_num: eb("head_revision_num", "+", 1),
      head_mutation_num: eb("head_mutation_num", "+", 1),
      version: eb("version", "+", 1),
      updated_at: sql<Date>`now()`,
    }))
    .where("organization_id", "=", write.organizationId)
    .where("unit_id", "=", write.unitId);
  if (write.expectedVersion !== undefined) update = update.where("version", "=", write.expectedVersion);
  const unit = await update.returning(UNIT_COLUMNS).executeTakeFirst();
  if (!unit) {
    const current = await trx
      .selectFrom("units")
      .select("version")
      .where("organization_id", "=", write.organizationId)
      .where("unit_id", "=", write.unitId)
      .executeTakeFirst();
    if (!current) throw new NotFoundError("Unit", write.unitId);
    throw new VersionConflictError(
      "Unit",
      write.unitId,
      write.expectedVersion ?? current.version,
      current.version,
    );
  }

  // The new rows are built here from what was written; only the columns the database fills in are
  // read back. Returning the whole rows would copy the Unit's data (and the mutation list) back out
  // of the database once more per write, which is most of a write's cost on PGlite.
  const revisionValues = {
    revision_id: randomUUID(),
    organization_id: unit.organization_id,
    space_id: unit.space_id,
    unit_id: unit.unit_id,
    revision_num: unit.head_revision_num,
    data: unit.data,
    data_hash: unit.data_hash,
    content_hash: unit.content_hash,
    description: unit.last_change_description,
    source: write.source,
    user_id: write.userId ?? null,
    user_agent: write.userAgent ?? "",
    change_set_id: unit.change_set_id,
  };
  const revisionFilled = await trx
    .insertInto("revisions")
    .values({
      ...revisionValues,
      // The gates as of this Revision.
      apply_gates: json(unit.apply_gates),
      apply_warnings: json(unit.apply_warnings),
      mutation_sources: write.mutationSources ? json(write.mutationSources) : null,
    })
    .returning(["approved_by", "live_at", "created_at", "updated_at"])
    .executeTakeFirstOrThrow();
  const revision: RevisionRow = {
    ...revisionValues,
    ...revisionFilled,
    apply_gates: unit.apply_gates,
    apply_warnings: unit.apply_warnings,
    mutation_sources: write.mutationSources ? [...write.mutationSources] : null,
  };

  const functionInvocations = [
    ...(write.functionInvocations ?? []),
    ...(triggered?.functionInvocations ?? []),
  ];
  const resourceMutations = [...(write.resourceMutations ?? []), ...(triggered?.resourceMutations ?? [])];
  const mutationValues = {
    mutation_id: randomUUID(),
    organization_id: unit.organization_id,
    space_id: unit.space_id,
    unit_id: unit.unit_id,
    mutation_num: unit.head_mutation_num,
    revision_id: revision.revision_id,
    revision_num: revision.revision_num,
    source: write.source,
    description: unit.last_change_description,
    invocation_id: write.invocationId ?? null,
    trigger_id: write.triggerId ?? triggered?.triggerId ?? null,
    link_id: write.linkId ?? null,
    restored_revision_num: write.restoredRevisionNum ?? null,
    subgroup: write.subgroup ?? "",
    user_id: write.userId ?? null,
  };
  const mutationFilled = await trx
    .insertInto("mutations")
    .values({
      ...mutationValues,
      function_invocations: json(functionInvocations),
      resource_mutations: json(resourceMutations),
    })
    .returning(["created_at"])
    .executeTakeFirstOrThrow();
  const mutation: MutationRow = {
    ...mutationValues,
    ...mutationFilled,
    // As the database holds them: jsonb keeps no undefined members.
    function_invocations: JSON.parse(json(functionInvocations)) as unknown[],
    resource_mutations: JSON.parse(json(resourceMutations)) as unknown[],
  };

  return { unit, revision, mutation };
}

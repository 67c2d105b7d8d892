// Saves Units' invocation results: for each, exactly one Revision (Source Invoke, Description =
// ChangeDescription) and one Mutation (the invocations that ran and their ResourceMutationList),
// with the new ApplyGates, through the store's writeUnitData (one Unit) or writeUnitDataBatch (many
// in one transaction), guarded by the Version the Unit had when it was read. A concurrent change in
// between is reported, not overwritten: that Unit's element fails with a conflict and the other
// Units go on.
import type { FunctionInvocation, ResourceMutationList } from "../engine/index.ts";
import {
  NotFoundError,
  VersionConflictError,
  json,
  type DatabaseSchema,
  type UnitRow,
  writeUnitData,
  writeUnitDataBatch,
  type UnitDataColumns,
  type UnitDataWrite,
  type WriteContext,
} from "../store/index.ts";
import type { Kysely } from "kysely";
import type { Gates } from "./apply-gates.ts";
import type { SavedCauses } from "./saved-invocations.ts";
import { inTransaction } from "../store/index.ts";

export interface InvokeWrite {
  readonly unit: Pick<UnitRow, "organization_id" | "unit_id" | "slug" | "version" | "toolchain_type">;
  readonly data: string;
  /** unitDataColumns of `data` for the Unit's toolchain, when already computed (an engine thread's). */
  readonly dataColumns?: UnitDataColumns;
  readonly functionInvocations: readonly FunctionInvocation[];
  readonly mutations: ResourceMutationList;
  readonly gates: Gates;
  readonly changeDescription: string;
  readonly subgroup: string;
  readonly writer: WriteContext;
  /** The saved Invocation and Trigger that changed the data, if any. */
  readonly causes: SavedCauses;
}

export type WriteOutcome =
  | { readonly written: true; readonly revisionId: string }
  | { readonly written: false; readonly conflict: string };

/** Saves one Unit's result in a transaction of its own. */
export async function writeInvokeResult(
  db: Kysely<DatabaseSchema>,
  write: InvokeWrite,
): Promise<WriteOutcome> {
  try {
    const { revision } = await inTransaction(db, (trx) => writeUnitData(trx, unitDataWrite(write)));
    return { written: true, revisionId: revision.revision_id };
  } catch (error) {
    if (error instanceof VersionConflictError || error instanceof NotFoundError) {
      return notWritten(write, error);
    }
    throw error;
  }
}

/**
 * Saves many Units' results in one transaction: one outcome per write, in order. A Unit that
 * changed or vanished is that write's outcome; anything else rejects, and nothing was written.
 */
export async function writeInvokeResults(
  db: Kysely<DatabaseSchema>,
  writes: readonly InvokeWrite[],
): Promise<WriteOutcome[]> {
  const results = await inTransaction(db, (trx) => writeUnitDataBatch(trx, writes.map(unitDataWrite)));
  return results.map((result, i) =>
    result.ok
      ? { written: true, revisionId: result.written.revisionId }
      : notWritten(writes[i]!, result.error),
  );
}

function unitDataWrite(write: InvokeWrite): UnitDataWrite {
  const { unit } = write;
  return {
    organizationId: unit.organization_id,
    unitId: unit.unit_id,
    toolchainType: unit.toolchain_type,
    data: write.data,
    ...(write.dataColumns ? { dataColumns: write.dataColumns } : {}),
    source: "Invoke",
    description: write.changeDescription,
    expectedVersion: unit.version,
    userId: write.writer.userId,
    userAgent: write.writer.userAgent,
    functionInvocations: write.functionInvocations,
    resourceMutations: write.mutations,
    subgroup: write.subgroup,
    invocationId: write.causes.invocationId ?? null,
    triggerId: write.causes.triggerId ?? null,
    // The Space's triggers already ran in this invocation's engine run: no hook here.
    alsoSet: {
      apply_gates: json(write.gates.applyGates),
      apply_warnings: json(write.gates.applyWarnings),
    },
  };
}

function notWritten(write: InvokeWrite, error: VersionConflictError | NotFoundError): WriteOutcome {
  const { unit } = write;
  if (error instanceof VersionConflictError) {
    return {
      written: false,
      conflict:
        `Unit ${unit.slug} data conflict: it changed while the functions ran (Version ${unit.version} ` +
        `was read, it is now ${error.actual ?? "newer"}); nothing was written, run the invocation again`,
    };
  }
  return {
    written: false,
    conflict: `Unit ${unit.slug} was deleted while the functions ran; nothing was written`,
  };
}

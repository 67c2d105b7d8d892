// Saves one Unit's invocation result: exactly one Revision (Source Invoke, Description =
// ChangeDescription) and one Mutation (the invocations that ran and their ResourceMutationList),
// with the new ApplyGates, in one transaction through the store's writeUnitData, guarded by the
// Version the Unit had when it was read. A concurrent change in between is reported, not
// overwritten: that Unit's element fails with a conflict and the other Units go on.
import type { FunctionInvocation, ResourceMutationList } from "../engine/index.ts";
import {
  NotFoundError,
  VersionConflictError,
  json,
  type DatabaseSchema,
  type UnitRow,
  writeUnitData,
  type WriteContext,
} from "../store/index.ts";
import type { Kysely } from "kysely";
import type { Gates } from "./apply-gates.ts";
import type { SavedCauses } from "./saved-invocations.ts";
import { inTransaction } from "../store/index.ts";

export interface InvokeWrite {
  readonly unit: Pick<UnitRow, "organization_id" | "unit_id" | "slug" | "version" | "toolchain_type">;
  readonly data: string;
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

export async function writeInvokeResult(
  db: Kysely<DatabaseSchema>,
  write: InvokeWrite,
): Promise<WriteOutcome> {
  const { unit } = write;
  try {
    const { revision } = await inTransaction(db, (trx) =>
      writeUnitData(trx, {
        organizationId: unit.organization_id,
        unitId: unit.unit_id,
        toolchainType: unit.toolchain_type,
        data: write.data,
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
      }),
    );
    return { written: true, revisionId: revision.revision_id };
  } catch (error) {
    if (error instanceof VersionConflictError) {
      return {
        written: false,
        conflict:
          `Unit ${unit.slug} data conflict: it changed while the functions ran (Version ${unit.version} ` +
          `was read, it is now ${error.actual ?? "newer"}); nothing was written, run the invocation again`,
      };
    }
    if (error instanceof NotFoundError) {
      return {
        written: false,
        conflict: `Unit ${unit.slug} was deleted while the functions ran; nothing was written`,
      };
    }
    throw error;
  }
}

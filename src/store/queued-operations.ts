// Queued operations (migrations/0005): invocations handed from the replica that received them to
// the replica holding the bridge worker's stream. Every statement is scoped to the organization
// (the waiting side) or to the worker the claiming replica holds; claims are atomic, so exactly
// one replica runs an operation.
import type { Kysely } from "kysely";
import { json } from "./json.ts";
import type { DatabaseSchema } from "./schema.ts";

export type QueuedOperationStatus = "Pending" | "Delivered" | "Completed" | "Failed";

export interface NewQueuedOperation {
  readonly queuedOperationId: string;
  readonly organizationId: string;
  readonly bridgeWorkerId: string;
  readonly unitId: string;
  readonly request: Record<string, unknown>;
  readonly deadline: Date;
}

export interface ClaimedOperation {
  readonly organizationId: string;
  readonly request: Record<string, unknown>;
  readonly deadline: Date;
}

export type OperationOutcome =
  | { readonly status: "Pending" | "Delivered" }
  | { readonly status: "Completed"; readonly result: Record<string, unknown> }
  | { readonly status: "Failed"; readonly errorCode: string; readonly errorMessage: string };

export async function insertQueuedOperation(
  db: Kysely<DatabaseSchema>,
  operation: NewQueuedOperation,
): Promise<void> {
  await db
    .insertInto("queued_operations")
    .values({
      queued_operation_id: operation.queuedOperationId,
      organization_id: operation.organizationId,
      bridge_worker_id: operation.bridgeWorkerId,
      unit_id: operation.unitId,
      request: json(operation.request),
      deadline: operation.deadline,
    })
    .execute();
}

/** Pending → Delivered for the worker's operation; undefined when another replica got it first (or it is gone). */
export async function claimQueuedOperation(
  db: Kysely<DatabaseSchema>,
  queuedOperationId: string,
  bridgeWorkerId: string,
): Promise<ClaimedOperation | undefined> {
  const row = await db
    .updateTable("queued_operations")
    .set({ status: "Delivered" })
    .where("queued_operation_id", "=", queuedOperationId)
    .where("bridge_worker_id", "=", bridgeWorkerId)
    .where("status", "=", "Pending")
    .returning(["organization_id", "request", "deadline"])
    .executeTakeFirst();
  return (
    row && { organizationId: row.organization_id, request: row.request, deadline: new Date(row.deadline) }
  );
}

/** The worker's operations that no replica has claimed yet and whose deadline has not passed, oldest first. */
export async function pendingQueuedOperations(
  db: Kysely<DatabaseSchema>,
  worker: { readonly organizationId: string; readonly bridgeWorkerId: string },
): Promise<string[]> {
  const rows = await db
    .selectFrom("queued_operations")
    .select("queued_operation_id")
    .where("organization_id", "=", worker.organizationId)
    .where("bridge_worker_id", "=", worker.bridgeWorkerId)
    .where("status", "=", "Pending")
    .where("deadline", ">", new Date())
    .orderBy("created_at")
    .execute();
  return rows.map((row) => row.queued_operation_id);
}

/** Delivered → Completed | Failed; false when the waiting replica already gave up (the row is gone). */
export async function finishQueuedOperation(
  db: Kysely<DatabaseSchema>,
  queuedOperationId: string,
  bridgeWorkerId: string,
  outcome: Exclude<OperationOutcome, { status: "Pending" | "Delivered" }>,
): Promise<boolean> {
  const result = await db
    .updateTable("queued_operations")
    .set(
      outcome.status === "Completed"
        ? { status: "Completed", result: json(outcome.result) }
        : { status: "Failed", error_code: outcome.errorCode, error_message: outcome.errorMessage },
    )
    .where("queued_operation_id", "=", queuedOperationId)
    .where("bridge_worker_id", "=", bridgeWorkerId)
    .where("status", "=", "Delivered")
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Where the operation stands, or undefined when it is gone. */
export async function queuedOperationOutcome(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  queuedOperationId: string,
): Promise<OperationOutcome | undefined> {
  const row = await db
    .selectFrom("queued_operations")
    .select(["status", "result", "error_code", "error_message"])
    .where("organization_id", "=", organizationId)
    .where("queued_operation_id", "=", queuedOperationId)
    .executeTakeFirst();
  if (!row) return undefined;
  switch (row.status) {
    case "Completed":
      return { status: "Completed", result: row.result ?? {} };
    case "Failed":
      return { status: "Failed", errorCode: row.error_code ?? "", errorMessage: row.error_message ?? "" };
    default:
      return { status: row.status as "Pending" | "Delivered" };
  }
}

/**
 * Deletes the operation; with `onlyPending`, only while no replica has claimed it (true: it was
 * withdrawn before anyone ran it).
 */
export async function deleteQueuedOperation(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  queuedOperationId: string,
  onlyPending = false,
): Promise<boolean> {
  let query = db
    .deleteFrom("queued_operations")
    .where("organization_id", "=", organizationId)
    .where("queued_operation_id", "=", queuedOperationId);
  if (onlyPending) query = query.where("status", "=", "Pending");
  const result = await query.executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Rows of replicas that went away while waiting: everything past its deadline by `graceMs`. */
export async function deleteExpiredQueuedOperations(
  db: Kysely<DatabaseSchema>,
  graceMs: number,
): Promise<number> {
  const result = await db
    .deleteFrom("queued_operations")
    .where("deadline", "<", new Date(Date.now() - graceMs))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

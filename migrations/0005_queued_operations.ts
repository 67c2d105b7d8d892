// Queued operations (issue 13, across replicas): with PostgreSQL, an invocation that arrives at a
// replica without the worker's stream is written here; the replica holding the stream claims it
// (Pending → Delivered), runs it on the worker and records the outcome (Completed or Failed) for
// the waiting replica, which deletes the row once it has read it. LISTEN/NOTIFY carries the wake-ups.
import { sql, type Kysely } from "kysely";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("queued_operations")
    .addColumn("queued_operation_id", "uuid", (c) => c.primaryKey())
    .addColumn("organization_id", "uuid", (c) =>
      c.notNull().references("organizations.organization_id").onDelete("cascade"),
    )
    .addColumn("bridge_worker_id", "uuid", (c) =>
      c.notNull().references("bridge_workers.bridge_worker_id").onDelete("cascade"),
    )
    .addColumn("unit_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("request", "jsonb", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("Pending"))
    .addColumn("result", "jsonb")
    .addColumn("error_code", "text")
    .addColumn("error_message", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("deadline", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("queued_operations_deadline_idx")
    .on("queued_operations")
    .column("deadline")
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("queued_operations").execute();
}

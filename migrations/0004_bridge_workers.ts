// Bridge workers (issue 13): external processes that connect over the worker port and run functions
// they register themselves. A worker is a space-scoped saved entity (slug unique per Space) plus
// its connection state; only the SHA-256 of its secret is stored (the plaintext is shown once).
// `bridge_worker_statuses` is the connection history (Connected, Disconnected), newest last.
import { sql, type Kysely } from "kysely";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const jsonObject = sql`'{}'::jsonb`;
  await db.schema
    .createTable("bridge_workers")
    .addColumn("bridge_worker_id", "uuid", (c) => c.primaryKey())
    .addColumn("organization_id", "uuid", (c) =>
      c.notNull().references("organizations.organization_id").onDelete("cascade"),
    )
    .addColumn("space_id", "uuid", (c) => c.notNull().references("spaces.space_id").onDelete("cascade"))
    .addColumn("slug", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("labels", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addColumn("annotations", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addColumn("delete_gates", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("secret_hash", "text", (c) => c.notNull().unique())
    .addColumn("condition", "text", (c) => c.notNull().defaultTo("Disconnected"))
    .addColumn("ip_address", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("last_seen_at", "timestamptz")
    .addColumn("last_message", "text", (c) => c.notNull().defaultTo(""))
    // The WorkerInfo of the latest connect (functions by toolchain, bridge config types).
    .addColumn("provided_info", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addUniqueConstraint("bridge_workers_space_slug_key", ["space_id", "slug"])
    .execute();
  await db.schema
    .createIndex("bridge_workers_org_idx")
    .on("bridge_workers")
    .column("organization_id")
    .execute();

  await db.schema
    .createTable("bridge_worker_statuses")
    .addColumn("bridge_worker_status_id", "uuid", (c) => c.primaryKey())
    .addColumn("bridge_worker_id", "uuid", (c) =>
      c.notNull().references("bridge_workers.bridge_worker_id").onDelete("cascade"),
    )
    .addColumn("organization_id", "uuid", (c) => c.notNull())
    .addColumn("space_id", "uuid", (c) => c.notNull())
    .addColumn("bridge_worker_slug", "text", (c) => c.notNull())
    .addColumn("ip_address", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("seen_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("status", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("bridge_worker_statuses_worker_idx")
    .on("bridge_worker_statuses")
    .columns(["bridge_worker_id", "seen_at"])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("bridge_worker_statuses").execute();
  await db.schema.dropTable("bridge_workers").execute();
}

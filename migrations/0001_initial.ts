// The core schema: organizations, API tokens, spaces, units, revisions, mutations.
//
// Column names are the snake_case of ConfigHub's PascalCase attributes (HeadRevisionNum ->
// head_revision_num), so the `where` attribute catalogue maps one to the other mechanically.
// Maps and arrays are jsonb (Labels, ApplyGates, ApprovedBy, ...): the same operators work on
// PGlite and PostgreSQL, and `?` / jsonb_array_length serve the `?` and LEN() filter forms.
// Counters are int4 so both drivers return JS numbers.
import { sql, type Kysely } from "kysely";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const jsonObject = sql`'{}'::jsonb`;
  const jsonArray = sql`'[]'::jsonb`;

  await db.schema
    .createTable("organizations")
    .addColumn("organization_id", "uuid", (c) => c.primaryKey())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("display_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("external_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("email_domain", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("labels", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addColumn("annotations", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("api_tokens")
    .addColumn("token_id", "uuid", (c) => c.primaryKey())
    .addColumn("organization_id", "uuid", (c) =>
      c.notNull().references("organizations.organization_id").onDelete("cascade"),
    )
    // SHA-256 hex of the secret: tokens are 256-bit random, so a fast hash is enough and lookups stay O(1).
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('admin', 'editor', 'viewer')`))
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_used_at", "timestamptz")
    .addColumn("revoked_at", "timestamptz")
    .execute();
  await db.schema.createIndex("api_tokens_org_idx").on("api_tokens").column("organization_id").execute();

  await db.schema
    .createTable("spaces")
    .addColumn("space_id", "uuid", (c) => c.primaryKey())
    .addColumn("organization_id", "uuid", (c) =>
      c.notNull().references("organizations.organization_id").onDelete("cascade"),
    )
    .addColumn("slug", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("labels", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addColumn("annotations", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addColumn("delete_gates", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("spaces_org_slug_key", ["organization_id", "slug"])
    .execute();
  await db.schema.createIndex("spaces_labels_idx").on("spaces").using("gin").column("labels").execute();

  await db.schema
    .createTable("units")
    .addColumn("unit_id", "uuid", (c) => c.primaryKey())
    .addColumn("organization_id", "uuid", (c) =>
      c.notNull().references("organizations.organization_id").onDelete("cascade"),
    )
    .addColumn("space_id", "uuid", (c) => c.notNull().references("spaces.space_id").onDelete("cascade"))
    .addColumn("slug", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("labels", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addColumn("annotations", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addColumn("toolchain_type", "text", (c) => c.notNull())
    // Config data is text: every toolchain we support is UTF-8 text; invalid UTF-8 is rejected at the API.
    .addColumn("data", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("data_hash", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("content_hash", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_change_description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("head_revision_num", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("head_mutation_num", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("live_revision_num", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_applied_revision_num", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("previous_live_revision_num", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("upstream_organization_id", "uuid")
    .addColumn("upstream_space_id", "uuid")
    .addColumn("upstream_unit_id", "uuid")
    .addColumn("upstream_revision_num", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("apply_gates", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addColumn("apply_warnings", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addColumn("delete_gates", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addColumn("destroy_gates", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addColumn("approved_by", "jsonb", (c) => c.notNull().defaultTo(jsonArray))
    .addColumn("from_link_id", "jsonb", (c) => c.notNull().defaultTo(jsonArray))
    .addColumn("values", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addColumn("target_id", "uuid")
    .addColumn("bridge_worker_id", "uuid")
    .addColumn("change_set_id", "uuid")
    .addColumn("target_options", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addColumn("provider_type", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("drift_reconciliation_mode", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("head_unit_action_num", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("head_unit_event_num", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_action_at", "timestamptz")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("units_space_slug_key", ["space_id", "slug"])
    .execute();
  await db.schema.createIndex("units_org_idx").on("units").columns(["organization_id", "unit_id"]).execute();
  await db.schema
    .createIndex("units_org_slug_idx")
    .on("units")
    .columns(["organization_id", "slug"])
    .execute();
  await db.schema.createIndex("units_labels_idx").on("units").using("gin").column("labels").execute();

  await db.schema
    .createTable("revisions")
    .addColumn("revision_id", "uuid", (c) => c.primaryKey())
    .addColumn("organization_id", "uuid", (c) => c.notNull())
    .addColumn("space_id", "uuid", (c) => c.notNull())
    .addColumn("unit_id", "uuid", (c) => c.notNull().references("units.unit_id").onDelete("cascade"))
    .addColumn("revision_num", "integer", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("data_hash", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("content_hash", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    // The operation that created it: CreateUnit, UpdateUnit, PatchUnit, Invoke, Trigger, ...
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("user_id", "uuid")
    .addColumn("user_agent", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("apply_gates", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addColumn("apply_warnings", "jsonb", (c) => c.notNull().defaultTo(jsonObject))
    .addColumn("approved_by", "jsonb", (c) => c.notNull().defaultTo(jsonArray))
    .addColumn("change_set_id", "uuid")
    .addColumn("mutation_sources", "jsonb")
    .addColumn("live_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("revisions_unit_num_key", ["unit_id", "revision_num"])
    .execute();
  await db.schema.createIndex("revisions_org_idx").on("revisions").column("organization_id").execute();

  await db.schema
    .createTable("mutations")
    .addColumn("mutation_id", "uuid", (c) => c.primaryKey())
    .addColumn("organization_id", "uuid", (c) => c.notNull())
    .addColumn("space_id", "uuid", (c) => c.notNull())
    .addColumn("unit_id", "uuid", (c) => c.notNull().references("units.unit_id").onDelete("cascade"))
    .addColumn("mutation_num", "integer", (c) => c.notNull())
    .addColumn("revision_id", "uuid", (c) =>
      c.notNull().references("revisions.revision_id").onDelete("cascade"),
    )
    .addColumn("revision_num", "integer", (c) => c.notNull())
    // Same vocabulary as revisions.source.
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    // The FunctionInvocation list that caused it (empty for plain data updates).
    .addColumn("function_invocations", "jsonb", (c) => c.notNull().defaultTo(jsonArray))
    // ResourceMutationList (empty until the engine computes one).
    .addColumn("resource_mutations", "jsonb", (c) => c.notNull().defaultTo(jsonArray))
    .addColumn("invocation_id", "uuid")
    .addColumn("trigger_id", "uuid")
    .addColumn("link_id", "uuid")
    .addColumn("restored_revision_num", "integer")
    .addColumn("subgroup", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("user_id", "uuid")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("mutations_unit_num_key", ["unit_id", "mutation_num"])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["mutations", "revisions", "units", "spaces", "api_tokens", "organizations"]) {
    await db.schema.dropTable(table).execute();
  }
}

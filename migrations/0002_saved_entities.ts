// Saved entities of the function-invocation API: Filters, Invocations, Triggers and ChangeSets.
//
// Each is space-scoped with the common entity columns (slug unique per space, labels, annotations,
// delete gates, Version, times). Column names are the snake_case of ConfigHub's attributes, so the
// `where` catalogues (src/filter/catalogue) map onto them mechanically: the triggers table carries
// every Trigger attribute the catalogue names, including the V26 ones confn does not interpret yet.
// Function arguments are jsonb ([]FunctionArgument as sent); `Hash` is the SHA-256 of the spec fields.
import { sql, type Kysely } from "kysely";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const jsonObject = sql`'{}'::jsonb`;
  const jsonArray = sql`'[]'::jsonb`;

  const entity = (table: string, idColumn: string) =>
    db.schema
      .createTable(table)
      .addColumn(idColumn, "uuid", (c) => c.primaryKey())
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
      .addUniqueConstraint(`${table}_space_slug_key`, ["space_id", "slug"]);

  await entity("filters", "filter_id")
    // Entity type filtered, PascalCase: Unit, Space, Trigger, ...
    .addColumn("from", "text", (c) => c.notNull())
    .addColumn("from_space_id", "uuid")
    .addColumn("where", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("where_data", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("resource_type", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("hash", "text", (c) => c.notNull().defaultTo(""))
    .execute();

  await entity("invocations", "invocation_id")
    .addColumn("function_name", "text", (c) => c.notNull())
    .addColumn("arguments", "jsonb", (c) => c.notNull().defaultTo(jsonArray))
    .addColumn("toolchain_type", "text", (c) => c.notNull())
    .addColumn("bridge_worker_id", "uuid")
    .addColumn("where_resource", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("hash", "text", (c) => c.notNull().defaultTo(""))
    .execute();

  await entity("triggers", "trigger_id")
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("toolchain_type", "text", (c) => c.notNull())
    .addColumn("function_name", "text", (c) => c.notNull())
    .addColumn("arguments", "jsonb", (c) => c.notNull().defaultTo(jsonArray))
    .addColumn("bridge_worker_id", "uuid")
    .addColumn("invocation_id", "uuid")
    .addColumn("disabled", "boolean", (c) => c.notNull().defaultTo(false))
    // Derived from the function's signature when the trigger is created or its function changes.
    .addColumn("validating", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("warn", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("where_unit", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("unit_filter_id", "uuid")
    .addColumn("where_resource", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("other_data_source", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("hash", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  // Every data change looks up its Space's enabled triggers for one event.
  await db.schema
    .createIndex("triggers_space_event_idx")
    .on("triggers")
    .columns(["space_id", "event"])
    .execute();

  await entity("change_sets", "change_set_id")
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("start_tag_id", "uuid")
    .addColumn("end_tag_id", "uuid")
    .addColumn("state", "text", (c) => c.notNull().defaultTo("Open"))
    .execute();

  for (const table of ["filters", "invocations", "triggers", "change_sets"]) {
    await db.schema.createIndex(`${table}_org_idx`).on(table).column("organization_id").execute();
  }

  // A Unit joins a ChangeSet through units.change_set_id (0001); deleting the set releases its Units.
  await db.schema
    .alterTable("units")
    .addForeignKeyConstraint(
      "units_change_set_fkey",
      ["change_set_id"],
      "change_sets",
      ["change_set_id"],
      (c) => c.onDelete("set null"),
    )
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("units").dropConstraint("units_change_set_fkey").execute();
  for (const table of ["change_sets", "triggers", "invocations", "filters"]) {
    await db.schema.dropTable(table).execute();
  }
}

// The start-up backfill of units.data_json (where_data's pre-filter copy) for Units written before
// it existed: it fills Kubernetes/YAML Units whose copy is missing with what a write would have
// stored, leaves unknown what it cannot represent, and touches nothing else.
import { randomUUID } from "node:crypto";
import { createSpace } from "../../src/store/spaces.ts";
import type { Kysely } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { json } from "../../src/store/json.ts";
import type { DatabaseSchema } from "../../src/store/schema.ts";
import { backfillUnitDataJson } from "../../src/store/unit-data-json-backfill.ts";
import { unitDataColumns } from "../../src/store/unit-data-columns.ts";
import { createTestOrganization, testDatabases } from "../support/databases.ts";

describe.each(testDatabases())("units.data_json backfill on $name", (target) => {
  let db: Kysely<DatabaseSchema>;
  let organizationId: string;
  const unit = (slug: string, data: string, toolchain = "Kubernetes/YAML") => ({ slug, data, toolchain });
  const units = [
    unit("deployment", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n"),
    unit("two-documents", "a: 1\n---\nb: [x, 2.5]\n"),
    unit("broken", "a: [\n"),
    unit("properties", "a=1\n", "AppConfig/Properties"),
  ];

  beforeAll(async () => {
    db = (await target.open()).db;
    organizationId = (await createTestOrganization(db, "backfill")).organizationId;
    const attributes = {
      slug: "backfill",
      displayName: "backfill",
      labels: {},
      annotations: {},
      deleteGates: {},
    };
    const spaceId = (await createSpace(db, organizationId, attributes)).space_id;
    // As a Unit written before migration 0006: every data column but data_json.
    await db
      .insertInto("units")
      .values(
        units.map((u) => ({
          unit_id: randomUUID(),
          organization_id: organizationId,
          space_id: spaceId,
          slug: u.slug,
          toolchain_type: u.toolchain,
          labels: json({}),
          annotations: json({}),
          ...unitDataColumns(u.data, u.toolchain),
          data_json: null,
        })),
      )
      .execute();
  });

  it("fills what a write would have stored, once, and leaves unknown values NULL", async () => {
    expect(await backfillUnitDataJson(db)).toBe(2);
    const rows = await db
      .selectFrom("units")
      .select(["slug", "data_json"])
      .where("organization_id", "=", organizationId)
      .orderBy("slug")
      .execute();
    const stored = Object.fromEntries(rows.map((row) => [row.slug, row.data_json as unknown]));
    expect(stored).toEqual({
      broken: null,
      deployment: [
        { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { replicas: 3 } },
      ],
      properties: null,
      "two-documents": [{ a: 1 }, { b: ["x", 2.5] }],
    });
    // Nothing left to fill in this organization.
    const again = await backfillUnitDataJson(db);
    const after = await db
      .selectFrom("units")
      .select("slug")
      .where("organization_id", "=", organizationId)
      .where("data_json", "is not", null)
      .execute();
    expect(after).toHaveLength(2);
    expect(again).toBe(0);
  });

  it("stops between batches when asked", async () => {
    expect(await backfillUnitDataJson(db, () => true)).toBe(0);
  });
});

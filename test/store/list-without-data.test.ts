// A list whose caller did not select Data must not read the config data out of the database: the
// rows the driver returns (seen by a kysely plugin, before any mapping) hold no `data` column, for
// Units and for Revisions; with Data they do.
import type { KyselyPlugin, QueryResult, UnknownRow } from "kysely";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { listOrganizationRevisions, listUnitRevisions } from "../../src/store/history-lists.ts";
import { createUnit, listUnits, modifyUnit, type UnitKey } from "../../src/store/units.ts";
import {
  createTestOrganization,
  testDatabases,
  createTestSpace,
  plainUnitAttributes,
} from "../support/databases.ts";

/** Records the raw rows of every query result. */
class RowRecorder implements KyselyPlugin {
  rows: UnknownRow[] = [];
  transformQuery: KyselyPlugin["transformQuery"] = (args) => args.node;
  async transformResult(args: { result: QueryResult<UnknownRow> }): Promise<QueryResult<UnknownRow>> {
    this.rows.push(...args.result.rows);
    return args.result;
  }
}

const BIG = `items:\n${"  - a fairly long line of configuration data\n".repeat(2000)}`;

describe.each(testDatabases())("lists without data on $name", (target) => {
  let database: Database;
  let organizationId: string;
  let key: UnitKey;

  beforeAll(async () => {
    database = await target.open();
  });
  beforeEach(async () => {
    ({ organizationId } = await createTestOrganization(database.db));
    const space = await createTestSpace(database.db, organizationId);
    for (const slug of ["web", "api"]) {
      const { unit } = await createUnit(
        database.db,
        organizationId,
        space.space_id,
        {
          toolchainType: "Kubernetes/YAML",
          data: BIG,
          attributes: plainUnitAttributes(slug),
        },
        { userId: null, userAgent: "test" },
      );
      key = { organizationId, spaceId: space.space_id, unitId: unit.unit_id };
    }
  });

  it("listUnits with withData: false reads no data column, and is ordered by Slug", async () => {
    const recorder = new RowRecorder();
    const units = await listUnits(database.db.withPlugin(recorder), organizationId, { withData: false });
    expect(units.map((u) => u.slug)).toEqual(["api", "web"]);
    expect(recorder.rows).toHaveLength(2);
    for (const row of recorder.rows) expect(Object.keys(row)).not.toContain("data");
    expect(JSON.stringify(recorder.rows).length).toBeLessThan(BIG.length / 4);
    for (const unit of units) expect("data" in unit).toBe(false);

    const full = new RowRecorder();
    const withData = await listUnits(database.db.withPlugin(full), organizationId);
    expect(withData.map((u) => u.data)).toEqual([BIG, BIG]);
    expect(full.rows.every((row) => row.data === BIG)).toBe(true);
  });

  it("the Revision lists with withData: false read no data column", async () => {
    await modifyUnit(database.db, key, { userId: null, userAgent: "test" }, (current) => ({
      attributes: {
        slug: current.slug,
        displayName: current.display_name,
        labels: {},
        annotations: {},
        deleteGates: {},
        destroyGates: {},
        lastChangeDescription: "",
      },
      data: `${BIG}more: 1\n`,
      source: "PatchUnit",
    }));
    for (const list of [
      (db: typeof database.db) => listUnitRevisions(db, key, { withData: false }),
      (db: typeof database.db) => listOrganizationRevisions(db, organizationId, { withData: false }),
    ]) {
      const recorder = new RowRecorder();
      const revisions = await list(database.db.withPlugin(recorder));
      expect(revisions.length).toBeGreaterThanOrEqual(2);
      for (const row of recorder.rows) expect(Object.keys(row)).not.toContain("data");
      expect(JSON.stringify(recorder.rows).length).toBeLessThan(BIG.length / 4);
    }
    const full = new RowRecorder();
    const revisions = await listUnitRevisions(database.db.withPlugin(full), key);
    expect(revisions.map((r) => r.revision_num)).toEqual([1, 2]);
    expect(revisions[1]!.data).toBe(`${BIG}more: 1\n`);
  });
});

// Concurrent invocations on one Unit: every write is guarded by the Version the Unit had when it
// was read, so a change made in between makes that invocation's element fail with a conflict
// instead of being overwritten. No lost update: HeadRevisionNum rises by exactly the number of
// successful elements and the final data holds every successful change.
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import {
  call,
  createSpace,
  createUnit,
  deployment,
  expectInvokeContract,
  getUnit,
  invoke,
} from "./invoke-support.ts";

const PARALLEL = 20;

describe.each(testDatabases())("concurrent invocations on $name", (target) => {
  let database: Database;
  let t: TestApp;

  beforeAll(async () => {
    database = await target.open();
    t = await buildTestApp(database);
    return () => t.close();
  });

  it(`${PARALLEL} parallel mutating invocations on one Unit lose no update`, async () => {
    const space = await createSpace(t, "race");
    const unit = await createUnit(t, space, "web", deployment("web"));

    const responses = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        invoke(t, {
          spaceId: space,
          body: {
            FunctionInvocations: [call("set-label", `writer-${i}`, `value-${i}`)],
            ChangeDescription: `writer ${i}`,
          },
        }),
      ),
    );

    const succeeded: number[] = [];
    responses.forEach((response, i) => {
      expect([200, 207], response.body).toContain(response.statusCode);
      const body = response.json();
      expectInvokeContract(body);
      expect(body).toHaveLength(1);
      const [element] = body;
      if (element!.Success) {
        expect(response.statusCode).toBe(200);
        succeeded.push(i);
      } else {
        expect(response.statusCode).toBe(207);
        expect(element!.Error).toMatchObject({ Status: 409, Type: "CONFLICT", ErrorCategory: "conflict" });
        expect(element!.Error!.Details[0]).toMatch(/data conflict: it changed while the functions ran/);
      }
    });
    expect(succeeded.length).toBeGreaterThan(0);

    const now = await getUnit(t, space, unit.UnitID);
    expect(now.HeadRevisionNum).toBe(1 + succeeded.length);
    for (let i = 0; i < PARALLEL; i++) {
      if (succeeded.includes(i)) expect(now.data).toContain(`writer-${i}: value-${i}`);
      else expect(now.data).not.toContain(`writer-${i}:`);
    }
    const revisions = await database.db
      .selectFrom("revisions")
      .select(["revision_num", "description"])
      .where("unit_id", "=", unit.UnitID)
      .orderBy("revision_num")
      .execute();
    expect(revisions.map((r) => r.revision_num)).toEqual(
      Array.from({ length: 1 + succeeded.length }, (_, i) => i + 1),
    );
    expect(
      revisions
        .slice(1)
        .map((r) => r.description)
        .sort(),
    ).toEqual(succeeded.map((i) => `writer ${i}`).sort());
  });
});

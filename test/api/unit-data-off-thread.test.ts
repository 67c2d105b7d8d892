// Large Unit data (OFF_THREAD_DATA_CHARACTERS and up) is checked, and its derived columns computed,
// on an engine thread, so that parsing megabytes never holds the main thread: creating a 15 MB
// Unit used to stop every other request for ~10 s. The answer must not depend on where it ran: the
// same data is accepted, the same data is refused with the same message, and what is stored (data,
// digests, the where_data copy) is what the main thread would store. Create, PATCH, PUT and the raw
// data upload go this way; an update checks first, before its transaction. A bulk clone or PATCH
// checks its one Data once per toolchain, not once per Unit.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { checkConfigData, OFF_THREAD_DATA_CHARACTERS } from "../../src/api/unit-data.ts";
import { EnginePool } from "../../src/invoke/index.ts";
import type { Database } from "../../src/store/database.ts";
import { unitDataColumns } from "../../src/store/index.ts";
import { b64, buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import { createSpace } from "./invoke-support.ts";

/** A ConfigMap of about `characters` characters, its last key `last`. */
function largeConfigMap(name: string, characters: number, last = "last"): string {
  const lines = [`apiVersion: v1`, `kind: ConfigMap`, `metadata:`, `  name: ${name}`, `data:`];
  // Long values: few tokens to parse, so the test stays quick.
  const value = "v".repeat(4000);
  for (let i = 0, size = 0; size < characters; i++, size += value.length + 20)
    lines.push(`  key-${i}: "${value}"`);
  lines.push(`  ${last}: "end"`);
  return lines.join("\n") + "\n";
}

/** The 422 message the main thread's check gives for `text`. */
function inlineProblem(text: string, field = "body/Data"): string {
  try {
    checkConfigData(text, "Kubernetes/YAML", field);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the check to refuse the data");
}

describe.each(testDatabases())("large Unit data on engine threads, on $name", (target) => {
  let database: Database;
  let t: TestApp;
  let space: string;
  const checks = vi.spyOn(EnginePool.prototype, "checkUnitData");

  beforeAll(async () => {
    database = await target.open();
    t = await buildTestApp(database, { engineThreads: { threads: 2 } });
    space = await createSpace(t, "large");
  });

  afterAll(async () => {
    await t?.close();
  });

  const stored = (unitId: string) =>
    database.db
      .selectFrom("units")
      .select(["data", "data_hash", "content_hash", "data_json"])
      .where("unit_id", "=", unitId)
      .executeTakeFirstOrThrow();

  /** What was stored is unitDataColumns of the data, as the main thread computes them. */
  async function expectStoredAsMainThread(unitId: string, data: string): Promise<void> {
    const row = await stored(unitId);
    const expected = unitDataColumns(data, "Kubernetes/YAML");
    expect(row.data).toBe(data);
    expect(row.data_hash).toBe(expected.data_hash);
    expect(row.content_hash).toBe(expected.content_hash);
    expect(row.data_json).toEqual(JSON.parse(expected.data_json!));
  }

  it("creates, patches, puts and uploads large data through a thread, storing what the main thread would", async () => {
    checks.mockClear();
    const data = largeConfigMap("big", OFF_THREAD_DATA_CHARACTERS + 1000);
    const created = await t.request({
      method: "POST",
      url: `/api/space/${space}/unit`,
      body: { Slug: "big", ToolchainType: "Kubernetes/YAML", Data: b64(data) },
    });
    expect(created.statusCode, created.body.slice(0, 500)).toBe(200);
    const unitId = created.json().UnitID as string;
    await expectStoredAsMainThread(unitId, data);

    const patched = data.replace('last: "end"', 'last: "patched"');
    const patch = await t.request({
      method: "PATCH",
      url: `/api/space/${space}/unit/${unitId}`,
      body: { Data: b64(patched) },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patch.statusCode, patch.body.slice(0, 500)).toBe(200);
    await expectStoredAsMainThread(unitId, patched);

    const uploaded = data.replace('last: "end"', 'last: "uploaded"');
    const upload = await t.request({
      method: "PUT",
      url: `/api/space/${space}/unit/${unitId}/data`,
      body: uploaded,
      headers: { "content-type": "application/yaml" },
    });
    expect(upload.statusCode, upload.body.slice(0, 500)).toBe(200);
    await expectStoredAsMainThread(unitId, uploaded);

    // Each of the three checks went to a thread.
    expect(checks).toHaveBeenCalledTimes(3);
    // Small data stays on the main thread.
    const small = await t.request({
      method: "POST",
      url: `/api/space/${space}/unit`,
      body: { Slug: "small", ToolchainType: "Kubernetes/YAML", Data: b64(largeConfigMap("small", 100)) },
    });
    expect(small.statusCode, small.body).toBe(200);
    expect(checks).toHaveBeenCalledTimes(3);
  });

  it("refuses large invalid data with the message the main thread gives, writing nothing", async () => {
    // A duplicate key at the very end: the whole text is parsed before the problem shows.
    const broken = largeConfigMap("broken", OFF_THREAD_DATA_CHARACTERS + 1000, "key-0");
    const created = await t.request({
      method: "POST",
      url: `/api/space/${space}/unit`,
      body: { Slug: "broken", ToolchainType: "Kubernetes/YAML", Data: b64(broken) },
    });
    expect(created.statusCode).toBe(422);
    expect(created.json().Message).toBe(inlineProblem(broken));
    expect(created.json().Message).toMatch(/^body\/Data is not valid YAML: document 1, line \d+, column 3: /);

    const ok = await t.request({
      method: "POST",
      url: `/api/space/${space}/unit`,
      body: { Slug: "target", ToolchainType: "Kubernetes/YAML", Data: b64(largeConfigMap("target", 100)) },
    });
    const unitId = ok.json().UnitID as string;
    const before = await stored(unitId);
    const upload = await t.request({
      method: "PUT",
      url: `/api/space/${space}/unit/${unitId}/data`,
      body: broken,
      headers: { "content-type": "application/yaml" },
    });
    expect(upload.statusCode).toBe(422);
    expect(upload.json().Message).toBe(inlineProblem(broken, "body"));
    expect(await stored(unitId)).toEqual(before);

    // An update of a Unit that does not exist is still a 404, not a parse.
    const missing = await t.request({
      method: "PUT",
      url: `/api/space/${space}/unit/00000000-0000-4000-8000-000000000000/data`,
      body: broken,
      headers: { "content-type": "application/yaml" },
    });
    expect(missing.statusCode).toBe(404);
  });
  it("checks a bulk PATCH's and a bulk clone's Data once, on a thread, for all their Units", async () => {
    const bulkSpace = await createSpace(t, "bulk-large");
    const unitIds: string[] = [];
    for (const name of ["one", "two", "three"]) {
      const created = await t.request({
        method: "POST",
        url: `/api/space/${bulkSpace}/unit`,
        body: { Slug: name, ToolchainType: "Kubernetes/YAML", Data: b64(largeConfigMap(name, 100)) },
      });
      expect(created.statusCode, created.body).toBe(200);
      unitIds.push(created.json().UnitID as string);
    }
    const selection = `where=${encodeURIComponent(`SpaceID = '${bulkSpace}'`)}`;
    const data = largeConfigMap("shared", OFF_THREAD_DATA_CHARACTERS + 1000);
    const bulkPatch = (text: string) =>
      t.request({
        method: "PATCH",
        url: `/api/unit?${selection}`,
        body: { Data: b64(text) },
        headers: { "content-type": "application/merge-patch+json" },
      });
    checks.mockClear();
    const patched = await bulkPatch(data);
    expect(patched.statusCode, patched.body.slice(0, 500)).toBe(200);
    expect(patched.json()).toHaveLength(3);
    for (const unitId of unitIds) await expectStoredAsMainThread(unitId, data);
    expect(checks).toHaveBeenCalledTimes(1);

    // Invalid: every Unit's element says what the main thread would, and no Unit changes.
    const broken = largeConfigMap("broken", OFF_THREAD_DATA_CHARACTERS + 1000, "key-0");
    const before = await Promise.all(unitIds.map(stored));
    checks.mockClear();
    const refused = await bulkPatch(broken);
    expect(refused.statusCode).toBe(207);
    const elements = refused.json() as { Error: { Message: string } }[];
    expect(elements).toHaveLength(3);
    for (const element of elements) expect(element.Error.Message).toContain(inlineProblem(broken));
    expect(await Promise.all(unitIds.map(stored))).toEqual(before);
    expect(checks).toHaveBeenCalledTimes(1);

    checks.mockClear();
    const cloned = await t.request({
      method: "POST",
      url: `/api/unit?${selection}&name_prefixes=a-,b-`,
      body: { Data: b64(data.replace('last: "end"', 'last: "cloned"')) },
    });
    expect(cloned.statusCode, cloned.body.slice(0, 500)).toBe(200);
    const clones = cloned.json() as { Unit: { UnitID: string; Slug: string } }[];
    expect(clones.map((c) => c.Unit.Slug).sort()).toEqual([
      "a-one",
      "a-three",
      "a-two",
      "b-one",
      "b-three",
      "b-two",
    ]);
    for (const clone of clones)
      await expectStoredAsMainThread(clone.Unit.UnitID, data.replace('last: "end"', 'last: "cloned"'));
    expect(checks).toHaveBeenCalledTimes(1);
  });
});

// writeUnitDataBatch: many writes in a few statements, each exactly as writeUnitData makes it (one
// Revision, one Mutation, Version + 1), and a write whose Unit changed or vanished fails alone with
// the error writeUnitData would throw, while the others are written.
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { NotFoundError, VersionConflictError } from "../../src/store/errors.ts";
import { contentHash, dataHash } from "../../src/store/hashes.ts";
import { listUnitMutations, listUnitRevisions } from "../../src/store/history-lists.ts";
import { json } from "../../src/store/json.ts";
import { inTransaction } from "../../src/store/transaction.ts";
import {
  writeUnitData,
  writeUnitDataBatch,
  type DataChangeHook,
  type UnitDataWrite,
  type UnitDataWriteResult,
} from "../../src/store/unit-data-write.ts";
import { createUnit, deleteUnit, getUnit, type UnitKey } from "../../src/store/units.ts";
import {
  createTestOrganization,
  createTestSpace,
  plainUnitAttributes,
  testDatabases,
} from "../support/databases.ts";

describe.each(testDatabases())("writeUnitDataBatch on $name", (target) => {
  let database: Database;
  let organizationId: string;
  let spaceId: string;

  beforeAll(async () => {
    database = await target.open();
  });
  beforeEach(async () => {
    organizationId = (await createTestOrganization(database.db)).organizationId;
    spaceId = (await createTestSpace(database.db, organizationId)).space_id;
  });

  const newUnit = async (slug: string, data = "a: 1\n"): Promise<UnitKey> => {
    const { unit } = await createUnit(
      database.db,
      organizationId,
      spaceId,
      {
        toolchainType: "Kubernetes/YAML",
        data,
        attributes: plainUnitAttributes(slug),
      },
      { userId: null, userAgent: "test" },
    );
    return { organizationId, spaceId, unitId: unit.unit_id };
  };

  const invokeWrite = (key: UnitKey, data: string, expectedVersion?: number): UnitDataWrite => ({
    organizationId: key.organizationId,
    unitId: key.unitId,
    toolchainType: "Kubernetes/YAML",
    data,
    source: "Invoke",
    description: `set ${data.trim()}`,
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
    userId: null,
    userAgent: "batch.test",
    functionInvocations: [{ FunctionName: "set-int-path", Arguments: [{ Value: "a" }] }],
    resourceMutations: [{ Resource: { ResourceName: "x" } }],
    invocationId: null,
    subgroup: "rollout",
    alsoSet: { apply_gates: json({ "check/a": true }), apply_warnings: json({}) },
  });

  const batch = (writes: UnitDataWrite[]): Promise<UnitDataWriteResult[]> =>
    inTransaction(database.db, (trx) => writeUnitDataBatch(trx, writes));

  const written = (result: UnitDataWriteResult | undefined) => {
    if (!result?.ok)
      throw new Error(`expected a written result, got ${String(result?.ok ? "" : result?.error)}`);
    return result.written;
  };

  it("writes each Unit as writeUnitData does; a stale Version and a deleted Unit fail alone", async () => {
    const keys = await Promise.all(["u0", "u1", "u2", "u3", "u4"].map((slug) => newUnit(slug)));
    const twin = await newUnit("twin");
    // u2 changes after it was read (Version 1), u3 is deleted.
    await inTransaction(database.db, (trx) =>
      writeUnitData(trx, {
        organizationId,
        unitId: keys[2]!.unitId,
        toolchainType: "Kubernetes/YAML",
        data: "a: 99\n",
        source: "UpdateUnit",
      }),
    );
    await deleteUnit(database.db, keys[3]!);

    const results = await batch(keys.map((key, i) => invokeWrite(key, `a: ${i + 10}\n`, 1)));

    expect(results).toHaveLength(5);
    expect(results[2]).toMatchObject({ ok: false });
    const conflict = (results[2] as { error: unknown }).error;
    expect(conflict).toBeInstanceOf(VersionConflictError);
    expect(conflict).toMatchObject({ expected: 1, actual: 2 });
    expect((results[3] as { error: unknown }).error).toBeInstanceOf(NotFoundError);
    expect((results[3] as { error: NotFoundError }).error.message).toBe(`Unit ${keys[3]!.unitId} not found`);

    // The same write through writeUnitData on a twin Unit: the batch makes the same rows, as the
    // database holds them (the batch builds its Revision and Mutation in SQL, writeUnitData in code).
    const single = await inTransaction(database.db, (trx) =>
      writeUnitData(trx, invokeWrite(twin, "a: 10\n", 1)),
    );
    const batched = written(results[0]);
    expect(batched).toEqual({
      unitId: keys[0]!.unitId,
      version: 2,
      revisionId: expect.any(String),
      revisionNum: 2,
      mutationId: expect.any(String),
      mutationNum: 2,
    });
    const ignore = { unit_id: "", revision_id: "", mutation_id: "", slug: "", display_name: "" };
    const comparable = (row: object) => {
      const copy: Record<string, unknown> = { ...row };
      for (const key of Object.keys(copy)) if (key in ignore || copy[key] instanceof Date) delete copy[key];
      return copy;
    };
    const rowsOf = async (key: UnitKey) => ({
      unit: await getUnit(database.db, key),
      dataJson: (
        await database.db
          .selectFrom("units")
          .select(sql<string>`data_json::text`.as("data_json"))
          .where("unit_id", "=", key.unitId)
          .executeTakeFirstOrThrow()
      ).data_json,
      revision: (await listUnitRevisions(database.db, key)).find((r) => r.revision_num === 2)!,
      mutation: (await listUnitMutations(database.db, key)).find((m) => m.mutation_num === 2)!,
    });
    const fromBatch = await rowsOf(keys[0]!);
    const fromSingle = await rowsOf(twin);
    expect(fromSingle.revision.revision_id).toBe(single.revision.revision_id);
    expect(comparable(fromBatch.unit)).toEqual(comparable(fromSingle.unit));
    expect(fromBatch.dataJson).toEqual(fromSingle.dataJson);
    expect(comparable(fromBatch.revision)).toEqual(comparable(fromSingle.revision));
    expect(comparable(fromBatch.mutation)).toEqual(comparable(fromSingle.mutation));
    expect(fromBatch.revision.revision_id).toBe(batched.revisionId);
    expect(fromBatch.mutation).toMatchObject({
      mutation_id: batched.mutationId,
      revision_id: batched.revisionId,
    });

    for (const i of [0, 1, 4]) {
      const key = keys[i]!;
      const result = written(results[i]);
      const unit = await getUnit(database.db, key);
      expect(unit).toMatchObject({
        head_revision_num: 2,
        head_mutation_num: 2,
        version: 2,
        data: `a: ${i + 10}\n`,
        data_hash: dataHash(`a: ${i + 10}\n`),
        content_hash: contentHash(`a: ${i + 10}\n`),
        last_change_description: `set a: ${i + 10}`,
        apply_gates: { "check/a": true },
        approved_by: [],
      });
      const revisions = await listUnitRevisions(database.db, key);
      const mutations = await listUnitMutations(database.db, key);
      expect(revisions.map((r) => r.revision_num)).toEqual([1, 2]);
      expect(mutations.map((m) => m.mutation_num)).toEqual([1, 2]);
      const revision = revisions.find((r) => r.revision_num === 2)!;
      expect(revision).toMatchObject({
        revision_id: result.revisionId,
        data: `a: ${i + 10}\n`,
        source: "Invoke",
        description: `set a: ${i + 10}`,
        apply_gates: { "check/a": true },
      });
      expect(mutations.find((m) => m.mutation_num === 2)).toMatchObject({
        mutation_id: result.mutationId,
        revision_id: result.revisionId,
        revision_num: 2,
        subgroup: "rollout",
        function_invocations: [{ FunctionName: "set-int-path", Arguments: [{ Value: "a" }] }],
      });
    }
    // The conflicting Unit keeps the change it had; nothing was added to it.
    const changed = await getUnit(database.db, keys[2]!);
    expect(changed).toMatchObject({ data: "a: 99\n", head_revision_num: 2, version: 2 });
    expect(await listUnitRevisions(database.db, keys[2]!)).toHaveLength(2);
  });

  it("writes the same Unit twice in order: a second guarded write conflicts, unguarded ones follow", async () => {
    const key = await newUnit("twice");
    const guarded = await batch([invokeWrite(key, "a: 2\n", 1), invokeWrite(key, "a: 3\n", 1)]);
    expect(written(guarded[0]).revisionNum).toBe(2);
    expect((guarded[1] as { error: unknown }).error).toMatchObject({
      name: "VersionConflictError",
      expected: 1,
      actual: 2,
    });

    const unguarded = await batch([invokeWrite(key, "a: 4\n"), invokeWrite(key, "a: 5\n")]);
    expect(unguarded.map((r) => written(r).revisionNum)).toEqual([3, 4]);
    expect(await getUnit(database.db, key)).toMatchObject({
      data: "a: 5\n",
      version: 4,
      head_mutation_num: 4,
    });
  });

  it("sets each write's own other columns, and runs the data-change hook of the writes that apply", async () => {
    const plain = await newUnit("plain");
    const hooked = await newUnit("hooked");
    const stale = await newUnit("stale");
    const seen: string[] = [];
    const hook: DataChangeHook = async (trx, change) => {
      seen.push(change.unitId);
      // The hook runs in the batch's transaction and sees the Unit before the change.
      const before = await trx
        .selectFrom("units")
        .select("data")
        .where("unit_id", "=", change.unitId)
        .executeTakeFirstOrThrow();
      return {
        data: `${change.data}# was ${before.data.trim()}\n`,
        applyGates: { "trigger/x": true },
        applyWarnings: {},
        functionInvocations: [{ FunctionName: "trigger-fn" }],
        resourceMutations: [],
        triggerId: null,
      };
    };
    const results = await batch([
      { ...invokeWrite(plain, "a: 2\n", 1), alsoSet: { display_name: "renamed" } },
      { ...invokeWrite(hooked, "a: 3\n", 1), onDataChange: hook },
      { ...invokeWrite(stale, "a: 4\n", 7), onDataChange: hook },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true, false]);
    expect(seen).toEqual([hooked.unitId]);
    expect(await getUnit(database.db, plain)).toMatchObject({
      display_name: "renamed",
      data: "a: 2\n",
      apply_gates: {},
    });
    expect(await getUnit(database.db, hooked)).toMatchObject({
      display_name: "hooked",
      data: "a: 3\n# was a: 1\n",
      data_hash: dataHash("a: 3\n# was a: 1\n"),
      apply_gates: { "trigger/x": true },
    });
    const hookedMutation = (await listUnitMutations(database.db, hooked)).find((m) => m.mutation_num === 2);
    expect(hookedMutation?.mutation_id).toBe(written(results[1]).mutationId);
    expect(hookedMutation?.function_invocations).toEqual([
      { FunctionName: "set-int-path", Arguments: [{ Value: "a" }] },
      { FunctionName: "trigger-fn" },
    ]);
  });

  it("two batches over the same Units in opposite orders both finish, each Unit written once", async () => {
    const keys = await Promise.all(Array.from({ length: 8 }, (_, i) => newUnit(`race-${i}`)));
    const forward = keys.map((key) => invokeWrite(key, "a: 2\n", 1));
    const backward = [...keys].reverse().map((key) => invokeWrite(key, "a: 3\n", 1));
    const [a, b] = await Promise.all([batch(forward), batch(backward)]);
    keys.forEach((key, i) => {
      const wins = [a[i]!.ok, b[keys.length - 1 - i]!.ok].filter(Boolean);
      expect(wins, key.unitId).toHaveLength(1);
    });
    for (const key of keys) {
      expect(await getUnit(database.db, key)).toMatchObject({ version: 2, head_revision_num: 2 });
    }
  });

  it("splits a batch larger than PostgreSQL's parameter limit into several statements", async () => {
    // 4,200 writes of about 25 parameters each need more than 65,535 parameters in one statement.
    const count = 4_200;
    const rows = Array.from({ length: count }, (_, i) => ({
      unit_id: randomUUID(),
      organization_id: organizationId,
      space_id: spaceId,
      slug: `bulk-${i}`,
      toolchain_type: "Kubernetes/YAML",
      labels: json({}),
      annotations: json({}),
      data: "a: 1\n",
      head_revision_num: 1,
      head_mutation_num: 1,
    }));
    await inTransaction(database.db, async (trx) => {
      for (let start = 0; start < count; start += 1_000) {
        await trx
          .insertInto("units")
          .values(rows.slice(start, start + 1_000))
          .execute();
      }
    });
    const results = await batch(
      rows.map((row, i) => invokeWrite({ organizationId, spaceId, unitId: row.unit_id }, `a: ${i}\n`, 1)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const counts = await database.db
      .selectFrom("revisions")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("organization_id", "=", organizationId)
      .where("revision_num", "=", 2)
      .executeTakeFirstOrThrow();
    expect(Number(counts.n)).toBe(count);
    const last = await getUnit(database.db, { organizationId, spaceId, unitId: rows[count - 1]!.unit_id });
    expect(last).toMatchObject({ data: `a: ${count - 1}\n`, version: 2, head_mutation_num: 2 });
  });
});

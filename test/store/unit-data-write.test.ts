import { createHash } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { VersionConflictError, NotFoundError } from "../../src/store/errors.ts";
import { contentHash, dataHash } from "../../src/store/hashes.ts";
import { writeUnitData } from "../../src/store/unit-data-write.ts";
import { createUnit, getUnit, type UnitKey } from "../../src/store/units.ts";
import { listUnitMutations, listUnitRevisions } from "../../src/store/history-lists.ts";
import {
  createTestOrganization,
  testDatabases,
  createTestSpace,
  plainUnitAttributes,
} from "../support/databases.ts";
import { inTransaction } from "../../src/store/transaction.ts";

describe("hashes", () => {
  it("DataHash is SHA-256 hex, ContentHash the CRC-32 (IEEE) as a signed int32", () => {
    expect(dataHash("")).toBe(createHash("sha256").update("").digest("hex"));
    // Known CRC-32 check values: "123456789" -> 0xCBF43926, which is negative as an int32.
    expect(contentHash("123456789")).toBe(0xcbf43926 | 0);
    expect(contentHash("123456789")).toBe(-873187034);
    expect(contentHash("")).toBe(0);
    expect(contentHash("a")).toBe(0xe8b7be43 | 0);
  });
});

describe.each(testDatabases())("writeUnitData on $name", (target) => {
  let database: Database;
  let key: UnitKey;

  beforeAll(async () => {
    database = await target.open();
  });
  beforeEach(async () => {
    const { organizationId } = await createTestOrganization(database.db);
    const space = await createTestSpace(database.db, organizationId);
    const { unit } = await createUnit(
      database.db,
      organizationId,
      space.space_id,
      {
        toolchainType: "Kubernetes/YAML",
        data: "a: 1\n",
        attributes: plainUnitAttributes("web"),
      },
      { userId: null, userAgent: "test" },
    );
    key = { organizationId, spaceId: space.space_id, unitId: unit.unit_id };
  });

  const write = (data: string, expectedVersion?: number) =>
    inTransaction(database.db, (trx) =>
      writeUnitData(trx, {
        organizationId: key.organizationId,
        unitId: key.unitId,
        toolchainType: "Kubernetes/YAML",
        data,
        source: "Invoke",
        description: `set ${data.trim()}`,
        ...(expectedVersion !== undefined ? { expectedVersion } : {}),
        functionInvocations: [{ FunctionName: "set-int-path", Arguments: [{ Value: "a" }] }],
        resourceMutations: [{ Resource: { ResourceName: "x" } }],
        invocationId: null,
        subgroup: "rollout",
      }),
    );

  it("bumps the counters and Version, rewrites the hashes, records Revision and Mutation", async () => {
    const { unit, revision, mutation } = await write("a: 2\n", 1);
    expect(unit).toMatchObject({
      head_revision_num: 2,
      head_mutation_num: 2,
      version: 2,
      data: "a: 2\n",
      data_hash: dataHash("a: 2\n"),
      content_hash: contentHash("a: 2\n"),
      last_change_description: "set a: 2",
    });
    expect(revision).toMatchObject({
      revision_num: 2,
      source: "Invoke",
      data: "a: 2\n",
      description: "set a: 2",
    });
    expect(mutation).toMatchObject({
      mutation_num: 2,
      revision_num: 2,
      revision_id: revision.revision_id,
      source: "Invoke",
      subgroup: "rollout",
      function_invocations: [{ FunctionName: "set-int-path", Arguments: [{ Value: "a" }] }],
      resource_mutations: [{ Resource: { ResourceName: "x" } }],
    });
    expect((await listUnitRevisions(database.db, key)).map((r) => r.revision_num)).toEqual([1, 2]);
    expect((await listUnitMutations(database.db, key)).map((m) => m.mutation_num)).toEqual([1, 2]);
  });

  it("lets exactly one of two concurrent writers of the same Version win: no lost update", async () => {
    const results = await Promise.allSettled([write("a: 10\n", 1), write("a: 20\n", 1)]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(VersionConflictError);
    const unit = await getUnit(database.db, key);
    expect(unit.head_revision_num).toBe(2);
    expect(unit.version).toBe(2);
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof write>>>).value;
    expect(unit.data).toBe(winner.unit.data);
    // The loser left nothing behind.
    expect(await listUnitRevisions(database.db, key)).toHaveLength(2);
    expect(await listUnitMutations(database.db, key)).toHaveLength(2);
  });

  it("serialises unguarded concurrent writers into consecutive Revisions", async () => {
    const writes = await Promise.all(["a: 3\n", "a: 4\n", "a: 5\n"].map((data) => write(data)));
    expect(writes.map((w) => w.revision.revision_num).sort()).toEqual([2, 3, 4]);
    const unit = await getUnit(database.db, key);
    expect(unit).toMatchObject({ head_revision_num: 4, head_mutation_num: 4, version: 4 });
  });

  it("fails with a typed error for a stale Version or a Unit of another organization", async () => {
    await expect(write("a: 6\n", 7)).rejects.toMatchObject({
      name: "VersionConflictError",
      expected: 7,
      actual: 1,
    });
    const stranger = await createTestOrganization(database.db);
    await expect(
      inTransaction(database.db, (trx) =>
        writeUnitData(trx, {
          organizationId: stranger.organizationId,
          unitId: key.unitId,
          toolchainType: "Kubernetes/YAML",
          data: "a: 7\n",
          source: "Invoke",
        }),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await getUnit(database.db, key)).head_revision_num).toBe(1);
  });
});

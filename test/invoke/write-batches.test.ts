// An invocation saves its changed Units many per transaction (write-buffer.ts), and the response is
// what one write per Unit gave: each written Unit's element carries its new RevisionID, with exactly
// one Revision and one Mutation; a Unit changed or deleted while the functions ran fails alone with
// the usual conflict; and a batch whose transaction fails for another reason is written again a Unit
// at a time, so the other Units are still written.
import type { Readable } from "node:stream";
import { sql } from "kysely";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import { defineFunction, FunctionRegistry } from "../../src/engine/index.ts";
import {
  invokeFunctions,
  invokeRequest,
  type WireFunctionInvocationsResponse,
} from "../../src/invoke/index.ts";
import type { Database } from "../../src/store/database.ts";
import { listUnitMutations, listUnitRevisions } from "../../src/store/history-lists.ts";
import { inTransaction } from "../../src/store/transaction.ts";
import { writeUnitData } from "../../src/store/unit-data-write.ts";
import { createUnit, deleteUnit, getUnit, type UnitKey } from "../../src/store/units.ts";
import {
  createTestOrganization,
  testDatabases,
  createTestSpace,
  plainUnitAttributes,
} from "../support/databases.ts";

const writer = { userId: null, userAgent: "write-batches.test" };
const SLUGS = ["a", "b", "c", "d", "e", "f", "g"];

/** What runs while the functions run on Unit `b`: a change made by someone else mid-call. */
let duringB: (() => Promise<void>) | undefined;

/** Reads nothing and changes nothing; on Unit b it waits for `duringB`. */
const interfere = defineFunction({
  toolchains: ["Kubernetes/YAML"],
  signature: { FunctionName: "interfere", Description: "Lets a test change other Units mid-call" },
  async invoke({ context }) {
    if (context.UnitSlug === "b") await duringB?.();
  },
});
const functions = FunctionRegistry.from([...standardFunctions, interfere]);

const deployment = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n`;

async function elements(body: Readable): Promise<WireFunctionInvocationsResponse[]> {
  let text = "";
  for await (const chunk of body) text += String(chunk);
  return JSON.parse(text) as WireFunctionInvocationsResponse[];
}

describe.each(testDatabases())("invocation writes in batches on $name", (target) => {
  let database: Database;
  let organizationId: string;
  let keys: Map<string, UnitKey>;

  beforeAll(async () => {
    database = await target.open();
  });
  beforeEach(async () => {
    const { db } = database;
    organizationId = (await createTestOrganization(db, "batches")).organizationId;
    const space = await createTestSpace(db, organizationId);
    keys = new Map();
    for (const slug of SLUGS) {
      const attributes = plainUnitAttributes(slug);
      const { unit } = await createUnit(
        db,
        organizationId,
        space.space_id,
        { attributes, toolchainType: "Kubernetes/YAML", data: deployment(slug) },
        writer,
      );
      keys.set(slug, { organizationId, spaceId: space.space_id, unitId: unit.unit_id });
    }
    // d is changed by someone else and e deleted while the functions run on b.
    duringB = async () => {
      await inTransaction(db, (trx) =>
        writeUnitData(trx, {
          organizationId,
          unitId: keys.get("d")!.unitId,
          toolchainType: "Kubernetes/YAML",
          data: deployment("d").replace("replicas: 1", "replicas: 9"),
          source: "UpdateUnit",
        }),
      );
      await deleteUnit(db, keys.get("e")!);
    };
  });
  afterEach(() => {
    duringB = undefined;
  });

  const labelAll = async (writeBatchUnits?: number) => {
    const request = invokeRequest({
      organizationId,
      invocations: [
        { FunctionName: "interfere", Arguments: [] },
        { FunctionName: "set-label", Arguments: [{ Value: "rollout" }, { Value: "wave-1" }] },
      ],
      changeDescription: "label the rollout",
    });
    const deps = { db: database.db, functions, ...(writeBatchUnits ? { writeBatchUnits } : {}) };
    const response = await invokeFunctions(deps, request, writer);
    const body = await elements(response.body);
    return { status: response.status, bySlug: new Map(body.map((e) => [e.UnitSlug, e])) };
  };

  /** The Units written by the call: one new Revision and one new Mutation each, as the element says. */
  const expectWritten = async (bySlug: Map<string, WireFunctionInvocationsResponse>, slugs: string[]) => {
    const created: number[] = [];
    for (const slug of slugs) {
      const key = keys.get(slug)!;
      const element = bySlug.get(slug)!;
      expect(element.Success, `${slug}: ${JSON.stringify(element.Error)}`).toBe(true);
      const unit = await getUnit(database.db, key);
      expect(unit).toMatchObject({ head_revision_num: 2, head_mutation_num: 2, version: 2 });
      expect(unit.data).toContain("rollout: wave-1");
      const revisions = await listUnitRevisions(database.db, key);
      const mutations = await listUnitMutations(database.db, key);
      expect(revisions.map((r) => r.revision_num).sort()).toEqual([1, 2]);
      expect(mutations.map((m) => m.mutation_num).sort()).toEqual([1, 2]);
      const head = revisions.find((r) => r.revision_num === 2)!;
      expect(element.RevisionID).toBe(head.revision_id);
      expect(head).toMatchObject({ source: "Invoke", description: "label the rollout" });
      expect(mutations.find((m) => m.mutation_num === 2)).toMatchObject({
        revision_id: head.revision_id,
        source: "Invoke",
      });
      created.push(head.created_at.getTime());
    }
    return created;
  };

  const expectConflicts = async (bySlug: Map<string, WireFunctionInvocationsResponse>) => {
    expect(bySlug.get("d")!.Error).toMatchObject({
      Status: 409,
      Type: "CONFLICT",
      ErrorCategory: "conflict",
      Details: [
        "Unit d data conflict: it changed while the functions ran (Version 1 was read, it is now 2); " +
          "nothing was written, run the invocation again",
      ],
    });
    expect(bySlug.get("e")!.Error).toMatchObject({
      Status: 409,
      Type: "CONFLICT",
      Details: ["Unit e was deleted while the functions ran; nothing was written"],
    });
    // d holds the other change only.
    const d = await getUnit(database.db, keys.get("d")!);
    expect(d).toMatchObject({ head_revision_num: 2, head_mutation_num: 2, version: 2 });
    expect(d.data).toContain("replicas: 9");
    expect(d.data).not.toContain("rollout");
    expect((await listUnitRevisions(database.db, keys.get("d")!)).map((r) => r.source)).toContain(
      "UpdateUnit",
    );
  };

  it("writes the Units in one transaction; a Unit changed and one deleted mid-call fail alone", async () => {
    const { status, bySlug } = await labelAll();
    expect(status).toBe(207);
    expect(bySlug.size).toBe(SLUGS.length);
    await expectConflicts(bySlug);
    const created = await expectWritten(bySlug, ["a", "b", "c", "f", "g"]);
    // now() is the transaction's start: the five Revisions were written by one transaction.
    expect(new Set(created).size).toBe(1);
  });

  it("writes no batch larger than asked", async () => {
    // Batches are written while other Units still run: nobody interferes here.
    duringB = undefined;
    const { status, bySlug } = await labelAll(2);
    expect(status).toBe(200);
    const created = await expectWritten(bySlug, SLUGS);
    const perTransaction = new Map<number, number>();
    for (const time of created) perTransaction.set(time, (perTransaction.get(time) ?? 0) + 1);
    expect(Math.max(...perTransaction.values())).toBeLessThanOrEqual(2);
    expect(perTransaction.size).toBeGreaterThanOrEqual(4);
  });

  it("writes a batch whose transaction fails again a Unit at a time: the others are still written", async () => {
    // A database rule that refuses any INSERT of more than one Revision: every batched write fails,
    // writes of one Unit pass.
    await sql`
      create function refuse_batched_revisions() returns trigger language plpgsql as $$
      begin
        if (select count(*) from inserted) > 1 then
          raise exception 'test: more than one Revision in one statement';
        end if;
        return null;
      end $$`.execute(database.db);
    await sql`
      create trigger refuse_batched_revisions after insert on revisions
      referencing new table as inserted for each statement
      execute function refuse_batched_revisions()`.execute(database.db);
    try {
      const { status, bySlug } = await labelAll();
      expect(status).toBe(207);
      await expectConflicts(bySlug);
      const created = await expectWritten(bySlug, ["a", "b", "c", "f", "g"]);
      // Each in a transaction of its own.
      expect(new Set(created).size).toBe(5);
    } finally {
      await sql`drop trigger refuse_batched_revisions on revisions`.execute(database.db);
      await sql`drop function refuse_batched_revisions()`.execute(database.db);
    }
  });
});

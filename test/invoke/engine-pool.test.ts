// The engine threads (EnginePool) on their own: a Unit's outcome from a thread is the one the main
// thread builds with the same steps (unit-steps.ts), Units the data conditions leave out come back
// as undefined, a writing call's changed Unit comes back as its change with the data's derived
// columns (an unchanged one as its element), and a Unit the engine throws on rejects its run (the call turns that into a failed
// element) without stopping the pool; a closed pool refuses Units at once.
import { afterAll, describe, expect, it } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import { FunctionRegistry } from "../../src/engine/index.ts";
import { prepareWhereData } from "../../src/filter/index.ts";
import { EnginePool, type EngineTask } from "../../src/invoke/engine-pool.ts";
import type { UnitRunPlan } from "../../src/invoke/run-unit.ts";
import { unitOutcome } from "../../src/invoke/unit-steps.ts";
import { unitDataColumns, type SelectedUnit } from "../../src/store/index.ts";

const registry = FunctionRegistry.from(standardFunctions);

function unit(name: string, replicas: number): SelectedUnit {
  return {
    unit_id: `00000000-0000-4000-8000-00000000000${replicas}`,
    organization_id: "00000000-0000-4000-8000-0000000000aa",
    space_id: "00000000-0000-4000-8000-0000000000bb",
    space_slug: "apps",
    slug: name,
    display_name: name,
    labels: {},
    annotations: {},
    data: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${replicas}\n`,
    head_revision_id: null,
    head_revision_num: 1,
    live_revision_num: 0,
    content_hash: 0,
    toolchain_type: "Kubernetes/YAML",
  } as unknown as SelectedUnit;
}

const plan: UnitRunPlan = {
  toolchain: "Kubernetes/YAML",
  invocations: [{ FunctionName: "set-replicas", Arguments: [{ Value: 5 }] }],
  saved: [],
  triggers: [],
  options: {},
};
const condition = { whereData: "spec.replicas > 1", resourceType: "*", origin: "querystring/where_data" };

describe("EnginePool", () => {
  const pool = new EnginePool({ threads: 2 });
  afterAll(() => pool.close());

  it("answers with the element the main thread builds, and leaves out what the conditions skip", async () => {
    const task = (u: SelectedUnit): EngineTask => ({
      unit: u,
      conditions: [condition],
      plan,
      triggerNames: undefined,
      writes: false,
    });
    const conditions = [{ ...condition, whereData: prepareWhereData(condition.whereData) }];
    const web = unit("web", 2);
    const fromThread = await pool.run(task(web));
    expect(fromThread).toEqual(
      await unitOutcome(registry, { unit: web, conditions, plan, triggerNames: undefined, writes: false }),
    );
    if (!fromThread || !("element" in fromThread)) throw new Error("expected an element");
    expect(Buffer.from(fromThread.element.ConfigData, "base64").toString()).toContain("replicas: 5");
    expect(await pool.run(task(unit("idle", 1)))).toBeUndefined();
  });

  it("answers a writing call's changed Unit with its change, the data's columns computed", async () => {
    const run = { unit: unit("web", 2), conditions: [], plan, triggerNames: undefined, writes: true };
    const fromThread = await pool.run(run);
    expect(fromThread).toEqual(await unitOutcome(registry, run));
    if (!fromThread || !("change" in fromThread)) throw new Error("expected a change");
    const { change } = fromThread;
    expect(change.dataColumns.data).toContain("replicas: 5");
    expect(change.dataColumns).toEqual(unitDataColumns(change.dataColumns.data, "Kubernetes/YAML"));
    expect(change.dataColumns.data_json).toContain('"replicas":5');
    expect(change.functionInvocations).toEqual([{ FunctionName: "set-replicas", Arguments: [{ Value: 5 }] }]);
    expect(change.element.Success).toBe(true);
    // Already at 5: nothing changes, so nothing is to be saved.
    const unchanged = await pool.run({ ...run, unit: unit("api", 5) });
    expect(unchanged && "element" in unchanged && unchanged.element.Success).toBe(true);
  });

  it("rejects a Unit the engine throws on, and goes on with the next", async () => {
    const broken = { ...plan, invocations: "set-replicas" } as unknown as UnitRunPlan;
    await expect(
      pool.run({
        unit: unit("web", 2),
        conditions: [],
        plan: broken,
        triggerNames: undefined,
        writes: false,
      }),
    ).rejects.toThrow(/FunctionInvocations|invocations/i);
    const next = await pool.run({
      unit: unit("api", 3),
      conditions: [],
      plan,
      triggerNames: undefined,
      writes: false,
    });
    expect(next && "element" in next && next.element.Success).toBe(true);
  });

  it("sends Units that arrive together as one batch, where a Unit that throws fails alone", async () => {
    const batched = new EnginePool({ threads: 2, batchUnits: 4 });
    try {
      const broken = { ...plan, invocations: "set-replicas" } as unknown as UnitRunPlan;
      const outcomes = await Promise.allSettled(
        [2, 3, 4, 5, 6, 7].map((replicas) =>
          batched.run({
            unit: unit(`u${replicas}`, replicas),
            conditions: [condition],
            plan: replicas === 4 ? broken : plan,
            triggerNames: undefined,
            writes: false,
          }),
        ),
      );
      expect(outcomes.map((o) => o.status)).toEqual([
        "fulfilled",
        "fulfilled",
        "rejected",
        "fulfilled",
        "fulfilled",
        "fulfilled",
      ]);
      const names = outcomes.map((o) => {
        if (o.status === "rejected") return "thrown";
        return o.value && "element" in o.value ? o.value.element.UnitSlug : undefined;
      });
      expect(names).toEqual(["u2", "u3", "thrown", "u5", "u6", "u7"]);
      expect(batched.unitsInFlight).toBe(2 * 2 * 4);
    } finally {
      await batched.close();
    }
  });

  it("refuses Units once closed", async () => {
    const closed = new EnginePool({ threads: 2 });
    await closed.close();
    await expect(
      closed.run({ unit: unit("web", 2), conditions: [], plan, triggerNames: undefined, writes: false }),
    ).rejects.toThrow("the engine threads are shut down");
    expect(closed.started).toBe(false);
  });
});

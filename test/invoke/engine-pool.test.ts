// The engine threads (EnginePool) on their own: a Unit's outcome from a thread is the one the main
// thread builds with the same steps (unit-steps.ts), Units the data conditions leave out come back
// as undefined, a writing call's changed Unit comes back as its change with the data's derived
// columns (an unchanged one as its element), and a Unit the engine throws on rejects its run (the call turns that into a failed
// element) without stopping the pool; a closed pool refuses Units at once. Data checks (a bridge
// worker's returned data) go in the same batches as Unit runs, each with its own result: a text that
// does not parse fails with the ConfigDataError the main thread's parse throws, and alone.
import { Piscina } from "piscina";
import { afterAll, describe, expect, it, vi } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import { ConfigDataError, FunctionRegistry, parseUnitText } from "../../src/engine/index.ts";
import { prepareWhereData } from "../../src/filter/index.ts";
import type { EngineTask } from "../../src/invoke/engine-message.ts";
import { EnginePool } from "../../src/invoke/engine-pool.ts";
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
/** Kubernetes YAML that parses. */
function good(i: number): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: "${i}"\n`;
}
/** The second document repeats a key (line 5, column 3). */
const DUPLICATE_KEY = "a: 1\n---\nb:\n  c: 1\n  c: 2\n";
/** A quoted string that never closes (the error is at the end: line 4, column 1). */
const UNCLOSED = 'apiVersion: v1\nkind: ConfigMap\nmetadata: "open\n';

/** The parse error the main thread throws on `text`. */
function mainThreadError(text: string): { message: string; line?: number; column?: number } {
  try {
    parseUnitText(text, "Kubernetes/YAML", "configuration data");
  } catch (error) {
    return errorAt(error);
  }
  throw new Error(`expected ${JSON.stringify(text)} not to parse`);
}

function errorAt(error: unknown): { message: string; line?: number; column?: number } {
  if (!(error instanceof ConfigDataError)) throw error;
  return { message: error.message, line: error.line, column: error.column };
}

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
      // Four batches of four per thread, on two threads.
      expect(batched.unitsInFlight).toBe(4 * 2 * 4);
    } finally {
      await batched.close();
    }
  });

  it("refuses Units and checks once closed", async () => {
    const closed = new EnginePool({ threads: 2 });
    await closed.close();
    await expect(
      closed.run({ unit: unit("web", 2), conditions: [], plan, triggerNames: undefined, writes: false }),
    ).rejects.toThrow("the engine threads are shut down");
    await expect(closed.checkData(good(1), "Kubernetes/YAML")).rejects.toThrow(
      "the engine threads are shut down",
    );
    expect(closed.started).toBe(false);
  });

  it("checks data on a thread: resolves when it parses, rejects as the main thread's parse would", async () => {
    await expect(pool.checkData(good(1), "Kubernetes/YAML")).resolves.toBeUndefined();
    const failure = await pool.checkData(UNCLOSED, "Kubernetes/YAML").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigDataError);
    expect(errorAt(failure)).toEqual(mainThreadError(UNCLOSED));
    expect(errorAt(failure)).toMatchObject({ message: /Missing closing "quote/, line: 4, column: 1 });
  });

  it("sends checks and runs that arrive together as one message, where a bad text or a thrown Unit fails alone", async () => {
    const batched = new EnginePool({ threads: 2, batchUnits: 8 });
    const messages = vi.spyOn(Piscina.prototype, "run");
    try {
      const broken = { ...plan, invocations: "set-replicas" } as unknown as UnitRunPlan;
      const run = (replicas: number, runPlan = plan) =>
        batched.run({
          unit: unit(`u${replicas}`, replicas),
          conditions: [],
          plan: runPlan,
          triggerNames: undefined,
          writes: false,
        });
      const outcomes = await Promise.allSettled([
        batched.checkData(good(1), "Kubernetes/YAML"),
        run(2),
        batched.checkData(DUPLICATE_KEY, "Kubernetes/YAML"),
        batched.checkData(good(2), "Kubernetes/YAML"),
        run(3, broken),
        batched.checkData(good(3), "Kubernetes/YAML"),
        run(4),
      ]);
      expect(messages).toHaveBeenCalledTimes(1);
      const items = messages.mock.calls[0]![0] as { kind: string }[];
      expect(items.map((item) => item.kind)).toEqual([
        "check",
        "run",
        "check",
        "check",
        "run",
        "check",
        "run",
      ]);
      expect(outcomes.map((o) => o.status)).toEqual([
        "fulfilled",
        "fulfilled",
        "rejected",
        "fulfilled",
        "rejected",
        "fulfilled",
        "fulfilled",
      ]);
      const [check1, run2, badCheck, , brokenRun, , run4] = outcomes;
      expect(check1).toEqual({ status: "fulfilled", value: undefined });
      for (const [o, slug] of [
        [run2, "u2"],
        [run4, "u4"],
      ] as const) {
        expect(o.status === "fulfilled" && o.value && "element" in o.value && o.value.element.UnitSlug).toBe(
          slug,
        );
      }
      if (badCheck?.status !== "rejected") throw new Error("expected the bad text's check to fail");
      expect(badCheck.reason).toBeInstanceOf(ConfigDataError);
      expect(errorAt(badCheck.reason)).toEqual(mainThreadError(DUPLICATE_KEY));
      expect(errorAt(badCheck.reason)).toMatchObject({ line: 5, column: 3 });
      if (brokenRun?.status !== "rejected") throw new Error("expected the broken run to fail");
      expect(brokenRun.reason).not.toBeInstanceOf(ConfigDataError);
      expect(String(brokenRun.reason)).toMatch(/FunctionInvocations|invocations/i);
    } finally {
      messages.mockRestore();
      await batched.close();
    }
  });

  it("splits checks into messages of batchUnits items", async () => {
    const batched = new EnginePool({ threads: 2, batchUnits: 4 });
    const messages = vi.spyOn(Piscina.prototype, "run");
    try {
      const texts = Array.from({ length: 10 }, (_, i) => (i === 6 ? UNCLOSED : good(i)));
      const outcomes = await Promise.allSettled(
        texts.map((text) => batched.checkData(text, "Kubernetes/YAML")),
      );
      expect(messages.mock.calls.map(([items]) => (items as unknown[]).length)).toEqual([4, 4, 2]);
      expect(outcomes.map((o) => o.status)).toEqual(
        texts.map((t) => (t === UNCLOSED ? "rejected" : "fulfilled")),
      );
    } finally {
      messages.mockRestore();
      await batched.close();
    }
  });

  it("rejects the checks still waiting for their message when closed", async () => {
    const closing = new EnginePool({ threads: 2, batchUnits: 4 });
    // Five checks: four leave at once as a full message, the fifth waits for the next turn.
    const checks = [1, 2, 3, 4, 5].map((i) => closing.checkData(good(i), "Kubernetes/YAML"));
    const settled = Promise.allSettled(checks);
    await closing.close();
    const outcomes = await settled;
    expect(outcomes[4]).toEqual({
      status: "rejected",
      reason: new Error("the engine threads are shut down"),
    });
    // The four sent were on a thread when it stopped: each finished or failed (none hangs, or the
    // allSettled above would not return).
  });
});

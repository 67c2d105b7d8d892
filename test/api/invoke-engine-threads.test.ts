// Issue 17, "All cores": a dry run's Units may run on engine threads (EnginePool), and the answer
// must not depend on it. The same organization-wide dry run (where_data that leaves Units out,
// Space triggers that validate, mutate or fail, a Unit of another kind) is answered by a server on
// one thread, one that sends every Unit to threads, and one that keeps a call's first Units on the
// main thread: same status, same elements, same order. A pool that cannot run a Unit fails that
// Unit's element (500 INTERNAL), never the call. A call that writes runs its Units on the threads
// too and saves them on the main thread: its elements are the dry run's but for the new RevisionID,
// and what it saved (data, the where_data copy, the triggers' gates) is what one thread saves.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/api/app.ts";
import { EnginePool, invokeFunctions, invokeRequest } from "../../src/invoke/index.ts";
import { standardFunctions } from "../../functions/index.ts";
import { FunctionRegistry } from "../../src/engine/index.ts";
import type { Database } from "../../src/store/database.ts";
import { unitDataColumns } from "../../src/store/index.ts";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import {
  call,
  createSpace,
  createUnit,
  deployment,
  expectInvokeContract,
  output,
  writeCounts,
  type ResponseElement,
  createTrigger,
} from "./invoke-support.ts";

const CONFIG_MAP =
  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apps\ndata:\n  a: b\n";

describe.each(testDatabases())("engine threads on $name", (target) => {
  let database: Database;
  let t: TestApp;
  const threaded: FastifyInstance[] = [];

  beforeAll(async () => {
    database = await target.open();
    // The baseline runs every Unit on the main thread, whatever CONFN_TEST_ENGINE_THREADS says.
    t = await buildTestApp(database, { engineThreads: { threads: 1 } });
    const alpha = await createSpace(t, "alpha");
    const beta = await createSpace(t, "beta");
    const gamma = await createSpace(t, "gamma");
    for (let i = 0; i < 12; i++) {
      await createUnit(t, alpha, `a${i}`, deployment(`a${i}`, { replicas: i % 4 }));
      await createUnit(t, beta, `b${i}`, deployment(`b${i}`, { replicas: i % 4 }));
    }
    await createUnit(t, beta, "settings", CONFIG_MAP);
    for (let i = 0; i < 6; i++) await createUnit(t, gamma, `g${i}`, deployment(`g${i}`));
    // beta validates and stamps every change; gamma's trigger fails with an error on every Unit.
    await createTrigger(t, beta, "min-replicas", call("cel-validate", "r.spec.replicas >= 2"));
    await createTrigger(t, beta, "stamp", call("set-annotation", "example.com/reviewed", "no"));
    await createTrigger(t, gamma, "needs-map", call("delete-resource", "v1/ConfigMap", "apps/missing"));

    for (const mainThreadUnits of [0, 5]) {
      const app = await buildApp({ db: database.db, engineThreads: { threads: 2, mainThreadUnits } });
      await app.ready();
      threaded.push(app);
    }
  });

  afterAll(async () => {
    for (const app of threaded) await app.close();
    await t?.close();
  });

  const DRY_RUN = "/api/function/invoke?dry_run=true&where_data=" + encodeURIComponent("spec.replicas >= 1");
  const BODY = { FunctionInvocations: [call("set-image", "main", "nginx:1.27")] };

  async function dryRunOn(app: FastifyInstance) {
    return app.inject({
      method: "POST",
      url: DRY_RUN,
      headers: { authorization: `Bearer ${t.org.tokens.admin}` },
      payload: BODY,
    });
  }

  it("answers an organization-wide dry run the same on threads as on one thread", async () => {
    const single = await t.request({ method: "POST", url: DRY_RUN, body: BODY });
    expect(single.statusCode, single.body).toBe(207);
    const elements = single.json() as ResponseElement[];
    expectInvokeContract(elements);
    // What the comparison covers: Units left out (replicas 0, the ConfigMap), a validating and a
    // mutating trigger, and a trigger that fails every Unit of its Space, named in the message.
    expect(elements).toHaveLength(24);
    const gamma = elements.filter((e) => e.SpaceSlug === "gamma");
    expect(gamma).toHaveLength(6);
    for (const element of gamma) {
      expect(element.Success).toBe(false);
      expect(element.Error!.Details[0]).toMatch(/^Trigger needs-map \(delete-resource\): /);
    }
    const beta = elements.filter((e) => e.SpaceSlug === "beta");
    const verdicts = beta.map((e) => (output(e, "ValidationResultList") as { Passed: boolean }[])[0]!.Passed);
    expect(verdicts).toContain(true);
    expect(verdicts).toContain(false);
    expect(Buffer.from(beta[0]!.ConfigData, "base64").toString()).toContain(`example.com/reviewed: "no"`);

    for (const app of threaded) {
      const response = await dryRunOn(app);
      expect(response.statusCode, response.body).toBe(207);
      expect(response.json()).toEqual(elements);
    }
  });

  it("writes on threads what the dry run shows, and saves it as one thread does", async () => {
    // b1 (1 replica) fails beta's validating trigger, b2 (2) passes it; both get the stamp.
    const where = "?where=" + encodeURIComponent("Slug IN ('a1', 'b1', 'b2')");
    const body = { FunctionInvocations: [call("set-label", "tier", "web")] };
    const preview = await t.request({
      method: "POST",
      url: `/api/function/invoke${where}&dry_run=true`,
      body,
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const before = await writeCounts(database, t.org.organizationId);
    const response = await threaded[0]!.inject({
      method: "POST",
      url: `/api/function/invoke${where}`,
      headers: { authorization: `Bearer ${t.org.tokens.admin}` },
      payload: body,
    });
    expect(response.statusCode, response.body).toBe(200);
    const elements = response.json() as ResponseElement[];
    expect(elements.map((e) => ({ ...e, RevisionID: undefined }))).toEqual(
      (preview.json() as ResponseElement[]).map((e) => ({ ...e, RevisionID: undefined })),
    );
    expect(await writeCounts(database, t.org.organizationId)).toEqual({
      revisions: before.revisions + 3,
      mutations: before.mutations + 3,
    });
    for (const element of elements) {
      const unit = await database.db
        .selectFrom("units")
        .select(["data", "data_hash", "content_hash", "data_json", "apply_gates", "toolchain_type"])
        .where("unit_id", "=", element.UnitID)
        .executeTakeFirstOrThrow();
      const head = await database.db
        .selectFrom("revisions")
        .select("revision_id")
        .where("unit_id", "=", element.UnitID)
        .orderBy("revision_num", "desc")
        .executeTakeFirstOrThrow();
      expect(element.RevisionID).toBe(head.revision_id);
      expect(unit.data).toBe(Buffer.from(element.ConfigData, "base64").toString());
      const expected = unitDataColumns(unit.data, unit.toolchain_type);
      expect(unit).toMatchObject({ data_hash: expected.data_hash, content_hash: expected.content_hash });
      // jsonb keeps its own key order: compared as values.
      expect(unit.data_json).toEqual(JSON.parse(expected.data_json!));
      const gated = Object.keys(unit.apply_gates as object).some((key) => key.startsWith("beta/"));
      expect(gated).toBe(element.UnitSlug === "b1");
    }
  });

  it("fails a Unit's element, not the call, when its thread cannot run it", async () => {
    const pool = new EnginePool({ threads: 2, mainThreadUnits: 0 });
    // A pool shut down (as at server shutdown) refuses every Unit: each element says so.
    await pool.close();
    const request = invokeRequest({
      organizationId: t.org.organizationId,
      dryRun: true,
      where: "Slug IN ('a1', 'a2')",
      invocations: [call("set-image", "main", "nginx:1.27")],
    });
    const response = await invokeFunctions(
      { db: database.db, functions: FunctionRegistry.from(standardFunctions), enginePool: pool },
      request,
      { userId: null, userAgent: "engine-threads.test" },
    );
    expect(response.status).toBe(207);
    let text = "";
    for await (const chunk of response.body) text += String(chunk);
    const elements = JSON.parse(text) as ResponseElement[];
    expect(elements.map((e) => e.UnitSlug).sort()).toEqual(["a1", "a2"]);
    for (const element of elements) {
      expect(element.Success).toBe(false);
      expect(element.Error).toMatchObject({ Status: 500, Type: "INTERNAL" });
      expect(element.Error!.Details).toEqual([
        "the engine thread running this Unit's functions failed: the engine threads are shut down",
      ]);
    }
  });
});

// A Space's Mutation triggers: they run on every change of a Unit's data (invoke, create, update)
// in the same transaction, phased; mutating ones fold into the same Revision, validating ones set
// and clear ApplyGates (ApplyWarnings with Warn). Dry runs show their effects and write nothing.
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { b64, buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import {
  call,
  createSpace,
  createUnit,
  dataOf,
  deployment,
  expectInvokeContract,
  getUnit,
  invoke,
  output,
  writeCounts,
  type ResponseElement,
  createTrigger,
} from "./invoke-support.ts";

describe.each(testDatabases())("Mutation triggers on $name", (target) => {
  let database: Database;
  let t: TestApp;
  let n = 0;
  const unique = (prefix: string) => `${prefix}-${++n}`;

  beforeAll(async () => {
    database = await target.open();
    t = await buildTestApp(database);
    return () => t.close();
  });

  async function elements(response: { statusCode: number; body: string; json(): unknown }, status = 200) {
    expect(response.statusCode, response.body).toBe(status);
    const parsed = response.json();
    expectInvokeContract(parsed);
    return parsed as ResponseElement[];
  }

  it("a validating trigger sets its ApplyGate when a change fails it and clears it when one passes", async () => {
    const slug = unique("gates");
    const space = await createSpace(t, slug);
    const unit = await createUnit(t, space, "web", deployment("web", { replicas: 1 }));
    const created = await createTrigger(
      t,
      space,
      "min-replicas",
      call("cel-validate", "r.spec.replicas >= 2"),
    );
    expect(created.Validating).toBe(true);
    const gate = `${slug}/min-replicas/cel-validate`;

    const [failing] = await elements(
      await invoke(t, { spaceId: space, body: { FunctionInvocations: [call("set-label", "team", "core")] } }),
    );
    // The trigger's verdict is in the outputs; a failed validation is not an error.
    expect(failing!.Success).toBe(true);
    // Its Index is past the request's one function, so the result names it.
    expect(output(failing!, "ValidationResultList")).toMatchObject([
      { Passed: false, Index: 1, FunctionName: "cel-validate" },
    ]);
    let now = await getUnit(t, space, unit.UnitID);
    expect(now.ApplyGates).toEqual({ [gate]: true });
    const gated = await database.db
      .selectFrom("revisions")
      .select("apply_gates")
      .where("revision_id", "=", failing!.RevisionID)
      .executeTakeFirstOrThrow();
    expect(gated.apply_gates).toEqual({ [gate]: true });

    await elements(
      await invoke(t, { spaceId: space, body: { FunctionInvocations: [call("set-replicas", "3")] } }),
    );
    now = await getUnit(t, space, unit.UnitID);
    expect(now.ApplyGates).toEqual({});
    expect(now.HeadRevisionNum).toBe(3);
  });

  it("a Warn trigger sets ApplyWarnings instead of ApplyGates", async () => {
    const slug = unique("warn");
    const space = await createSpace(t, slug);
    const unit = await createUnit(t, space, "web", deployment("web"));
    await createTrigger(t, space, "advice", { ...call("cel-validate", "r.spec.replicas >= 2"), Warn: true });
    await elements(
      await invoke(t, { spaceId: space, body: { FunctionInvocations: [call("set-label", "a", "b1")] } }),
    );
    const now = await getUnit(t, space, unit.UnitID);
    expect(now.ApplyGates).toEqual({});
    expect(now.ApplyWarnings).toEqual({ [`${slug}/advice/cel-validate`]: true });
  });

  it("a mutating trigger folds into the same Revision as the change that fired it", async () => {
    const space = await createSpace(t, unique("fold"));
    const unit = await createUnit(t, space, "web", deployment("web"));
    // Created after the Unit, so its Revision 1 is untouched.
    await createTrigger(t, space, "stamp", call("set-annotation", "example.com/stamped", "by-trigger"));
    const before = await writeCounts(database, t.org.organizationId);

    const [element] = await elements(
      await invoke(t, { spaceId: space, body: { FunctionInvocations: [call("set-label", "tier", "web")] } }),
    );
    expect(element!.Mutators).toEqual([0, 1]);
    expect(dataOf(element!)).toContain("example.com/stamped: by-trigger");
    expect(await writeCounts(database, t.org.organizationId)).toEqual({
      revisions: before.revisions + 1,
      mutations: before.mutations + 1,
    });
    const now = await getUnit(t, space, unit.UnitID);
    expect(now.HeadRevisionNum).toBe(2);
    expect(now.data).toContain("tier: web");
    expect(now.data).toContain("example.com/stamped: by-trigger");
    const mutation = await database.db
      .selectFrom("mutations")
      .select("function_invocations")
      .where("revision_id", "=", element!.RevisionID)
      .executeTakeFirstOrThrow();
    expect(mutation.function_invocations.map((i) => (i as { FunctionName: string }).FunctionName)).toEqual([
      "set-label",
      "set-annotation",
    ]);
  });

  it("run phased: mutating, then final checks see the final data", async () => {
    const slug = unique("phased");
    const space = await createSpace(t, slug);
    const unit = await createUnit(t, space, "web", deployment("web"));
    // Listed first, but validating: it runs after the mutating trigger and sees its replicas.
    await createTrigger(t, space, "check", call("cel-validate", "r.spec.replicas == 2"));
    await createTrigger(t, space, "scale", call("set-replicas", "2"));
    const [element] = await elements(
      await invoke(t, { spaceId: space, body: { FunctionInvocations: [call("set-label", "x", "y1")] } }),
    );
    expect(output(element!, "ValidationResultList")).toMatchObject([{ Passed: true, Index: 2 }]);
    expect((await getUnit(t, space, unit.UnitID)).ApplyGates).toEqual({});
  });

  it("run when a Unit is created or its data updated, in the same write", async () => {
    const slug = unique("create");
    const space = await createSpace(t, slug);
    await createTrigger(t, space, "stamp", call("set-annotation", "example.com/owner", "platform"));
    await createTrigger(t, space, "min-replicas", call("cel-validate", "r.spec.replicas >= 2"));
    const gate = `${slug}/min-replicas/cel-validate`;

    const unit = await createUnit(t, space, "web", deployment("web", { replicas: 1 }));
    expect(unit.HeadRevisionNum).toBe(1);
    let now = await getUnit(t, space, unit.UnitID);
    expect(now.data).toContain("example.com/owner: platform");
    expect(now.ApplyGates).toEqual({ [gate]: true });

    const patched = await t.request({
      method: "PATCH",
      url: `/api/space/${space}/unit/${unit.UnitID}`,
      body: { Data: b64(deployment("web", { replicas: 4 })) },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    now = await getUnit(t, space, unit.UnitID);
    expect(now.HeadRevisionNum).toBe(2);
    expect(now.data).toContain("replicas: 4");
    expect(now.data).toContain("example.com/owner: platform");
    expect(now.ApplyGates).toEqual({});
  });

  it("a dry run shows the triggers' effects and verdicts and writes nothing", async () => {
    const slug = unique("preview");
    const space = await createSpace(t, slug);
    const unit = await createUnit(t, space, "web", deployment("web"));
    await createTrigger(t, space, "stamp", call("set-annotation", "example.com/reviewed", "no"));
    await createTrigger(t, space, "min-replicas", call("cel-validate", "r.spec.replicas >= 2"));
    const before = await writeCounts(database, t.org.organizationId);
    const [element] = await elements(
      await invoke(t, {
        spaceId: space,
        query: { dry_run: "true" },
        body: { FunctionInvocations: [call("set-label", "a", "b1")] },
      }),
    );
    expect(dataOf(element!)).toContain('example.com/reviewed: "no"');
    expect(output(element!, "ValidationResultList")).toMatchObject([{ Passed: false }]);
    expect(await writeCounts(database, t.org.organizationId)).toEqual(before);
    expect((await getUnit(t, space, unit.UnitID)).ApplyGates).toEqual({});
  });

  it("do not run when the data does not change, when disabled, or for another toolchain", async () => {
    const space = await createSpace(t, unique("quiet"));
    const unit = await createUnit(t, space, "web", deployment("web"));
    await createTrigger(t, space, "stamp", call("set-annotation", "example.com/stamped", "yes-1"));
    await t.request({
      method: "POST",
      url: `/api/space/${space}/trigger`,
      body: {
        Slug: "off",
        Event: "Mutation",
        ToolchainType: "Kubernetes/YAML",
        Disabled: true,
        ...call("set-label", "off", "on"),
      },
    });
    const readOnly = await elements(
      await invoke(t, { spaceId: space, body: { FunctionInvocations: [call("get-image", "main")] } }),
    );
    expect(readOnly[0]!.Mutators).toEqual([]);
    expect((await getUnit(t, space, unit.UnitID)).HeadRevisionNum).toBe(1);

    const [changed] = await elements(
      await invoke(t, { spaceId: space, body: { FunctionInvocations: [call("set-label", "a", "b1")] } }),
    );
    expect(dataOf(changed!)).toContain("example.com/stamped: yes-1");
    expect(dataOf(changed!)).not.toContain("off: on");
  });

  it("a trigger that fails with an error blocks the write and names itself", async () => {
    const space = await createSpace(t, unique("broken"));
    const unit = await createUnit(t, space, "web", deployment("web"));
    await createTrigger(t, space, "needs-map", call("delete-resource", "v1/ConfigMap", "apps/missing"));
    const before = await writeCounts(database, t.org.organizationId);

    const [element] = await elements(
      await invoke(t, { spaceId: space, body: { FunctionInvocations: [call("set-label", "a", "b1")] } }),
      207,
    );
    expect(element!.Success).toBe(false);
    expect(element!.Error!.Details[0]).toMatch(
      /^Trigger needs-map \(delete-resource\): resource with type v1\/ConfigMap/,
    );
    expect(await writeCounts(database, t.org.organizationId)).toEqual(before);

    const create = await t.request({
      method: "POST",
      url: `/api/space/${space}/unit`,
      body: { Slug: "other", ToolchainType: "Kubernetes/YAML", Data: b64(deployment("other")) },
    });
    expect(create.statusCode, create.body).toBe(422);
    expect(create.json().Message).toMatch(/Trigger needs-map \(delete-resource\)/);
    expect((await getUnit(t, space, unit.UnitID)).HeadRevisionNum).toBe(1);
  });

  it("saved Triggers named in a request run after the explicit list, phased", async () => {
    const space = await createSpace(t, unique("request"));
    await createUnit(t, space, "web", deployment("web"));
    const check = await createTrigger(t, space, "check", {
      ...call("cel-validate", "r.spec.replicas == 5"),
      Disabled: true,
    });
    const [element] = await elements(
      await invoke(t, {
        spaceId: space,
        query: { dry_run: "true" },
        body: { FunctionInvocations: [call("set-replicas", "5")], Triggers: [check.TriggerID] },
      }),
    );
    expect(output(element!, "ValidationResultList")).toMatchObject([{ Passed: true, Index: 1 }]);
  });
});

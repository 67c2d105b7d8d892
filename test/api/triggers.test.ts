// Triggers: CRUD under /api/space/{space_id}/trigger and the organization-wide list. The function
// is resolved when a Trigger is saved: Validating comes from its signature, an unknown function is
// a 400. Deleting a validating trigger lets the next data change clear its ApplyGate.
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import {
  call,
  createSpace,
  createUnit,
  deployment,
  expectConfigHubShape,
  getUnit,
  invoke,
} from "./invoke-support.ts";
import { createInOtherOrganization } from "../support/other-organization.ts";

describe.each(testDatabases())("triggers on $name", (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(await target.open());
    return () => t.close();
  });

  const create = (space: string, body: Record<string, unknown>) =>
    t.request({
      method: "POST",
      url: `/api/space/${space}/trigger`,
      body: { Event: "Mutation", ToolchainType: "Kubernetes/YAML", ...body },
    });

  it("derives Validating from the function's signature, on create and on patch", async () => {
    const space = await createSpace(t, "derive");
    const created = await create(space, { Slug: "replicas", ...call("cel-validate", "r.spec.replicas > 1") });
    expect(created.statusCode, created.body).toBe(200);
    const trigger = created.json();
    expectConfigHubShape(trigger, "Trigger");
    expect(trigger).toMatchObject({
      Event: "Mutation",
      FunctionName: "cel-validate",
      Validating: true,
      Disabled: false,
      Warn: false,
    });
    const url = `/api/space/${space}/trigger/${trigger.TriggerID}`;
    expectConfigHubShape((await t.request({ method: "GET", url })).json(), "ExtendedTrigger");

    // Validating is read-only: sent values are ignored, the signature decides.
    const patched = await t.request({
      method: "PATCH",
      url,
      body: { ...call("set-label", "checked", "no"), Validating: true },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ FunctionName: "set-label", Validating: false, Version: 2 });

    const validating = await t.request({
      method: "GET",
      url: `/api/space/${space}/trigger?where=${encodeURIComponent("Validating = true")}`,
    });
    expect(validating.json()).toEqual([]);
    const all = await t.request({
      method: "GET",
      url: `/api/trigger?where=${encodeURIComponent("Event = 'Mutation'")}`,
    });
    expect(all.json().map((x: { Trigger: { TriggerID: string } }) => x.Trigger.TriggerID)).toContain(
      trigger.TriggerID,
    );
  });

  it("rejects unknown functions, bad arguments, other events and unsupported selections with a 400", async () => {
    const space = await createSpace(t, "reject");
    const cases: [Record<string, unknown>, RegExp][] = [
      [call("cel-validat", "true"), /function cel-validat does not exist.*did you mean cel-validate/],
      [call("set-replicas", "lots"), /set-replicas/],
      [{ ...call("set-label", "a", "b"), Event: "PostClone" }, /PostClone.*not supported.*no clone/],
      [{ ...call("set-label", "a", "b"), Event: "Apply" }, /Event 'Apply' is not supported/],
      [{ ...call("set-label", "a", "b"), WhereUnit: "Slug = 'x'" }, /WhereUnit/],
      [
        { ...call("set-label", "a", "b"), InvocationID: "6f1b7a4e-8d4f-4a51-9c59-0b1f7c7e2a11" },
        /InvocationID/,
      ],
      [{ ...call("set-label", "a", "b"), ToolchainType: "Other/Thing" }, /ToolchainType/],
    ];
    for (const [fields, message] of cases) {
      const response = await create(space, { Slug: "bad", ...fields });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().Message).toMatch(message);
    }
  });

  it("a deleted validating trigger's ApplyGate goes with the next data change", async () => {
    const space = await createSpace(t, "cleanup");
    const unit = await createUnit(t, space, "web", deployment("web", { replicas: 1 }));
    const trigger = (
      await create(space, { Slug: "min", ...call("cel-validate", "r.spec.replicas > 1") })
    ).json();
    await invoke(t, { spaceId: space, body: { FunctionInvocations: [call("set-label", "a", "b1")] } });
    expect((await getUnit(t, space, unit.UnitID)).ApplyGates).toEqual({ "cleanup/min/cel-validate": true });

    expect(
      (await t.request({ method: "DELETE", url: `/api/space/${space}/trigger/${trigger.TriggerID}` }))
        .statusCode,
    ).toBe(200);
    await invoke(t, { spaceId: space, body: { FunctionInvocations: [call("set-label", "a", "b2")] } });
    expect((await getUnit(t, space, unit.UnitID)).ApplyGates).toEqual({});
  });

  it("viewers cannot create triggers; another organization's are 404", async () => {
    const space = await createSpace(t, "access");
    const viewer = await t.request({
      method: "POST",
      url: `/api/space/${space}/trigger`,
      body: {
        Slug: "v",
        Event: "Mutation",
        ToolchainType: "Kubernetes/YAML",
        ...call("set-label", "a", "b"),
      },
      as: "viewer",
    });
    expect(viewer.statusCode).toBe(403);
    const { spaceId: theirSpace, entity: theirs } = await createInOtherOrganization(
      t,
      "trigger",
      { Slug: "t", Event: "Mutation", ToolchainType: "Kubernetes/YAML", ...call("set-label", "a", "b") },
      "x",
    );
    expect(
      (await t.request({ method: "GET", url: `/api/space/${theirSpace}/trigger/${theirs.TriggerID}` }))
        .statusCode,
    ).toBe(404);
    expect((await invoke(t, { body: { Triggers: [theirs.TriggerID] } })).statusCode).toBe(404);
  });
});

// Saved Invocations of several functions (ConfigHub's newer `FunctionInvocations` list) and the
// causes a Mutation records: InvocationID / TriggerID of the saved entity whose function changed
// the data.
import { beforeAll, describe, expect, it } from "vitest";
import { b64, buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import { createInOtherOrganization } from "../support/other-organization.ts";
import {
  call,
  createSpace,
  createUnit,
  dataOf,
  deployment,
  expectConfigHubShape,
  expectInvokeContract,
  getUnit,
  invoke,
} from "./invoke-support.ts";

describe.each(testDatabases())("Invocation lists and Mutation causes on $name", (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(await target.open());
    return () => t.close();
  });

  const createInvocation = (space: string, body: Record<string, unknown>) =>
    t.request({
      method: "POST",
      url: `/api/space/${space}/invocation`,
      body: { ToolchainType: "Kubernetes/YAML", ...body },
    });
  const mutations = async (space: string, unit: string) =>
    (await t.request({ method: "GET", url: `/api/space/${space}/unit/${unit}/mutation` }))
      .json()
      .map((m: { Mutation: Record<string, unknown> }) => m.Mutation);

  it("saves a list of calls, shows the first as FunctionName, and runs them all in order", async () => {
    const space = await createSpace(t, "lists-run");
    const created = await createInvocation(space, {
      Slug: "roll-out",
      FunctionInvocations: [call("set-image", "main", "nginx:1.27"), call("set-replicas", 4)],
    });
    expect(created.statusCode, created.body).toBe(200);
    const invocation = created.json();
    expectConfigHubShape(invocation, "Invocation");
    expect(invocation).toMatchObject({
      FunctionName: "set-image",
      Arguments: [{ Value: "main" }, { Value: "nginx:1.27" }],
      FunctionInvocations: [call("set-image", "main", "nginx:1.27"), call("set-replicas", 4)],
    });
    const listed = await t.request({
      method: "GET",
      url: `/api/space/${space}/invocation?where=${encodeURIComponent("FunctionName = 'set-image'")}`,
    });
    expect(listed.json()).toHaveLength(1);

    const unit = await createUnit(t, space, "web", deployment("web"));
    const response = await invoke(t, { spaceId: space, body: { Invocations: [invocation.InvocationID] } });
    expect(response.statusCode, response.body).toBe(200);
    const elements = response.json();
    expectInvokeContract(elements);
    expect(dataOf(elements[0]!)).toBe(deployment("web", { image: "nginx:1.27", replicas: 4 }));
    const mutation = (await mutations(space, unit.UnitID)).at(-1);
    expect(mutation).toMatchObject({
      Source: "Invoke",
      InvocationID: invocation.InvocationID,
      FunctionInvocations: [
        { FunctionName: "set-image", Arguments: [{ Value: "main" }, { Value: "nginx:1.27" }] },
        { FunctionName: "set-replicas", Arguments: [{ Value: 4 }] },
      ],
    });
    expect(mutation.TriggerID).toBeUndefined();
    expectConfigHubShape(mutation, "Mutation");
  });

  it("checks every call, naming the entry, the function and the argument", async () => {
    const space = await createSpace(t, "lists-check");
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { FunctionInvocations: [call("set-label", "a", "b"), call("set-replicas", "many")] },
        /^body\/FunctionInvocations\/1 \(set-replicas\): .*replicas/,
      ],
      [
        { FunctionInvocations: [call("set-lable", "a", "b")] },
        /^body\/FunctionInvocations\/0: function set-lable does not exist .*did you mean set-label/,
      ],
      [
        {
          FunctionInvocations: [{ FunctionName: "set-label", Arguments: [{ Value: "a", Evaluator: "cel" }] }],
        },
        /^body\/FunctionInvocations\/0\/Arguments\/0\/Evaluator is not supported/,
      ],
      [
        { ...call("set-label", "a", "b"), FunctionInvocations: [call("set-label", "a", "c")] },
        /body\/FunctionName and body\/Arguments \(set-label\) disagree with body\/FunctionInvocations\/0/,
      ],
      [{ FunctionInvocations: [] }, /body\/FunctionInvocations must NOT have fewer than 1 items/],
      [{}, /body\/FunctionName is required \(or body\/FunctionInvocations/],
    ];
    for (const [body, message] of cases) {
      const response = await createInvocation(space, { Slug: "bad", ...body });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().Message).toMatch(message);
    }
    // Both shapes together are fine when they agree (a client sending back what it read).
    const agreeing = await createInvocation(space, {
      Slug: "agree",
      ...call("set-label", "a", "b"),
      FunctionInvocations: [call("set-label", "a", "b"), call("set-replicas", 2)],
    });
    expect(agreeing.statusCode, agreeing.body).toBe(200);
    expect(agreeing.json().FunctionInvocations).toHaveLength(2);
  });

  it("patches either shape: a single call replaces the list, a list replaces the single call", async () => {
    const space = await createSpace(t, "lists-patch");
    const single = (await createInvocation(space, { Slug: "one", ...call("set-label", "a", "b") })).json();
    expect(single.FunctionInvocations).toEqual([call("set-label", "a", "b")]);
    const url = `/api/space/${space}/invocation/${single.InvocationID}`;
    const patch = (body: Record<string, unknown>) => t.request({ method: "PATCH", url, body });

    const toList = await patch({
      FunctionInvocations: [call("set-replicas", 2), call("set-label", "x", "y")],
    });
    expect(toList.statusCode, toList.body).toBe(200);
    expect(toList.json()).toMatchObject({
      FunctionName: "set-replicas",
      Arguments: [{ Value: 2 }],
      Version: 2,
    });
    const arguments_ = await patch({ Arguments: [{ Value: 5 }] });
    expect(arguments_.statusCode, arguments_.body).toBe(200);
    expect(arguments_.json().FunctionInvocations).toEqual([call("set-replicas", 5)]);
    const renamed = await patch({ DisplayName: "one call" });
    expect(renamed.json()).toMatchObject({ FunctionInvocations: [call("set-replicas", 5)], Version: 4 });
    const bad = await patch({
      FunctionInvocations: [call("set-replicas", 5), call("set-label", "only-key")],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().Message).toMatch(/^body\/FunctionInvocations\/1 \(set-label\)/);
  });

  it("records the Trigger whose function changed the data, on an invocation and on a data write", async () => {
    const space = await createSpace(t, "causes-trigger");
    // Made before the trigger exists: no label yet.
    const early = await createUnit(t, space, "early", deployment("early"));
    const trigger = await t.request({
      method: "POST",
      url: `/api/space/${space}/trigger`,
      body: {
        Slug: "owner",
        Event: "Mutation",
        ToolchainType: "Kubernetes/YAML",
        ...call("set-label", "owner", "ops"),
      },
    });
    expect(trigger.statusCode, trigger.body).toBe(200);
    const triggerId = trigger.json().TriggerID;
    const unit = await createUnit(t, space, "web", deployment("web"));
    const ran = await invoke(t, { spaceId: space, body: { FunctionInvocations: [call("set-replicas", 3)] } });
    expect(ran.statusCode, ran.body).toBe(200);
    // The invocation's write on "early": the trigger added its label.
    expect((await mutations(space, early.UnitID)).map((m: { TriggerID?: string }) => m.TriggerID)).toEqual([
      undefined,
      triggerId,
    ]);
    const patched = await t.request({
      method: "PATCH",
      url: `/api/space/${space}/unit/${unit.UnitID}`,
      body: { Data: b64(deployment("web", { replicas: 7 })) },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const list = await mutations(space, unit.UnitID);
    // Creation and the PATCH (data without the label) had the trigger change the data; on the
    // invocation the label was already there: the trigger ran but changed nothing.
    expect(list.map((m: { TriggerID?: string }) => m.TriggerID)).toEqual([triggerId, undefined, triggerId]);
    expect(list.map((m: { InvocationID?: string }) => m.InvocationID)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);

    // Once the label is there, a data write the trigger does not change records no trigger.
    const current = await getUnit(t, space, unit.UnitID);
    const again = await t.request({
      method: "PATCH",
      url: `/api/space/${space}/unit/${unit.UnitID}`,
      body: { Data: b64(current.data.replace("replicas: 7", "replicas: 8")) },
    });
    expect(again.statusCode, again.body).toBe(200);
    expect((await mutations(space, unit.UnitID)).at(-1).TriggerID).toBeUndefined();
  });

  it("records no InvocationID when the saved Invocation changed nothing, and 404s another organization's", async () => {
    const space = await createSpace(t, "causes-none");
    const unit = await createUnit(t, space, "web", deployment("web", { replicas: 2 }));
    const same = (await createInvocation(space, { Slug: "same", ...call("set-replicas", 2) })).json();
    const ran = await invoke(t, {
      spaceId: space,
      body: { FunctionInvocations: [call("set-label", "a", "b")], Invocations: [same.InvocationID] },
    });
    expect(ran.statusCode, ran.body).toBe(200);
    const mutation = (await mutations(space, unit.UnitID)).at(-1);
    expect(mutation.Source).toBe("Invoke");
    expect(mutation.InvocationID).toBeUndefined();

    const theirs = await createInOtherOrganization(
      t,
      "invocation",
      { Slug: "theirs", ToolchainType: "Kubernetes/YAML", FunctionInvocations: [call("set-replicas", 9)] },
      "theirs-lists",
    );
    const foreign = await invoke(t, { spaceId: space, body: { Invocations: [theirs.entity.InvocationID] } });
    expect(foreign.statusCode).toBe(404);
  });
});

// Invocations: CRUD under /api/space/{space_id}/invocation and the organization-wide list; the
// function and its arguments are checked against the registry when the Invocation is saved.
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import { call, createSpace, expectConfigHubShape } from "./invoke-support.ts";
import { createInOtherOrganization } from "../support/other-organization.ts";

describe.each(testDatabases())("invocations on $name", (target) => {
  let t: TestApp;
  let space: string;
  beforeAll(async () => {
    t = await buildTestApp(await target.open());
    space = await createSpace(t, "invocations");
    return () => t.close();
  });

  const create = (body: Record<string, unknown>) =>
    t.request({
      method: "POST",
      url: `/api/space/${space}/invocation`,
      body: { ToolchainType: "Kubernetes/YAML", ...body },
    });

  it("creates, reads, lists, patches and deletes an Invocation", async () => {
    const created = await create({ Slug: "label-team", ...call("set-label", "team", "core") });
    expect(created.statusCode, created.body).toBe(200);
    const invocation = created.json();
    expectConfigHubShape(invocation, "Invocation");
    expect(invocation).toMatchObject({
      FunctionName: "set-label",
      Arguments: [{ Value: "team" }, { Value: "core" }],
      ToolchainType: "Kubernetes/YAML",
      Version: 1,
    });
    const url = `/api/space/${space}/invocation/${invocation.InvocationID}`;
    const got = await t.request({ method: "GET", url });
    expectConfigHubShape(got.json(), "ExtendedInvocation");
    expect(got.json().Invocation).toEqual(invocation);

    const listed = await t.request({
      method: "GET",
      url: `/api/invocation?where=${encodeURIComponent("FunctionName = 'set-label'")}`,
    });
    expect(listed.json().map((i: { Invocation: { Slug: string } }) => i.Invocation.Slug)).toContain(
      "label-team",
    );

    // Same call written with named arguments: same function, different arguments, new hash.
    const patched = await t.request({
      method: "PATCH",
      url,
      body: {
        Arguments: [
          { ParameterName: "label-key", Value: "team" },
          { ParameterName: "label-value", Value: "edge" },
        ],
      },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().Version).toBe(2);
    expect(patched.json().Hash).not.toBe(invocation.Hash);
    const again = await t.request({ method: "PATCH", url, body: { DisplayName: invocation.DisplayName } });
    expect(again.json().Version).toBe(2);

    expect((await t.request({ method: "DELETE", url })).statusCode).toBe(200);
    expect((await t.request({ method: "GET", url })).statusCode).toBe(404);
  });

  it("rejects unknown functions, invalid arguments and unsupported fields with a 400", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        call("set-lable", "a", "b"),
        /function set-lable does not exist for toolchain Kubernetes\/YAML \(did you mean set-label\?\)/,
      ],
      [call("set-replicas", "many"), /set-replicas/],
      [call("set-label", "a"), /insufficient arguments/],
      [
        { ...call("set-label", "a", "b"), ToolchainType: "Helm/Chart" },
        /ToolchainType 'Helm\/Chart' is not supported/,
      ],
      [
        { FunctionName: "set-label", Arguments: [{ Value: "a", Evaluator: "cel" }, { Value: "b" }] },
        /Evaluator/,
      ],
      [{ Arguments: [] }, /FunctionName is required/],
    ];
    for (const [fields, message] of cases) {
      const response = await create({ Slug: "bad", ...fields });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().Message).toMatch(message);
    }
  });

  it("another organization's Invocation is a 404", async () => {
    const { spaceId: theirSpace, entity: theirs } = await createInOtherOrganization(t, "invocation", {
      Slug: "i",
      ToolchainType: "Kubernetes/YAML",
      ...call("set-label", "a", "b"),
    });
    const url = `/api/space/${theirSpace}/invocation/${theirs.InvocationID}`;
    expect((await t.request({ method: "GET", url })).statusCode).toBe(404);
    expect((await t.request({ method: "DELETE", url })).statusCode).toBe(404);
  });
});

// The invoke pipeline throws typed errors and the API's error handler alone gives them a status:
// each answer keeps the message users get, naming the input at fault.
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import { call, createSpace, createUnit, deployment, invoke } from "./invoke-support.ts";

describe.each(testDatabases())("invoke errors over HTTP on $name", (target) => {
  let t: TestApp;
  let spaceId: string;

  beforeAll(async () => {
    t = await buildTestApp(await target.open());
    spaceId = await createSpace(t, "errors");
    await createUnit(t, spaceId, "web", deployment("web"));
    return () => t.close();
  });

  it("400 for a Filter that does not select Units (FILTER_NOT_FOR_UNITS)", async () => {
    const filter = await t.request({
      method: "POST",
      url: `/api/space/${spaceId}/filter`,
      body: { Slug: "spaces", From: "Space" },
    });
    expect(filter.statusCode, filter.body).toBe(200);
    const response = await invoke(t, {
      query: { dry_run: "true", filter: filter.json().FilterID },
      body: { FunctionInvocations: [call("set-replicas", "2")] },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toEqual({
      Code: "400",
      Message: "Filter spaces selects Space entities; functions run on Units: use a Filter From Unit",
    });
  });

  it("400 naming the field for a bad where (FilterFieldError) and for bad arguments (INVALID_ARGUMENT)", async () => {
    const where = await invoke(t, {
      query: { dry_run: "true", where: "Lables.tier = 'web'" },
      body: { FunctionInvocations: [call("set-replicas", "2")] },
    });
    expect(where.statusCode, where.body).toBe(400);
    expect(where.json().Message).toMatch(/^querystring\/where: unknown attribute 'Lables'/);

    const args = await invoke(t, {
      query: { dry_run: "true" },
      body: { FunctionInvocations: [call("set-replicas", "many")] },
    });
    expect(args.statusCode, args.body).toBe(400);
    expect(args.json().Message).toMatch(/^body\/FunctionInvocations\/0 \(set-replicas\): /);
  });

  it("400 before anything runs for a CEL expression that does not compile, with its column", async () => {
    const response = await invoke(t, {
      query: { dry_run: "true" },
      body: { FunctionInvocations: [call("cel-validate", "r.spec.replicas >")] },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().Message).toBe(
      "body/FunctionInvocations/0 (cel-validate): failed to compile expression r.spec.replicas >: line 1, column 17: found > but expecting end of input",
    );
  });

  it("400 naming every type an argument value may have, for a fractional number", async () => {
    const response = await invoke(t, {
      query: { dry_run: "true" },
      body: { FunctionInvocations: [{ FunctionName: "set-replicas", Arguments: [{ Value: 3.5 }] }] },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().Message).toBe(
      "body/FunctionInvocations/0/Arguments/0/Value must be a string, an integer (a whole number) or a boolean",
    );
  });
});

// AppConfig/Properties Units through the API: create and update validate the data as properties (a
// 422 naming line and column in the properties text), functions run on them through invoke (dry run
// and real, native text written back line for line), and where_data selects by the nested view.
import { beforeAll, describe, expect, it } from "vitest";
import { b64, buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import {
  call,
  createSpace,
  createUnit,
  dataOf,
  getUnit,
  invoke,
  output,
  type ResponseElement,
} from "./invoke-support.ts";

const TOOLCHAIN = "AppConfig/Properties";
const APP = [
  "# application settings",
  "configHub.configName=MyApplicationConfig",
  "configHub.configSchema=SimpleApp",
  "database.host = localhost",
  "database.port = 5432",
  "",
  "! TLS",
  "database.ssl.enabled=true",
  "",
].join("\n");

describe.each(testDatabases())("AppConfig/Properties Units on $name", (target) => {
  let t: TestApp;
  let space: string;

  beforeAll(async () => {
    const database = await target.open();
    t = await buildTestApp(database);
    space = await createSpace(t, "props");
    return () => t.close();
  });

  const properties = (slug: string, data: string, extra: Record<string, unknown> = {}) =>
    createUnit(t, space, slug, data, { ToolchainType: TOOLCHAIN, ...extra });

  it("refuses malformed properties on create and update with a 422 naming line and column", async () => {
    const created = await t.request({
      method: "POST",
      url: `/api/space/${space}/unit`,
      body: { Slug: "broken", ToolchainType: TOOLCHAIN, Data: b64("a=1\nb = x\\u00G1\n") },
    });
    expect(created.statusCode, created.body).toBe(422);
    expect(created.json().Message).toBe(
      'body/Data is not valid AppConfig/Properties: invalid properties: malformed \\uXXXX escape "\\\\u00G1" at line 2, column 6',
    );

    const unit = await properties("fine", APP);
    const patched = await t.request({
      method: "PATCH",
      url: `/api/space/${space}/unit/${unit.UnitID}`,
      body: { Data: b64("ok=1\n\\u12=x\n") },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.statusCode, patched.body).toBe(422);
    expect(patched.json().Message).toContain("line 2, column 1");
    expect((await getUnit(t, space, unit.UnitID)).data).toBe(APP);
  });

  it("runs set-string-path on a Properties Unit: the dry run shows, the real run writes, one line changed", async () => {
    const unit = await properties("app", APP);
    const request = {
      spaceId: space,
      query: { where: "Slug = 'app'" },
      body: {
        ToolchainType: TOOLCHAIN,
        FunctionInvocations: [call("set-string-path", "SimpleApp", "database.host", "db.internal")],
      },
    };
    const expected = APP.replace("database.host = localhost", "database.host = db.internal");

    const dry = await invoke(t, { ...request, query: { ...request.query, dry_run: "true" } });
    expect(dry.statusCode, dry.body).toBe(200);
    const [preview] = dry.json() as ResponseElement[];
    expect(preview!.Success, JSON.stringify(preview!.Error)).toBe(true);
    expect(dataOf(preview!)).toBe(expected);
    expect(preview!.Mutations[0]!.Resource.ResourceName).toBe("MyApplicationConfig");
    expect(preview!.Mutations[0]!.PathMutationMap["database.host"]).toMatchObject({ MutationType: "Update" });
    expect((await getUnit(t, space, unit.UnitID)).HeadRevisionNum).toBe(1);

    const real = await invoke(t, request);
    expect(real.statusCode, real.body).toBe(200);
    const stored = await getUnit(t, space, unit.UnitID);
    expect(stored.data).toBe(expected);
    expect(stored.HeadRevisionNum).toBe(2);

    // Reading functions see the typed view; validate always passes for Properties.
    const read = await invoke(t, {
      spaceId: space,
      query: { where: "Slug = 'app'", dry_run: "true" },
      body: {
        ToolchainType: TOOLCHAIN,
        FunctionInvocations: [call("get-int-path", "SimpleApp", "database.port"), call("validate")],
      },
    });
    expect(read.statusCode, read.body).toBe(200);
    const [element] = read.json() as ResponseElement[];
    expect(output(element!, "AttributeValueList")).toMatchObject([{ Path: "database.port", Value: 5432 }]);
    expect(output(element!, "ValidationResultList")).toMatchObject([{ Passed: true, Index: 1 }]);
  });

  it("stamps the Unit's context with ensure-context into configHub.* keys", async () => {
    const unit = await properties("ctx", "configHub.configName=c\nkey=v\n");
    const response = await invoke(t, {
      spaceId: space,
      query: { where: "Slug = 'ctx'" },
      body: { ToolchainType: TOOLCHAIN, FunctionInvocations: [call("ensure-context", "true")] },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect((await getUnit(t, space, unit.UnitID)).data).toBe(
      `configHub.configName=c\nconfigHub.unitSlug=ctx\nconfigHub.spaceID=${space}\nkey=v\n`,
    );
  });

  it("selects Properties Units by where_data over the nested view", async () => {
    await properties("port-low", "database.port=1000\n");
    await properties("port-high", "database.port=9000\n");
    const slugs = async (whereData: string) => {
      const response = await invoke(t, {
        spaceId: space,
        query: { dry_run: "true", where: "Slug LIKE 'port-%'", where_data: whereData },
        body: { ToolchainType: TOOLCHAIN, FunctionInvocations: [call("get-int-path", "*", "database.port")] },
      });
      expect(response.statusCode, response.body).toBe(200);
      return (response.json() as ResponseElement[]).map((e) => e.UnitSlug).sort();
    };
    expect(await slugs("database.port > 5000")).toEqual(["port-high"]);
    expect(await slugs("database.port < 5000")).toEqual(["port-low"]);
    expect(await slugs("database.host = 'x'")).toEqual([]);
  });
});

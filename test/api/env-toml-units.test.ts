// AppConfig/Env and AppConfig/TOML Units through the API: create validates the native syntax (422
// with line and column), invoke selects with where_data over the YAML view and writes back native
// text in which only the changed value's bytes differ.
import { beforeAll, describe, expect, it } from "vitest";
import { b64, buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import {
  call,
  createSpace,
  createUnit,
  dataOf,
  expectInvokeContract,
  getUnit,
  invoke,
  output,
  type ResponseElement,
} from "./invoke-support.ts";

const TOML = [
  "# web settings",
  "[configHub]",
  'configName = "web"',
  "",
  "[server]",
  "port = 8080 # listen here",
  "host = 'localhost'",
  "",
].join("\n");

const ENV = [
  "# api settings",
  "CONFIGHUB_CONFIG_NAME=api",
  "export PORT=8080",
  'HOST="localhost" # where',
  "",
].join("\n");

describe.each(testDatabases())("AppConfig/Env and AppConfig/TOML Units on $name", (target) => {
  let t: TestApp;
  let n = 0;
  const unique = (prefix: string) => `${prefix}-${++n}`;

  beforeAll(async () => {
    const database = await target.open();
    t = await buildTestApp(database);
    return () => t.close();
  });

  async function elements(response: { statusCode: number; body: string; json(): unknown }) {
    expect(response.statusCode, response.body).toBe(200);
    const parsed = response.json();
    expectInvokeContract(parsed);
    return parsed as ResponseElement[];
  }

  it("refuses malformed native data with a 422 naming line and column", async () => {
    const space = await createSpace(t, unique("bad"));
    for (const [toolchain, data, where] of [
      ["AppConfig/TOML", "[server]\nport = \n", "line 2, column 8"],
      ["AppConfig/Env", "A=1\nNOT VALID\n", "line 2, column 5"],
    ] as const) {
      const response = await t.request({
        method: "POST",
        url: `/api/space/${space}/unit`,
        body: { Slug: unique("bad"), ToolchainType: toolchain, Data: b64(data) },
      });
      expect(response.statusCode, response.body).toBe(422);
      // The position once: the format's message names it.
      const message = response.json().Message as string;
      expect(message).toMatch(new RegExp(`^body/Data is not valid ${toolchain}: `));
      expect(message.split(where)).toHaveLength(2);
    }
  });

  it("TOML: where_data selects over the view; set-string-path writes back only the value's bytes", async () => {
    const space = await createSpace(t, unique("toml"));
    const web = await createUnit(t, space, "web", TOML, { ToolchainType: "AppConfig/TOML" });
    await createUnit(t, space, "low", TOML.replace("8080", "80"), { ToolchainType: "AppConfig/TOML" });
    const read = await elements(
      await invoke(t, {
        spaceId: space,
        query: { where_data: "server.port > 1000" },
        body: {
          ToolchainType: "AppConfig/TOML",
          FunctionInvocations: [call("get-string-path", "NoSchema", "server.host")],
        },
      }),
    );
    expect(read.map((e) => e.UnitSlug)).toEqual(["web"]);
    const outputs = Object.keys(read[0]!.Outputs).map((type) => output(read[0]!, type));
    expect(JSON.stringify(outputs)).toContain("localhost");

    const written = await elements(
      await invoke(t, {
        spaceId: space,
        query: { where_data: "server.port > 1000" },
        body: {
          ToolchainType: "AppConfig/TOML",
          FunctionInvocations: [call("set-string-path", "NoSchema", "server.host", "example.com")],
        },
      }),
    );
    expect(written.map((e) => e.UnitSlug)).toEqual(["web"]);
    const expected = TOML.replace("'localhost'", "'example.com'");
    expect(dataOf(written[0]!)).toBe(expected);
    const stored = await getUnit(t, space, web.UnitID);
    expect(stored.data).toBe(expected);
    expect(stored.HeadRevisionNum).toBe(2);
  });

  it("Env: where_data compares the string values; set-string-path keeps quotes and comments", async () => {
    const space = await createSpace(t, unique("env"));
    const api = await createUnit(t, space, "api", ENV, { ToolchainType: "AppConfig/Env" });
    await createUnit(t, space, "other", ENV.replace("8080", "9000"), { ToolchainType: "AppConfig/Env" });
    // A Kubernetes Unit is not selected by an AppConfig/Env invocation.
    await createUnit(t, space, "k8s", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
    const written = await elements(
      await invoke(t, {
        spaceId: space,
        query: { where_data: "PORT = '8080'" },
        body: {
          ToolchainType: "AppConfig/Env",
          FunctionInvocations: [call("set-string-path", "NoSchema", "HOST", "db.internal")],
        },
      }),
    );
    expect(written.map((e) => e.UnitSlug)).toEqual(["api"]);
    const expected = ENV.replace('"localhost"', '"db.internal"');
    expect(dataOf(written[0]!)).toBe(expected);
    expect((await getUnit(t, space, api.UnitID)).data).toBe(expected);
  });
});

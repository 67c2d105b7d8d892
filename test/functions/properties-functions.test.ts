// The functions of AppConfig/Properties: exactly the generic ones (spec §5 "G", plus confn's
// get-jsonpath) and Properties' validate, none of the Kubernetes-only ones; and generic functions
// that restructure documents (search-replace, delete-resource, upsert-resource, yq) working on the
// properties text through its YAML view, as `confn do --toolchain AppConfig/Properties` runs them.
import { describe, expect, it } from "vitest";
import { CliUsageError } from "../../src/cli/cli-error.ts";
import { localRegistry, runLocal } from "../../src/cli/commands/do.ts";
import { TOOLCHAIN_TYPES } from "../../src/engine/index.ts";

const TOOLCHAIN = "AppConfig/Properties";
const APP =
  "# app\nconfigHub.configSchema=SimpleApp\nconfigHub.configName=web\nurl=http://old.example.com/x\nport=8080\n";

const run = (text: string, name: string, ...args: string[]) =>
  runLocal("app.properties", text, [{ FunctionName: name, Arguments: args.map((Value) => ({ Value })) }], {
    toolchain: TOOLCHAIN,
    dataOnly: true,
  });

describe("AppConfig/Properties functions", () => {
  it("lists the generic functions and validate, and none of the Kubernetes-only ones", () => {
    const registry = localRegistry();
    expect(registry.names(TOOLCHAIN)).toEqual([
      "cel-validate",
      "compute-mutations",
      "delete-resource",
      "ensure-context",
      "get-attributes",
      "get-bool-path",
      "get-details",
      "get-int-path",
      "get-jsonpath",
      "get-needed",
      "get-placeholders",
      "get-provided",
      "get-resources",
      "get-resources-of-type",
      "get-string-path",
      "is-approved",
      "no-placeholders",
      "patch-mutations",
      "replicate",
      "reset",
      "search-replace",
      "set-attributes",
      "set-bool-path",
      "set-default-names",
      "set-int-path",
      "set-path-comment",
      "set-references-of-type",
      "set-string-path",
      "upsert-resource",
      "validate",
      "where-filter",
      "yq",
    ]);
    expect(registry.lookup(TOOLCHAIN, "set-replicas")).toBeUndefined();
    expect(registry.lookup(TOOLCHAIN, "ensure-namespaces")).toBeUndefined();
    // Parameter descriptions spell the toolchain's type format (spec §5 "Toolchains").
    const typeParameter = (toolchain: "Kubernetes/YAML" | typeof TOOLCHAIN, name: string) =>
      registry.lookup(toolchain, name)!.signature.Parameters![0]!.Description;
    expect(typeParameter(TOOLCHAIN, "get-string-path")).toBe(
      "Resource type (Schema) of the attribute to get",
    );
    expect(typeParameter(TOOLCHAIN, "delete-resource")).toBe("Type (Schema) of the resource to delete");
    expect(typeParameter("Kubernetes/YAML", "get-string-path")).toBe(
      "Resource type ([Group/]Version/Kind) of the attribute to get",
    );
    // Every toolchain functions run on lists its functions.
    expect(Object.keys(registry.list())).toEqual([...TOOLCHAIN_TYPES]);
    expect(TOOLCHAIN_TYPES).toContain(TOOLCHAIN);
  });

  it("search-replace rewrites only the lines that hold the text", async () => {
    const { text } = await run(APP, "search-replace", "old.example.com", "new.example.com");
    expect(text).toBe(APP.replace("old.example.com", "new.example.com"));
  });

  it("delete-resource removes every entry and keeps the comments", async () => {
    const { text, exitCode } = await run(APP, "delete-resource", "SimpleApp", "web");
    expect(exitCode).toBe(0);
    expect(text.trim()).toBe("# app");
  });

  it("yq and where-filter read the typed view", async () => {
    const yq = await runLocal(
      "app.properties",
      APP,
      [{ FunctionName: "yq", Arguments: [{ Value: ".port" }] }],
      {
        toolchain: TOOLCHAIN,
        outputOnly: true,
      },
    );
    expect(yq.text).toContain("8080");
    const passed = async (where: string) => {
      const filter = await runLocal(
        "app.properties",
        APP,
        [{ FunctionName: "where-filter", Arguments: [{ Value: "SimpleApp" }, { Value: where }] }],
        { toolchain: TOOLCHAIN, json: true },
      );
      const response = JSON.parse(filter.text) as { Success: boolean; Output: string };
      expect(response.Success).toBe(true);
      return (JSON.parse(Buffer.from(response.Output, "base64").toString()) as { Passed: boolean }).Passed;
    };
    expect(await passed("port > 8000")).toBe(true);
    expect(await passed("port < 8000")).toBe(false);
  });

  it("upsert-resource takes a YAML body of the view and writes back only the changed lines", async () => {
    const list = JSON.stringify([
      {
        ResourceName: "web",
        ResourceNameWithoutScope: "web",
        ResourceType: "SimpleApp",
        ResourceCategory: "AppConfig",
        ResourceBody:
          "configHub:\n  configSchema: SimpleApp\n  configName: web\nurl: http://new.example.com\nport: 8080\nowner: me\n",
      },
    ]);
    const { text } = await run(APP, "upsert-resource", list, "SimpleApp", "web");
    expect(text).toBe(
      "# app\nconfigHub.configSchema=SimpleApp\nconfigHub.configName=web\nurl=http://new.example.com\nport=8080\nowner=me\n",
    );
  });

  it("compute-mutations diffs properties text, or the view itself with alreadyConverted", async () => {
    const previous = APP.replace("port=8080", "port=80");
    const paths = async (argument: string, converted: string) => {
      const response = await runLocal(
        "app.properties",
        APP,
        [
          {
            FunctionName: "compute-mutations",
            Arguments: [{ Value: argument }, { Value: "0" }, { Value: converted }],
          },
        ],
        { toolchain: TOOLCHAIN, json: true },
      );
      const body = JSON.parse(response.text) as { Success: boolean; Output: string };
      expect(body.Success, response.text).toBe(true);
      const mutations = JSON.parse(Buffer.from(body.Output, "base64").toString()) as {
        PathMutationMap: Record<string, { MutationType: string }>;
      }[];
      return mutations[0]!.PathMutationMap;
    };
    expect(await paths(previous, "false")).toEqual({
      port: expect.objectContaining({ MutationType: "Update", Value: "8080\n" }),
    });
    const view =
      "configHub:\n  configSchema: SimpleApp\n  configName: web\nurl: http://old.example.com/x\nport: 80\n";
    expect(await paths(view, "true")).toEqual({
      port: expect.objectContaining({ MutationType: "Update", Value: "8080\n" }),
    });
  });

  it("refuses an unknown --toolchain, listing the ones that work", async () => {
    await expect(
      runLocal("a.ini", "[a]\n", [{ FunctionName: "yq", Arguments: [{ Value: "." }] }], {
        toolchain: "AppConfig/INI",
      }),
    ).rejects.toThrow(
      new CliUsageError(`--toolchain AppConfig/INI: expected one of ${TOOLCHAIN_TYPES.join(", ")}`),
    );
  });
});

// The generic functions on AppConfig/Env and AppConfig/TOML Units, through the engine: they read and
// edit the YAML view, and the Unit text that comes back is the native text with only the changed
// value's bytes rewritten.
import { describe, expect, it } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import {
  FunctionRegistry,
  execute,
  type FunctionArgument,
  type ToolchainType,
} from "../../src/engine/index.ts";

const registry = FunctionRegistry.from(standardFunctions);

function run(
  toolchain: ToolchainType,
  configData: string,
  functionName: string,
  ...args: FunctionArgument["Value"][]
) {
  return execute({
    registry,
    context: { ToolchainType: toolchain },
    configData,
    invocations: [{ FunctionName: functionName, Arguments: args.map((Value) => ({ Value })) }],
    options: { castStringArgsToScalars: true },
  });
}

const TOML = [
  "# web settings",
  "[configHub]",
  'configName = "web"',
  'configSchema = "WebApp"',
  "",
  "[server]",
  "port = 8080 # listen here",
  "host = 'localhost'",
  "started = 2024-01-02",
  "",
].join("\n");

const ENV = [
  "# api settings",
  "CONFIGHUB_CONFIG_NAME=api",
  "export PORT=8080",
  'HOST="localhost" # where',
  "",
].join("\n");

describe("generic functions on AppConfig/TOML", () => {
  it("get-string-path reads the view, with the resource named by [configHub]", async () => {
    const result = await run("AppConfig/TOML", TOML, "get-string-path", "WebApp", "server.host");
    expect(result.success, result.errorMessages.join("; ")).toBe(true);
    expect(JSON.stringify(result.output)).toContain("localhost");
    expect(JSON.stringify(result.output)).toContain("web");
    expect(result.configData).toBe(TOML);
    expect(result.dataChanged).toBe(false);
  });

  it("set-string-path and set-int-path rewrite only the value's bytes, in its style", async () => {
    const host = await run("AppConfig/TOML", TOML, "set-string-path", "WebApp", "server.host", "example.com");
    expect(host.success, host.errorMessages.join("; ")).toBe(true);
    expect(host.configData).toBe(TOML.replace("'localhost'", "'example.com'"));
    const port = await run("AppConfig/TOML", TOML, "set-int-path", "WebApp", "server.port", 9090);
    expect(port.success, port.errorMessages.join("; ")).toBe(true);
    expect(port.configData).toBe(TOML.replace("port = 8080", "port = 9090"));
    const date = await run(
      "AppConfig/TOML",
      TOML,
      "set-string-path",
      "WebApp",
      "server.started",
      "2025-03-04",
    );
    expect(date.configData).toBe(TOML.replace("2024-01-02", "2025-03-04"));
  });

  it("where-filter evaluates over the typed view (numbers compare as numbers)", async () => {
    const passed = async (expression: string) => {
      const result = await run("AppConfig/TOML", TOML, "where-filter", "WebApp", expression);
      expect(result.success, result.errorMessages.join("; ")).toBe(true);
      return (result.output as { Passed: boolean }[])[0]!.Passed;
    };
    expect(await passed("server.port > 8000 AND server.host = 'localhost'")).toBe(true);
    expect(await passed("server.port > 9000")).toBe(false);
  });

  it("a function on another resource type changes nothing", async () => {
    const result = await run("AppConfig/TOML", TOML, "set-string-path", "Other", "server.host", "x");
    expect(result.configData).toBe(TOML);
  });
});

describe("generic functions on AppConfig/Env", () => {
  it("get-string-path reads a variable (all values are strings), the type defaulting to NoSchema", async () => {
    const result = await run("AppConfig/Env", ENV, "get-string-path", "NoSchema", "PORT");
    expect(result.success, result.errorMessages.join("; ")).toBe(true);
    expect(JSON.stringify(result.output)).toContain('"8080"');
    expect(JSON.stringify(result.output)).toContain("api");
  });

  it("where-filter compares the string values", async () => {
    const passed = async (expression: string) => {
      const result = await run("AppConfig/Env", ENV, "where-filter", "NoSchema", expression);
      return (result.output as { Passed: boolean }[])[0]!.Passed;
    };
    expect(await passed("PORT = '8080' AND HOST LIKE 'local%'")).toBe(true);
    expect(await passed("PORT = '9090'")).toBe(false);
  });

  it("set-string-path rewrites only the value's bytes, keeping quotes and comments", async () => {
    const result = await run("AppConfig/Env", ENV, "set-string-path", "NoSchema", "HOST", "db.internal");
    expect(result.success, result.errorMessages.join("; ")).toBe(true);
    expect(result.configData).toBe(ENV.replace('"localhost"', '"db.internal"'));
    const port = await run("AppConfig/Env", ENV, "set-string-path", "NoSchema", "PORT", "9090");
    expect(port.configData).toBe(ENV.replace("PORT=8080", "PORT=9090"));
  });
});

// The generic functions on an OpenTofu/HCL Unit, through parseConfig's native-format hook and the
// executor: paths address the YAML view (attributes, nested blocks as lists), identity comes from the
// block labels, and the data written back is the HCL text with only the changed values rewritten.
import { describe, expect, it } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import { parseConfig } from "../../src/config/index.ts";
import { FunctionRegistry, execute } from "../../src/engine/index.ts";
import { evaluateWhereData } from "../../src/filter/index.ts";
import type { FunctionArgument, Resource } from "../../src/engine/index.ts";

const registry = FunctionRegistry.from(standardFunctions);

const UNIT = `# Web tier.
resource "aws_instance" "web" {
  ami           = "ami-123" # pinned
  instance_type = "t3.micro"
  count         = 2

  root_block_device {
    volume_size = 10
  }
}

variable "region" {
  default = "eu-west-1"
}

data "aws_ami" "ubuntu" {
  most_recent = true
}
`;

function run(functionName: string, args: FunctionArgument["Value"][] = [], configData = UNIT) {
  return execute({
    registry,
    configData,
    context: { ToolchainType: "OpenTofu/HCL" },
    invocations: [{ FunctionName: functionName, Arguments: args.map((Value) => ({ Value })) }],
    options: { castStringArgsToScalars: true },
  });
}

describe("generic functions on OpenTofu/HCL", () => {
  it("set-string-path rewrites only the string, keeping its quotes and comment", async () => {
    const result = await run("set-string-path", ["aws_instance", "ami", "ami-456"]);
    expect(result.success, result.errorMessages.join("\n")).toBe(true);
    expect(result.configData).toBe(UNIT.replace('"ami-123"', '"ami-456"'));
    expect(result.mutators).toEqual([0]);
  });

  it("set-int-path writes a number into a nested block", async () => {
    const result = await run("set-int-path", ["aws_instance", "root_block_device.0.volume_size", 20]);
    expect(result.success, result.errorMessages.join("\n")).toBe(true);
    expect(result.configData).toBe(UNIT.replace("volume_size = 10", "volume_size = 20"));
  });

  it("set-string-path adds a missing attribute at the block's indentation", async () => {
    const result = await run("set-string-path", ["variable", "description", "Where to deploy"]);
    expect(result.success, result.errorMessages.join("\n")).toBe(true);
    expect(result.configData).toBe(
      UNIT.replace(
        '  default = "eu-west-1"\n',
        '  default = "eu-west-1"\n  description = "Where to deploy"\n',
      ),
    );
  });

  it("get-string-path and get-int-path read the view", async () => {
    const strings = await run("get-string-path", ["aws_instance", "instance_type"]);
    expect(JSON.stringify(strings.output)).toContain("t3.micro");
    const ints = await run("get-int-path", ["aws_instance", "count"]);
    expect(JSON.stringify(ints.output)).toContain("2");
    expect(strings.configData).toBe(UNIT);
  });

  it("get-resources lists one resource per block with ConfigHub's identity", async () => {
    const result = await run("get-resources", ["none"]);
    expect(result.success, result.errorMessages.join("\n")).toBe(true);
    expect(result.output as Resource[]).toEqual([
      {
        ResourceName: "web",
        ResourceNameWithoutScope: "web",
        ResourceType: "aws_instance",
        ResourceCategory: "Resource",
      },
      {
        ResourceName: "region",
        ResourceNameWithoutScope: "region",
        ResourceType: "variable",
        ResourceCategory: "Invalid",
      },
      {
        ResourceName: "ubuntu",
        ResourceNameWithoutScope: "ubuntu",
        ResourceType: "aws_ami",
        ResourceCategory: "DynamicData",
      },
    ]);
  });

  it("where-filter and where_data evaluate attribute paths of the view", async () => {
    const matched = await run("where-filter", [
      "aws_instance",
      "count > 1 AND root_block_device.0.volume_size = 10",
    ]);
    expect(matched.output).toEqual([{ Passed: true, Index: 0 }]);
    const missed = await run("where-filter", ["aws_instance", "instance_type = 't3.large'"]);
    expect(missed.output).toEqual([{ Passed: false, Index: 0 }]);

    const documents = parseConfig(UNIT, { toolchain: "OpenTofu/HCL" });
    expect(evaluateWhereData("default = 'eu-west-1'", documents, { resourceType: "variable" }).matched).toBe(
      true,
    );
    expect(evaluateWhereData("most_recent = true", documents, { resourceType: "*" }).matched).toBe(true);
    expect(evaluateWhereData("most_recent = false", documents, { resourceType: "*" }).matched).toBe(false);
  });

  it("a new object key that is not an identifier is written quoted", async () => {
    const result = await run(
      "set-string-path",
      ["aws_instance", 'tags."bad key"', "x"],
      'resource "aws_instance" "web" {}\n',
    );
    expect(result.success, result.errorMessages.join("\n")).toBe(true);
    expect(result.configData).toBe(
      'resource "aws_instance" "web" {\n  tags = {\n    "bad key" = "x"\n  }\n}\n',
    );
  });

  it("an attribute name that HCL cannot hold fails the call, naming the path, and leaves the data", async () => {
    const result = await run("set-string-path", ["aws_instance", '"bad key"', "x"]);
    expect(result.success).toBe(false);
    expect(result.errorMessages.join("\n")).toContain("bad key");
    expect(result.errorMessages.join("\n")).toContain("not a valid HCL attribute name");
    expect(result.configData).toBe(UNIT);
  });

  it("replicate renames the block in place and adds the copies after it; delete-resource removes a block", async () => {
    const replicated = await run("replicate", ["aws_instance", "web", 2]);
    expect(replicated.success, replicated.errorMessages.join("\n")).toBe(true);
    const [before, after] = UNIT.split("\nvariable");
    const copy = [
      'resource "aws_instance" "web1" {',
      '  ami = "ami-123"',
      '  instance_type = "t3.micro"',
      "  count = 2",
    ];
    expect(replicated.configData).toBe(
      `${before!.replace('"web" {', '"web0" {')}\n${copy.join("\n")}\n  root_block_device {\n    volume_size = 10\n  }\n}\n\nvariable${after}`,
    );
    const deleted = await run("delete-resource", ["variable", "region"]);
    expect(deleted.success, deleted.errorMessages.join("\n")).toBe(true);
    expect(deleted.configData).toBe(UNIT.replace('variable "region" {\n  default = "eu-west-1"\n}\n', ""));
  });

  it("ensure-context changes nothing, as in ConfigHub (OpenTofu has no place for the context)", async () => {
    for (const add of [true, false]) {
      const result = await run("ensure-context", [add]);
      expect(result.success, result.errorMessages.join("\n")).toBe(true);
      expect(result.configData).toBe(UNIT);
      expect(result.mutators).toEqual([]);
    }
  });

  it("malformed HCL is a parse error with its line and column", async () => {
    const error = await run("get-resources", [], 'resource "a" "b" {\n  x = \n}\n').catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/line 3, column 1/);
  });
});

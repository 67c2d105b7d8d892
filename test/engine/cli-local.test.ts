import { describe, expect, it } from "vitest";
import { CliUsageError } from "../../src/cli/cli-error.ts";
import { exitCodeFor, localContext, parseFunctionArguments, runLocal } from "../../src/cli/commands/do.ts";
import { parseInvocationList, parseInvocationRequest } from "../../src/cli/commands/doseq.ts";
import { formatFctl } from "../../src/cli/output/fctl-format.ts";
import { formatFunctionExplanation, formatFunctionList } from "../../src/cli/output/function-listing.ts";
import { FunctionRegistry } from "../../src/engine/index.ts";
import type { ExecutionResult, FunctionSignature } from "../../src/engine/index.ts";

const DATA = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n";

function result(overrides: Partial<ExecutionResult>): ExecutionResult {
  return {
    context: {} as ExecutionResult["context"],
    configData: DATA,
    dataChanged: false,
    outputs: [],
    outputType: "",
    output: null,
    mutations: [],
    mutators: [],
    hasNewMutations: false,
    success: true,
    errorMessages: [],
    errors: [],
    filteredOut: false,
    steps: [],
    ...overrides,
  };
}

describe("fctl argument syntax", () => {
  it("takes positional values and --name=value, named ones last", () => {
    expect(parseFunctionArguments("f", ["a", "--x=1", "--y=b=c"])).toEqual([
      { Value: "a" },
      { ParameterName: "x", Value: "1" },
      { ParameterName: "y", Value: "b=c" },
    ]);
    expect(() => parseFunctionArguments("f", ["--x=1", "a"])).toThrow(CliUsageError);
    expect(() => parseFunctionArguments("f", ["--x"])).toThrow(/--name=value/);
  });
});

describe("local context", () => {
  it("uses fctl's fixed IDs, the lower-cased unit name and the file's CRC-32", () => {
    const context = localContext("dir/MyDeployment.yaml", "abc", {});
    expect(context).toMatchObject({
      UnitID: "5837950a-619e-44da-9b75-f957c2aee14c",
      SpaceID: "c73bbc39-7ad1-4f32-aba0-1ef0789c9571",
      OrganizationID: "362c7a01-ba2d-40f6-9454-805c9a4fbbbe",
      SpaceSlug: "DeepSpace",
      UnitDisplayName: "MyDeployment",
      UnitSlug: "mydeployment",
      RevisionNum: 1,
      New: true,
      ToolchainType: "Kubernetes/YAML",
      // crc32("abc") = 0x352441c2
      PreviousContentHash: 0x352441c2,
    });
    expect(localContext("-", "", { unitSlug: "X", spaceSlug: "s" })).toMatchObject({
      UnitSlug: "x",
      SpaceSlug: "s",
    });
    expect(() => localContext("f", "", { toolchain: "YAML" })).toThrow(CliUsageError);
    expect(() => localContext("f", "", { unitSlug: "a/b" })).toThrow(/--unit-slug a\/b/);
  });
});

describe("fctl output", () => {
  it("prints SUCCESS, the data only when it changed, and indented JSON output (Go's escapes only on request)", () => {
    const text = formatFctl(
      result({
        outputs: [["ValidationResult", { Passed: false, Index: 0, Details: ["a > b"] }]],
        outputType: "ValidationResult",
      }),
    );
    expect(text).toBe(
      'SUCCESS    true    \nOUTPUT\n------\n{\n  "Passed": false,\n  "Index": 0,\n  "Details": [\n    "a > b"\n  ]\n}\n',
    );
    const goEscaped = formatFctl(
      result({
        outputs: [["ValidationResult", { Passed: false, Index: 0, Details: ["a > b"] }]],
        outputType: "ValidationResult",
      }),
      "full",
      "go",
    );
    expect(goEscaped).toContain('"a \\u003e b"');
    expect(formatFctl(result({ dataChanged: true, configData: "a: 1\n" }))).toBe(
      "SUCCESS    true    \nCONFIGDATA\n---------\na: 1\n",
    );
  });

  it("prints error messages only when Success is false", () => {
    expect(formatFctl(result({ success: false, errorMessages: ["m1", "m2"] }))).toBe(
      "SUCCESS    false    \nERRORMESSAGES    m1; m2; \n",
    );
    expect(formatFctl(result({ errorMessages: ["function failed: x"] }))).toBe("SUCCESS    true    \n");
  });

  it("prints the YAML payload raw, and extra output types under their own heading", () => {
    const text = formatFctl(
      result({
        outputs: [
          ["YAML", { Payload: "3\n" }],
          ["AttributeValueList", []],
        ],
      }),
    );
    expect(text).toBe(
      "SUCCESS    true    \nOUTPUT\n------\n3\nOUTPUT AttributeValueList\n-------------------------\n[]\n",
    );
  });

  it("prints only the data or only the output on request", () => {
    const r = result({ outputs: [["JSON", { a: 1 }]] });
    expect(formatFctl(r, "data-only")).toBe(DATA);
    expect(formatFctl(r, "output-only")).toBe('{\n  "a": 1\n}\n');
  });
});

describe("exit codes", () => {
  it("is 1 for a failed function or a failed validation, else 0", () => {
    expect(exitCodeFor(result({}))).toBe(0);
    expect(exitCodeFor(result({ success: false }))).toBe(1);
    expect(exitCodeFor(result({ outputs: [["ValidationResult", { Passed: false, Index: 0 }]] }))).toBe(1);
    expect(
      exitCodeFor(
        result({
          outputs: [
            [
              "ValidationResultList",
              [
                { Passed: true, Index: 0 },
                { Passed: false, Index: 1 },
              ],
            ],
          ],
        }),
      ),
    ).toBe(1);
    expect(exitCodeFor(result({ outputs: [["ValidationResult", { Passed: true, Index: 0 }]] }))).toBe(0);
  });
});

describe("local runs", () => {
  it("refuses an unknown function as a usage error before anything runs, suggesting the nearest name", async () => {
    await expect(
      runLocal("x.yaml", DATA, [{ FunctionName: "set-replica", Arguments: [] }], {}),
    ).rejects.toThrow(
      "function set-replica does not exist for toolchain Kubernetes/YAML (did you mean set-replicas?)",
    );
    await expect(
      runLocal("x.yaml", DATA, [{ FunctionName: "no-such-fn", Arguments: [] }], {}),
    ).rejects.toThrow(
      "function no-such-fn does not exist for toolchain Kubernetes/YAML (confn function list shows them all)",
    );
  });

  it("prints the FunctionInvocationResponse with --json", async () => {
    const { text } = await runLocal("x.yaml", DATA, [], { json: true });
    const response = JSON.parse(text) as Record<string, unknown>;
    expect(response).toMatchObject({
      UnitID: "5837950a-619e-44da-9b75-f957c2aee14c",
      UnitSlug: "x",
      SpaceSlug: "DeepSpace",
      ConfigData: Buffer.from(DATA).toString("base64"),
      Output: null,
      OutputType: "",
      Outputs: {},
      Mutations: [],
      Mutators: [],
      Success: true,
      ErrorMessages: [],
    });
  });

  it("rejects bad flags as usage errors", async () => {
    await expect(runLocal("x", DATA, [], { dataOnly: true, outputOnly: true })).rejects.toThrow(
      CliUsageError,
    );
    await expect(runLocal("x", DATA, [], { numFilters: "-2" })).rejects.toThrow(/--num-filters/);
  });

  it("reads an invocation list, or an invoke request body, and rejects anything else", () => {
    expect(parseInvocationList('[{"FunctionName":"a"}]', "f.json")).toEqual([{ FunctionName: "a" }]);
    // The body curl posts (README's bump.json) serves --invocations too, with its ChangeDescription.
    const body = '{"FunctionInvocations": [{"FunctionName": "a"}], "ChangeDescription": "bump"}';
    expect(parseInvocationRequest(body, "bump.json")).toEqual({
      invocations: [{ FunctionName: "a" }],
      changeDescription: "bump",
    });
    expect(() => parseInvocationList("{", "f.json")).toThrow(/f.json is not valid JSON/);
    expect(() => parseInvocationList("{}", "f.json")).toThrow(/must hold a JSON array/);
    expect(() => parseInvocationList('{"FunctionInvocations": {}}', "f.json")).toThrow(
      /or an invoke request body \{"FunctionInvocations": \[...\]\}/,
    );
  });
});

describe("function listing", () => {
  const registry = FunctionRegistry.from([
    {
      toolchains: ["Kubernetes/YAML"],
      signature: {
        FunctionName: "set-replicas",
        Description: "Set the replicas for workload controllers",
        Mutating: true,
        Parameters: [
          {
            ParameterName: "replicas",
            Description: "Number of replicas",
            Required: true,
            DataType: "int",
            Min: 0,
          },
        ],
      },
      invoke: () => {},
    },
  ]);
  const signature = registry.lookup("Kubernetes/YAML", "set-replicas")!.signature as FunctionSignature;

  it("lists functions in fctl's columns", () => {
    expect(formatFunctionList([signature])).toBe(
      "FUNCTIONNAME    REQ'DPARAMETERS    VARARGS    MUTATING    VALIDATING    HERMETIC    IDEMPOTENT    DESCRIPTION                                  PARAMETERS\n" +
        'set-replicas    1                  false      true        false         true        true          Set the replicas for workload controllers    replicas:"Number of replicas"(req),\n',
    );
  });

  it("explains a function with a usage line, its properties and its parameters", () => {
    const text = formatFunctionExplanation(signature);
    expect(text).toContain("Usage: confn do FILE -- set-replicas <replicas>\n");
    expect(text).toMatch(/Mutating\s+true\n/);
    expect(text).toMatch(/0\s+replicas\s+int\s+true\s+Number of replicas\s+range \[0,\]\n/);
  });
});

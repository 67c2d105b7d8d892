import { describe, expect, it } from "vitest";
import { RegistrationError } from "../../src/engine/errors.ts";
import type { FunctionDefinition, SignatureDeclaration } from "../../src/engine/function-definition.ts";
import { FunctionRegistry } from "../../src/engine/registry.ts";

const definition = (
  signature: SignatureDeclaration,
  extra: Partial<FunctionDefinition> = {},
): FunctionDefinition => ({
  toolchains: ["Kubernetes/YAML"],
  signature,
  invoke: () => {},
  ...extra,
});

const validating: SignatureDeclaration = {
  FunctionName: "no-placeholders",
  Description: "Returns true if no attributes contain the placeholder",
  OutputInfo: { ResultName: "passed", Description: "", OutputType: "ValidationResult" },
};

describe("function registry", () => {
  it("completes signatures: required count, defaults, toolchain, Go key order", () => {
    const registry = FunctionRegistry.from([
      definition({
        FunctionName: "set-replicas",
        Description: "Set the replicas for workload controllers",
        Mutating: true,
        Parameters: [
          { ParameterName: "replicas", Description: "Number", Required: true, DataType: "int", Min: 0 },
          { ParameterName: "extra", Description: "Extra", Required: false, DataType: "string" },
        ],
      }),
    ]);
    const signature = registry.lookup("Kubernetes/YAML", "set-replicas")!.signature;
    expect(signature).toEqual({
      FunctionName: "set-replicas",
      Parameters: [
        { ParameterName: "replicas", Description: "Number", Required: true, DataType: "int", Min: 0 },
        { ParameterName: "extra", Description: "Extra", Required: false, DataType: "string" },
      ],
      RequiredParameters: 1,
      VarArgs: false,
      OutputInfo: null,
      Mutating: true,
      Validating: false,
      Hermetic: true,
      Idempotent: true,
      Description: "Set the replicas for workload controllers",
      FunctionType: "Custom",
      ToolchainType: "Kubernetes/YAML",
    });
    expect(Object.keys(signature).slice(0, 4)).toEqual([
      "FunctionName",
      "Parameters",
      "RequiredParameters",
      "VarArgs",
    ]);
    expect(Object.isFrozen(signature.Parameters[0])).toBe(true);
  });

  it("makes an OutputType ValidationResult function validating", () => {
    const registry = FunctionRegistry.from([definition(validating)]);
    expect(registry.lookup("Kubernetes/YAML", "no-placeholders")!.signature.Validating).toBe(true);
  });

  it("rejects Validating with another output type", () => {
    expect(() =>
      FunctionRegistry.from([
        definition({
          FunctionName: "bad",
          Description: "",
          Validating: true,
          OutputInfo: { ResultName: "x", Description: "", OutputType: "AttributeValueList" },
        }),
      ]),
    ).toThrow(/must declare OutputInfo.OutputType ValidationResult/);
  });

  it("rejects a duplicate name in the same toolchain, and registers nothing of a failed definition", () => {
    const registry = FunctionRegistry.from([definition(validating)]);
    let error: unknown;
    try {
      registry.register(definition(validating, { toolchains: ["AppConfig/Properties", "Kubernetes/YAML"] }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RegistrationError);
    expect((error as RegistrationError).message).toBe(
      "function no-placeholders is already registered for toolchain Kubernetes/YAML",
    );
    expect(registry.lookup("AppConfig/Properties", "no-placeholders")).toBeUndefined();
  });

  it("allows the same name in different toolchains, with per-toolchain descriptions", () => {
    const registry = FunctionRegistry.from([
      definition(
        {
          FunctionName: "get-string-path",
          Description: "",
        },
        {
          toolchains: ["Kubernetes/YAML", "AppConfig/Properties"],
          signature: (toolchain) => ({
            FunctionName: "get-string-path",
            Description: toolchain === "Kubernetes/YAML" ? "[Group/]Version/Kind" : "Schema",
          }),
        },
      ),
    ]);
    expect(registry.list()).toMatchObject({
      "Kubernetes/YAML": { "get-string-path": { Description: "[Group/]Version/Kind" } },
      "AppConfig/Properties": { "get-string-path": { Description: "Schema" } },
    });
  });

  it("lists toolchain first, then function names sorted", () => {
    const registry = FunctionRegistry.from([
      definition({ FunctionName: "b-fn", Description: "" }),
      definition({ FunctionName: "a-fn", Description: "" }),
    ]);
    const list = registry.list();
    expect(Object.keys(list)).toEqual(["Kubernetes/YAML"]);
    expect(Object.keys(list["Kubernetes/YAML"]!)).toEqual(["a-fn", "b-fn"]);
  });

  it.each([
    [{ FunctionName: "Bad Name", Description: "" }, /name must match/],
    [
      {
        FunctionName: "x",
        Description: "",
        Parameters: [
          { ParameterName: "a", Description: "", Required: true, DataType: "string" as const },
          { ParameterName: "a", Description: "", Required: true, DataType: "string" as const },
        ],
      },
      /parameter a is declared twice/,
    ],
    [
      {
        FunctionName: "x",
        Description: "",
        Parameters: [
          { ParameterName: "a", Description: "", Required: true, DataType: "string" as const, Min: 1 },
        ],
      },
      /Min\/Max apply to int parameters/,
    ],
    [
      {
        FunctionName: "x",
        Description: "",
        Parameters: [{ ParameterName: "a", Description: "", Required: true, DataType: "enum" as const }],
      },
      /needs EnumValues/,
    ],
    [{ FunctionName: "x", Description: "", VarArgs: true }, /VarArgs needs at least one parameter/],
  ])("rejects a malformed signature %#", (signature, message) => {
    expect(() => FunctionRegistry.from([definition(signature)])).toThrow(message);
  });

  it("rejects a malformed parameter pattern at loadAll (server start) and at its first use", async () => {
    const registry = FunctionRegistry.from([
      definition({
        FunctionName: "x",
        Description: "",
        Parameters: [
          { ParameterName: "a", Description: "", Required: true, DataType: "string", Regexp: "(" },
        ],
      }),
    ]);
    await expect(registry.loadAll()).rejects.toThrow(/validation regexp \( of parameter a is invalid/);
    const fn = registry.lookup("Kubernetes/YAML", "x")!;
    expect(() => fn.parameterPatterns.get("a")).toThrow(/validation regexp \( of parameter a is invalid/);
  });

  it("requires Mutating for finalMutating and at least one toolchain", () => {
    expect(() =>
      FunctionRegistry.from([definition({ FunctionName: "x", Description: "" }, { finalMutating: true })]),
    ).toThrow(/finalMutating requires Mutating/);
    expect(() =>
      FunctionRegistry.from([definition({ FunctionName: "x", Description: "" }, { toolchains: [] })]),
    ).toThrow(/lists no toolchains/);
  });

  it("names what a plain-JavaScript definition gets wrong: no FunctionName, a misspelt toolchain", () => {
    const untyped = (declaration: object, extra: object = {}) =>
      definition(declaration as SignatureDeclaration, extra as Partial<FunctionDefinition>);
    expect(() => FunctionRegistry.from([untyped({ Description: "" })])).toThrow(
      "a function's signature has no FunctionName (a string such as set-cost-center)",
    );
    expect(() =>
      FunctionRegistry.from([
        untyped({ FunctionName: "x", Description: "" }, { toolchains: ["Kubernetes/Yaml"] }),
      ]),
    ).toThrow(/^function x: toolchain Kubernetes\/Yaml is not one of Kubernetes\/YAML, /);
    expect(() => FunctionRegistry.from([untyped({ FunctionName: "x", Description: 3 })])).toThrow(
      "function x: Description must be a string",
    );
    // A worker module may leave the description out, as a Go worker may: it lists as empty.
    const listed = FunctionRegistry.from([untyped({ FunctionName: "x" })]).lookup("Kubernetes/YAML", "x")!;
    expect(listed.signature.Description).toBe("");
  });

  it("shows FinalMutating only on final-mutating functions", () => {
    const registry = FunctionRegistry.from([
      definition(
        { FunctionName: "ensure-context", Description: "", Mutating: true },
        { finalMutating: true },
      ),
    ]);
    expect(registry.lookup("Kubernetes/YAML", "ensure-context")!.signature.FinalMutating).toBe(true);
  });
});

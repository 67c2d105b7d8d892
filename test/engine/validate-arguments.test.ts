import { describe, expect, it } from "vitest";
import { validateArguments } from "../../src/engine/arguments/validate-arguments.ts";
import { ArgumentError } from "../../src/engine/errors.ts";
import type { SignatureDeclaration } from "../../src/engine/function-definition.ts";
import { FunctionRegistry } from "../../src/engine/registry.ts";
import type { RegisteredFunction } from "../../src/engine/registry.ts";
import type { FunctionArgument } from "../../src/engine/types.ts";

function registered(signature: SignatureDeclaration): RegisteredFunction {
  const registry = FunctionRegistry.from([{ toolchains: ["Kubernetes/YAML"], signature, invoke: () => {} }]);
  return registry.lookup("Kubernetes/YAML", signature.FunctionName)!;
}

const setContainerResources = registered({
  FunctionName: "set-container-resources",
  Description: "Set resource requests and limits for a container",
  Mutating: true,
  Parameters: [
    { ParameterName: "container-name", Description: "", Required: true, DataType: "string" },
    {
      ParameterName: "operation",
      Description: "",
      Required: true,
      DataType: "enum",
      EnumValues: ["all", "cap", "floor"],
    },
    { ParameterName: "limit-factor", Description: "", Required: true, DataType: "int", Min: 0, Max: 10 },
    { ParameterName: "dry", Description: "", Required: false, DataType: "bool" },
  ],
});

const setEnv = registered({
  FunctionName: "set-env",
  Description: "Set environment variables",
  Mutating: true,
  VarArgs: true,
  Parameters: [
    { ParameterName: "container-name", Description: "", Required: true, DataType: "string" },
    {
      ParameterName: "env-key-value",
      Description: "",
      Required: true,
      DataType: "string",
      Regexp: "^[-._a-zA-Z][-._a-zA-Z0-9]*=.*$",
    },
  ],
});

const setImage = registered({
  FunctionName: "set-image",
  Description: "Set the image",
  Mutating: true,
  Parameters: [
    {
      ParameterName: "container-name",
      Description: "",
      Required: true,
      DataType: "string",
      Regexp: "^\\*|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$",
    },
    { ParameterName: "container-image", Description: "", Required: true, DataType: "string" },
  ],
});

const podDefaults = registered({
  FunctionName: "set-pod-defaults",
  Description: "Set default pod settings",
  Mutating: true,
  Parameters: ["pod-security", "probes", "resources"].map((name) => ({
    ParameterName: name,
    Description: "",
    Required: false,
    DataType: "bool" as const,
  })),
});

const positional = (...values: FunctionArgument["Value"][]): FunctionArgument[] =>
  values.map((Value) => ({ Value }));

function messageOf(fn: RegisteredFunction, args: FunctionArgument[], cast = true): string {
  try {
    validateArguments(fn, args, { cast });
  } catch (error) {
    expect(error).toBeInstanceOf(ArgumentError);
    return (error as Error).message;
  }
  throw new Error("expected an ArgumentError");
}

describe("argument validation (spec §3.1)", () => {
  it("casts positional strings to int and bool and names them", () => {
    const result = validateArguments(setContainerResources, positional("nginx", "all", "2", "true"), {
      cast: true,
    });
    expect(result.entries).toEqual([
      { name: "container-name", value: "nginx" },
      { name: "operation", value: "all" },
      { name: "limit-factor", value: 2 },
      { name: "dry", value: true },
    ]);
    expect(result.normalized.map((a) => a.ParameterName)).toEqual([
      "container-name",
      "operation",
      "limit-factor",
      "dry",
    ]);
  });

  it("reports too few arguments with every parameter and a trailing comma", () => {
    expect(messageOf(setContainerResources, positional("nginx"))).toBe(
      "insufficient arguments: got 1, expected 3: container-name (required), operation (required), limit-factor (required), dry (optional)",
    );
  });

  it("reports too many arguments for a function without varargs", () => {
    expect(messageOf(setImage, positional("a", "b", "c"))).toBe(
      "too many arguments: got 3, expected at most 2: container-name (required), container-image (required)",
    );
  });

  it("rejects an unknown parameter name", () => {
    expect(messageOf(setImage, [{ ParameterName: "container", Value: "x" }, { Value: "y" }])).toBe(
      "argument container is not a valid parameter of function set-image",
    );
  });

  it("requires CastStringArgsToScalars for strings given to int and bool parameters", () => {
    expect(messageOf(setContainerResources, positional("nginx", "all", "2"), false)).toBe(
      'argument limit-factor must be an integer, not the string "2"',
    );
    expect(messageOf(podDefaults, positional("true"), false)).toBe(
      'argument pod-security must be a boolean, not the string "true"',
    );
  });

  it("explains unparseable ints and bools in plain words", () => {
    expect(messageOf(setContainerResources, positional("nginx", "all", "2.5"))).toBe(
      'cannot convert argument limit-factor value 2.5 to int: "2.5" is not a whole number (digits with an optional sign, e.g. 3)',
    );
    expect(messageOf(podDefaults, positional("yes"))).toBe(
      'cannot convert argument pod-security value yes to bool: "yes" is not a boolean (use true or false)',
    );
  });

  it("accepts Go's bool spellings", () => {
    for (const [text, value] of [
      ["1", true],
      ["t", true],
      ["TRUE", true],
      ["True", true],
      ["0", false],
      ["F", false],
      ["False", false],
    ] as const) {
      expect(validateArguments(podDefaults, positional(text), { cast: true }).entries[0]!.value).toBe(value);
    }
  });

  it("range-checks ints, naming the bound that was crossed", () => {
    expect(messageOf(setContainerResources, positional("nginx", "all", "11"))).toBe(
      "argument limit-factor value 11 is out of range: must be from 0 to 10",
    );
    const replicas = registered({
      FunctionName: "set-replicas",
      Description: "",
      Mutating: true,
      Parameters: [{ ParameterName: "replicas", Description: "", Required: true, DataType: "int", Min: 0 }],
    });
    expect(messageOf(replicas, positional("-1"))).toBe(
      "argument replicas value -1 is out of range: must be at least 0",
    );
    expect(messageOf(replicas, positional(-3))).toBe(
      "argument replicas value -3 is out of range: must be at least 0",
    );
    const atMost = registered({
      FunctionName: "f",
      Description: "",
      Parameters: [{ ParameterName: "n", Description: "", Required: true, DataType: "int", Max: 5 }],
    });
    expect(messageOf(atMost, positional("6"))).toBe("argument n value 6 is out of range: must be at most 5");
  });

  it("refuses a fractional number for an int parameter instead of truncating it", () => {
    const replicas = registered({
      FunctionName: "set-replicas",
      Description: "",
      Mutating: true,
      Parameters: [{ ParameterName: "replicas", Description: "", Required: true, DataType: "int", Min: 0 }],
    });
    expect(messageOf(replicas, positional(4.9), false)).toBe(
      "argument replicas must be a whole number, not 4.9",
    );
    expect(validateArguments(replicas, positional(4), { cast: false }).entries[0]!.value).toBe(4);
  });

  it("checks enum values exactly and case-sensitively", () => {
    expect(messageOf(setContainerResources, positional("nginx", "All", "1"))).toBe(
      "value All for argument operation is not one of: all, cap, floor",
    );
  });

  it("matches parameter regexps against the whole value (design §9)", () => {
    // ConfigHub's half-anchored container-name pattern accepted "Nginx-x" (it ends in a valid label)
    // and "*anything" (it starts with *).
    expect(messageOf(setImage, positional("Nginx-x", "img"))).toBe(
      "value Nginx-x for argument container-name does not match the pattern ^\\*|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$",
    );
    expect(messageOf(setImage, positional("*anything", "img"))).toContain("does not match the pattern");
    expect(validateArguments(setImage, positional("*", "img"), { cast: true }).entries[0]!.value).toBe("*");
    expect(validateArguments(setImage, positional("nginx", "img"), { cast: true }).entries[0]!.value).toBe(
      "nginx",
    );
  });

  it("rejects a number for a non-int parameter and a bool for a non-bool parameter", () => {
    expect(messageOf(setImage, positional(5, "img"))).toBe(
      "argument container-name must be a string, not the number 5",
    );
    expect(messageOf(setImage, positional(true, "img"))).toBe(
      "argument container-name must be a string, not the boolean true",
    );
  });

  it("rejects values of unsupported JSON types, naming what was given", () => {
    const args = [{ Value: null }, { Value: "img" }] as unknown as FunctionArgument[];
    expect(messageOf(setImage, args)).toBe("argument container-name must be a string, not null");
    const objects = [{ Value: {} }, { Value: "img" }] as unknown as FunctionArgument[];
    expect(messageOf(setImage, objects)).toBe("argument container-name must be a string, not an object");
  });

  it("accepts repeated values for the varargs parameter, positional or named", () => {
    const result = validateArguments(
      setEnv,
      [
        { Value: "nginx" },
        { Value: "A=1" },
        { Value: "B=2" },
        { ParameterName: "env-key-value", Value: "C=" },
      ],
      { cast: true },
    );
    expect(result.entries.map((e) => e.value)).toEqual(["nginx", "A=1", "B=2", "C="]);
    expect(messageOf(setEnv, positional("nginx", "A=1", "1bad"))).toBe(
      "value 1bad for argument env-key-value does not match the pattern ^[-._a-zA-Z][-._a-zA-Z0-9]*=.*$",
    );
  });

  it("rejects a repeated non-varargs parameter", () => {
    expect(
      messageOf(setImage, [
        { ParameterName: "container-name", Value: "a" },
        { ParameterName: "container-name", Value: "b" },
      ]),
    ).toBe("argument container-name appears multiple times but function set-image is not varargs");
    expect(
      messageOf(setEnv, [
        { ParameterName: "container-name", Value: "a" },
        { ParameterName: "container-name", Value: "b" },
      ]),
    ).toBe("argument container-name appears multiple times but is not the last argument of function set-env");
  });

  it("rebuilds out-of-order named arguments in parameter order", () => {
    const result = validateArguments(
      setImage,
      [
        { ParameterName: "container-image", Value: "img" },
        { ParameterName: "container-name", Value: "nginx" },
      ],
      { cast: true },
    );
    expect(result.entries).toEqual([
      { name: "container-name", value: "nginx" },
      { name: "container-image", value: "img" },
    ]);
  });

  it("rebuilds interleaved named varargs without losing or duplicating any (design §9)", () => {
    const result = validateArguments(
      setEnv,
      [
        { ParameterName: "env-key-value", Value: "A=1" },
        { ParameterName: "container-name", Value: "nginx" },
        { ParameterName: "env-key-value", Value: "B=2" },
      ],
      { cast: true },
    );
    expect(result.entries).toEqual([
      { name: "container-name", value: "nginx" },
      { name: "env-key-value", value: "A=1" },
      { name: "env-key-value", value: "B=2" },
    ]);
  });

  it("rejects a mix of unnamed and out-of-order named arguments", () => {
    expect(
      messageOf(setContainerResources, [
        { Value: "nginx" },
        { ParameterName: "limit-factor", Value: "2" },
        { ParameterName: "operation", Value: "all" },
      ]),
    ).toBe("mix of out-of-order named and unnamed arguments for function set-container-resources");
  });

  it("reports a required parameter left out of named arguments", () => {
    expect(
      messageOf(setContainerResources, [
        { ParameterName: "operation", Value: "all" },
        { ParameterName: "limit-factor", Value: "2" },
        { ParameterName: "dry", Value: "true" },
      ]),
    ).toBe("missing required parameter container-name for function set-container-resources");
  });

  it("leaves optional parameters out with no gap", () => {
    const result = validateArguments(
      podDefaults,
      [
        { ParameterName: "resources", Value: "true" },
        { ParameterName: "pod-security", Value: "false" },
      ],
      { cast: true },
    );
    expect(result.entries).toEqual([
      { name: "pod-security", value: false },
      { name: "resources", value: true },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { checkOutput } from "../../src/engine/outputs/check-output.ts";
import { OutputCollector } from "../../src/engine/outputs/output-collector.ts";
import { EngineError } from "../../src/engine/errors.ts";

const instance = "5837950a-619e-44da-9b75-f957c2aee14c";

describe("output combination (spec §3.2, V26 Outputs map)", () => {
  it("combines validation results on request: AND of Passed, new Details first, Index from the newest", () => {
    const outputs = new OutputCollector({ combineValidationResults: true, instance });
    expect(outputs.add("cel-validate", 0, "ValidationResult", { Passed: true, Index: 0 })).toEqual([]);
    expect(
      outputs.add("cel-validate", 1, "ValidationResult", { Passed: false, Index: 0, Details: ["second"] }),
    ).toEqual([`function failed: cel-validate at 1 on ${instance}`]);
    outputs.add("cel-validate", 2, "ValidationResult", { Passed: true, Index: 0, Details: ["third"] });
    expect(outputs.get("ValidationResult")).toEqual({
      Passed: false,
      Index: 0,
      Details: ["third", "second"],
    });
    expect(outputs.primaryType).toBe("ValidationResult");
  });

  it("collects validation results into a ValidationResultList with each invocation index", () => {
    const outputs = new OutputCollector({ combineValidationResults: false, instance: `${instance}: rev` });
    outputs.add("a", 0, "ValidationResult", { Passed: true, Index: 0 });
    const messages = outputs.add("b", 3, "ValidationResult", { Passed: false, Index: 0, Details: ["x"] });
    expect(messages).toEqual([`function failed: b at 3 on ${instance}: rev`]);
    expect(outputs.get("ValidationResultList")).toEqual([
      { Passed: true, Index: 0 },
      { Passed: false, Index: 3, Details: ["x"] },
    ]);
    expect(outputs.primaryType).toBe("ValidationResultList");
  });

  it("names the function in the results of saved calls and triggers, whose Index is past the request's list", () => {
    const outputs = new OutputCollector({ combineValidationResults: false, instance });
    outputs.add("cel-validate", 0, "ValidationResult", { Passed: true, Index: 0 });
    outputs.add("require-owner", 1, "ValidationResult", { Passed: false, Index: 0, Details: ["x"] }, true);
    const list = outputs.get("ValidationResultList") as object[];
    expect(list).toEqual([
      { Passed: true, Index: 0 },
      { Passed: false, Index: 1, FunctionName: "require-owner", Details: ["x"] },
    ]);
    // Go's field order: the name right after Index.
    expect(Object.keys(list[1]!)).toEqual(["Passed", "Index", "FunctionName", "Details"]);
    // A combined result stands for several functions: it names none.
    const combined = new OutputCollector({ combineValidationResults: true, instance });
    combined.add("require-owner", 1, "ValidationResult", { Passed: false, Index: 0 }, true);
    expect(combined.get("ValidationResult")).toEqual({ Passed: false, Index: 0 });
  });

  it("concatenates lists of the same type and keeps other types in their own slots", () => {
    const outputs = new OutputCollector({ combineValidationResults: false, instance });
    outputs.add("get-image", 0, "AttributeValueList", [{ Path: "a" }]);
    outputs.add("get-resources", 1, "ResourceList", [{ ResourceName: "r" }]);
    outputs.add("get-replicas", 2, "AttributeValueList", [{ Path: "b" }]);
    expect(outputs.entries()).toEqual([
      ["AttributeValueList", [{ Path: "a" }, { Path: "b" }]],
      ["ResourceList", [{ ResourceName: "r" }]],
    ]);
  });

  it("keeps the first of two unmergeable outputs and says so", () => {
    const outputs = new OutputCollector({ combineValidationResults: false, instance });
    outputs.add("yq", 0, "YAML", { Payload: "a\n" });
    expect(outputs.add("yq", 1, "YAML", { Payload: "b\n" })).toEqual([
      `functions with unmergeable output types; output of ${instance} discarded`,
    ]);
    expect(outputs.get("YAML")).toEqual({ Payload: "a\n" });
  });

  it("checks outputs against the declared type", () => {
    expect(() => checkOutput("v", 0, "ValidationResult", [{ Passed: true }])).toThrow(
      "validating functions must return type ValidationResult",
    );
    expect(() => checkOutput("g", 0, "AttributeValueList", { Path: "x" })).toThrow(EngineError);
    expect(() => checkOutput("yq", 0, "YAML", "text")).toThrow(/Payload/);
    expect(checkOutput("v", 0, "ValidationResult", { Passed: true })).toEqual({ Passed: true, Index: 0 });
  });
});

// Combines function outputs into the V26 `Outputs` map, keyed by OutputType (spec §3.2 with the V26
// shape): list types concatenate; ValidationResults collect into a ValidationResultList whose Index
// values are the invocation indices, or into one combined ValidationResult when asked. Because each
// type has its own slot, outputs of different types no longer discard each other.
import { LIST_OUTPUT_TYPES } from "../types.ts";
import type { OutputType, ValidationResult } from "../types.ts";

export class OutputCollector {
  private readonly byType = new Map<OutputType, unknown>();
  private readonly combineValidationResults: boolean;
  /** UnitID, or `UnitID: RevisionID`, as ConfigHub names the instance in messages. */
  private readonly instance: string;

  constructor(options: { combineValidationResults: boolean; instance: string }) {
    this.combineValidationResults = options.combineValidationResults;
    this.instance = options.instance;
  }

  /**
   * Adds one function's output (already checked against its declared type) and returns the messages
   * it gives rise to (a failed validation, an output that cannot be merged). `named`: the function
   * is not one of the request's own FunctionInvocations (a saved Invocation or a Trigger), so its
   * Index points past the list the caller sent; its ValidationResult then carries the function's
   * name too (ConfigHub's `FunctionName`), which a client cannot look up by Index.
   */
  add(functionName: string, index: number, outputType: OutputType, output: unknown, named = false): string[] {
    if (outputType === "ValidationResult")
      return this.addValidation(functionName, index, output as ValidationResult, named);
    const existing = this.byType.get(outputType);
    if (LIST_OUTPUT_TYPES.has(outputType)) {
      this.byType.set(outputType, [...((existing as unknown[] | undefined) ?? []), ...(output as unknown[])]);
      return [];
    }
    if (existing !== undefined) {
      return [`functions with unmergeable output types; output of ${this.instance} discarded`];
    }
    this.byType.set(outputType, output);
    return [];
  }

  private addValidation(
    functionName: string,
    index: number,
    result: ValidationResult,
    named: boolean,
  ): string[] {
    const messages = result.Passed
      ? []
      : [`function failed: ${functionName} at ${index} on ${this.instance}`];
    if (this.combineValidationResults) {
      const previous = (this.byType.get("ValidationResult") as ValidationResult | undefined) ?? {
        Passed: true,
        Index: 0,
      };
      // Spec §3.2: Passed is AND-ed, Details are the new ones followed by the old; everything else,
      // Index and FailedAttributes included, comes from the newest result.
      const details = [...(result.Details ?? []), ...(previous.Details ?? [])];
      const combined: ValidationResult = { ...result, Passed: result.Passed && previous.Passed };
      delete combined.Details;
      if (details.length > 0) combined.Details = details;
      this.byType.set("ValidationResult", reorderValidationResult(combined));
    } else {
      const list = (this.byType.get("ValidationResultList") as ValidationResult[] | undefined) ?? [];
      const name = named ? { FunctionName: functionName } : {};
      list.push(reorderValidationResult({ ...result, Index: index, ...name }));
      this.byType.set("ValidationResultList", list);
    }
    return messages;
  }

  get isEmpty(): boolean {
    return this.byType.size === 0;
  }

  /** The first output type produced: V25's single `OutputType`. */
  get primaryType(): OutputType | "" {
    const first = this.byType.keys().next();
    return first.done ? "" : first.value;
  }

  get(outputType: OutputType): unknown {
    return this.byType.get(outputType);
  }

  /** Output types in the order they were first produced. */
  entries(): [OutputType, unknown][] {
    return [...this.byType.entries()];
  }
}

/** Go field order: Passed, Index, FunctionName, Details, FailedAttributes, then anything else. */
function reorderValidationResult(result: ValidationResult): ValidationResult {
  const { Passed, Index, FunctionName, Details, FailedAttributes, ...rest } = result;
  return {
    Passed,
    Index,
    ...(FunctionName !== undefined ? { FunctionName } : {}),
    ...(Details !== undefined ? { Details } : {}),
    ...(FailedAttributes !== undefined ? { FailedAttributes } : {}),
    ...rest,
  };
}

// What crosses to an engine thread and back (engine-pool.ts sends, engine-thread.ts answers): a
// message is a list of items, each a Unit to run or a text to check, and its answer is one result
// per item, in order. All plain data (structured clone): an error thrown on a thread comes back as
// its message, on its own item only.
import type { ToolchainType } from "../engine/index.ts";
import type { SelectedUnit } from "../store/index.ts";
import type { UnitDataCheck } from "../store/unit-data-check.ts";
import type { UnitRunPlan } from "./run-unit.ts";
import type { DataCondition } from "./selection.ts";
import type { TriggerNames } from "./trigger-origin.ts";
import type { UnitOutcome } from "./unit-steps.ts";

/** A data condition as text: its prepared form holds compiled regexes, which do not cross threads. */
export interface ConditionSource {
  readonly whereData: string;
  readonly resourceType: string;
  readonly origin: string;
}

export function conditionSource(condition: DataCondition): ConditionSource {
  return {
    whereData: condition.whereData.source,
    resourceType: condition.resourceType,
    origin: condition.origin,
  };
}

/** One Unit to run (EnginePool.run). */
export interface EngineTask {
  readonly unit: SelectedUnit;
  readonly conditions: readonly ConditionSource[];
  readonly plan: UnitRunPlan;
  readonly triggerNames: TriggerNames | undefined;
  /** Whether the call saves changed data: a changed Unit then comes back as the change to save. */
  readonly writes: boolean;
}

/** Data a bridge worker returned, to check that it parses (EnginePool.checkData). */
export interface DataCheckTask {
  readonly text: string;
  readonly toolchain: ToolchainType;
}

/** A Unit's new data from a create or update, to check and derive its columns from (EnginePool.checkUnitData). */
export interface UnitDataTask {
  readonly text: string;
  readonly toolchain: string;
  /** The request's field, for the problem's wording. */
  readonly field: string;
}

/** One item of a message to a thread. */
export type EngineItem =
  | { readonly kind: "run"; readonly task: EngineTask }
  | { readonly kind: "check"; readonly task: DataCheckTask }
  | { readonly kind: "unit-data"; readonly task: UnitDataTask };

/** An error thrown on a thread while it handled one item (that item alone fails). */
export interface ThrownOnThread {
  readonly thrown: string;
}

/** A run's result: the Unit's outcome (its element, or a writing call's change), null when a filter left it out. */
export type RunResult = UnitOutcome | null | ThrownOnThread;

/** A check's result: null when the text parses, else the ConfigDataError's message and position. */
export type CheckResult = { message: string; line?: number; column?: number } | null | ThrownOnThread;

/** A Unit data check's result: its columns, or the problem worded for the API. */
export type UnitDataResult = UnitDataCheck | ThrownOnThread;

/** One item's result: a RunResult for a run, a CheckResult for a check, a UnitDataResult for Unit data. */
export type EngineItemResult = RunResult | CheckResult | UnitDataResult;

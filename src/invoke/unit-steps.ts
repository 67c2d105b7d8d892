// The steps of one Unit's run that need neither the database nor a bridge worker: the data
// conditions, the engine run, the response element, and for a writing call's changed Unit what its
// save needs (the data's derived columns included). The main thread's UnitRunner and the engine
// threads (engine-thread.ts) both build their outcomes from these, so a Unit's element is the same
// whichever thread ran it. Runtime imports stay below the store (types only from it, and its
// unit-data-columns.ts, which loads no database code), so a thread loads no database code.
import {
  ConfigDataError,
  NIL_UUID,
  type ExecutionResult,
  type FunctionInvocation,
  type FunctionLookup,
  type RemoteExecutor,
  type ResourceMutationList,
  type StepReport,
} from "../engine/index.ts";
import type { SelectedUnit } from "../store/index.ts";
import { unitDataColumns, type UnitDataColumns } from "../store/unit-data-columns.ts";
import { matchDataConditions } from "./data-conditions.ts";
import {
  failedElement,
  resultElement,
  type ElementUnit,
  type WireFunctionInvocationsResponse,
} from "./response-element.ts";
import { executedInvocations, runUnit, type UnitRunPlan, type UnitRunTarget } from "./run-unit.ts";
import type { DataCondition } from "./selection.ts";
import { triggerOrigin, type TriggerNames } from "./trigger-origin.ts";

/** What the data conditions made of a Unit: run it, answer with an element, or leave it out. */
export type DataStep =
  | { readonly run: UnitRunTarget }
  | { readonly element: WireFunctionInvocationsResponse }
  | { readonly skipped: true };

/** The Unit's data against the call's data conditions (where_data, resource_type). */
export function dataStep(
  unit: SelectedUnit,
  element: ElementUnit,
  toolchain: UnitRunPlan["toolchain"],
  conditions: readonly DataCondition[],
): DataStep {
  const data = matchDataConditions(unit.data, toolchain, conditions);
  if ("error" in data) return { element: failedElement(element, unit.data, dataFailure(data.error)) };
  if (!data.matches) return { skipped: true };
  return {
    run: {
      unit,
      data: unit.data,
      ...(data.documents !== undefined ? { documents: data.documents } : {}),
      revisionId: unit.head_revision_id,
      revisionNum: unit.head_revision_num,
    },
  };
}

/** The engine's result, or the element of a Unit whose data does not parse. */
export async function engineStep(
  functions: FunctionLookup,
  element: ElementUnit,
  target: UnitRunTarget,
  plan: UnitRunPlan,
  workers?: RemoteExecutor,
): Promise<{ readonly result: ExecutionResult } | { readonly element: WireFunctionInvocationsResponse }> {
  try {
    return { result: await runUnit(functions, target, plan, workers) };
  } catch (error) {
    if (error instanceof ConfigDataError)
      return { element: failedElement(element, target.unit.data, dataFailure(error.message)) };
    throw error;
  }
}

/** Names a failed step of one of the Space's triggers in its message (no triggers: none to name). */
export function originOf(names: TriggerNames | undefined, result: ExecutionResult) {
  return (index: number | undefined) => (names ? triggerOrigin(names, result.steps, index) : undefined);
}

/** Everything a Unit's run off the database needs, all of it plain data (it crosses to a thread). */
export interface ThreadRun {
  readonly unit: SelectedUnit;
  readonly conditions: readonly DataCondition[];
  /** The Space's Mutation triggers are in plan.triggers; their names here (none on a Revision run). */
  readonly plan: UnitRunPlan;
  readonly triggerNames: TriggerNames | undefined;
  /** Whether the call saves changed data (the Unit's ChangeSet was checked before it came here). */
  readonly writes: boolean;
}

/** What a Unit's run came to before any save: its element, or a change the call is to save. */
export type UnitOutcome =
  { readonly element: WireFunctionInvocationsResponse } | { readonly change: UnitChange };

/** A writing call's changed Unit: what its save needs, and its element once saved. */
export interface UnitChange {
  /** The element as it is once the change is saved, but for its RevisionID (the new Revision's). */
  readonly element: WireFunctionInvocationsResponse;
  /** The new data with its derived columns (digests, the where_data copy). */
  readonly dataColumns: UnitDataColumns;
  readonly functionInvocations: FunctionInvocation[];
  readonly mutations: ResourceMutationList;
  /** The engine's step reports (the Space's trigger verdicts set the gates; saved calls the causes). */
  readonly steps: readonly StepReport[];
}

/** Why a changed Unit whose functions failed was not saved. */
export const NOTHING_WRITTEN_FUNCTION_FAILED = "nothing was written: a function failed";

/**
 * The outcome of a Unit's run on an engine thread, or undefined when a filter left it out: the same
 * steps, in the same order, as UnitRunner takes on the main thread.
 */
export async function unitOutcome(
  functions: FunctionLookup,
  run: ThreadRun,
): Promise<UnitOutcome | undefined> {
  // Bridge-worker steps never come here: calls and Spaces that name a worker stay on UnitRunner.
  const element = elementUnit(run.unit, run.unit.head_revision_id);
  const data = dataStep(run.unit, element, run.plan.toolchain, run.conditions);
  if ("skipped" in data) return undefined;
  if ("element" in data) return data;
  const engine = await engineStep(functions, element, data.run, run.plan);
  if ("element" in engine) return engine;
  if (engine.result.filteredOut) return undefined;
  return resultOutcome(element, engine.result, run);
}

/** The outcome of an engine result that did not filter its Unit out. */
export function resultOutcome(
  element: ElementUnit,
  result: ExecutionResult,
  run: Pick<ThreadRun, "unit" | "plan" | "triggerNames" | "writes">,
): UnitOutcome {
  const origin = originOf(run.triggerNames, result);
  if (!run.writes || !result.dataChanged) return { element: resultElement(element, result, { origin }) };
  if (!result.success) {
    return { element: resultElement(element, result, { origin, notes: [NOTHING_WRITTEN_FUNCTION_FAILED] }) };
  }
  return {
    change: {
      element: resultElement(element, result),
      // Computed where the engine ran (on a thread, in parallel with the main thread's saves), from
      // the documents it edited (plan.returnDocuments) rather than a second parse of the data.
      dataColumns: unitDataColumns(result.configData, run.unit.toolchain_type, result.documents),
      functionInvocations: executedInvocations(result, run.plan),
      mutations: result.mutations,
      steps: result.steps,
    },
  };
}

export function elementUnit(unit: SelectedUnit, revisionId: string | null): ElementUnit {
  return {
    unitId: unit.unit_id,
    unitSlug: unit.slug,
    spaceId: unit.space_id,
    spaceSlug: unit.space_slug,
    organizationId: unit.organization_id,
    revisionId: revisionId ?? NIL_UUID,
  };
}

export function dataFailure(message: string) {
  return { status: 422, type: "CONFIG_DATA_INVALID", category: "data", messages: [message] } as const;
}

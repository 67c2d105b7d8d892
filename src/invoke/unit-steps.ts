// The steps of one Unit's run that need neither the database nor a bridge worker: the data
// conditions, the engine run and the response element of a run that writes nothing. The main
// thread's UnitRunner and the engine threads (engine-thread.ts) both build their elements from
// these, so a Unit's element is the same whichever thread ran it. Runtime imports stay below the
// store (types only from it), so a thread loads no database code.
import {
  ConfigDataError,
  NIL_UUID,
  type ExecutionResult,
  type FunctionLookup,
  type RemoteExecutor,
} from "../engine/index.ts";
import type { SelectedUnit } from "../store/index.ts";
import { matchDataConditions } from "./data-conditions.ts";
import {
  failedElement,
  resultElement,
  type ElementUnit,
  type WireFunctionInvocationsResponse,
} from "./response-element.ts";
import { runUnit, type UnitRunPlan, type UnitRunTarget } from "./run-unit.ts";
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

/** Everything a Unit's run that writes nothing needs, all of it plain data (it crosses to a thread). */
export interface UnsavedRun {
  readonly unit: SelectedUnit;
  readonly conditions: readonly DataCondition[];
  /** The Space's Mutation triggers are in plan.triggers; their names here (none on a Revision run). */
  readonly plan: UnitRunPlan;
  readonly triggerNames: TriggerNames | undefined;
}

/**
 * The element of a Unit in a call that writes nothing (a dry run), or undefined when a filter left
 * it out: the same steps, in the same order, as UnitRunner.unit takes on the main thread.
 */
export async function unsavedElement(
  functions: FunctionLookup,
  run: UnsavedRun,
): Promise<WireFunctionInvocationsResponse | undefined> {
  // Bridge-worker steps never come here: calls and Spaces that name a worker stay on UnitRunner.
  const element = elementUnit(run.unit, run.unit.head_revision_id);
  const data = dataStep(run.unit, element, run.plan.toolchain, run.conditions);
  if ("skipped" in data) return undefined;
  if ("element" in data) return data.element;
  const engine = await engineStep(functions, element, data.run, run.plan);
  if ("element" in engine) return engine.element;
  if (engine.result.filteredOut) return undefined;
  return resultElement(element, engine.result, { origin: originOf(run.triggerNames, engine.result) });
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

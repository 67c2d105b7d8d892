// One Unit's run within an invocation: the data conditions (where_data, resource_type), the
// ChangeSet check, the engine (the request's functions, then the Space's Mutation triggers if the
// data changed) and, when the request writes, the save. Returns the Unit's response element, or
// SKIPPED for a Unit a filter left out.
import { ConfigDataError, NIL_UUID, type ExecutionResult } from "../engine/index.ts";
import type { SelectedUnit, WriteContext } from "../store/index.ts";
import { nextGates } from "./apply-gates.ts";
import { changeSetMismatch } from "./change-set-check.ts";
import { matchDataConditions } from "./data-conditions.ts";
import type { InvokeDependencies } from "./dependencies.ts";
import type { InvokeRequest } from "./invoke-request.ts";
import {
  failedElement,
  resultElement,
  type ElementUnit,
  type WireFunctionInvocationsResponse,
} from "./response-element.ts";
import { executedInvocations, runUnit, type UnitRunPlan, type UnitRunTarget } from "./run-unit.ts";
import { savedCauses } from "./saved-invocations.ts";
import type { ResolvedSelection } from "./selection.ts";
import { SpaceTriggerCache, SpaceTriggers, triggerOrigin } from "./space-triggers.ts";
import { streamUnits } from "./unit-stream.ts";
import type { WorkerDispatch } from "./worker-dispatch.ts";
import { WriteBuffer } from "./write-buffer.ts";

/** A Unit left out of the response: a filter (NumFilters or the data conditions) skipped it. */
export const SKIPPED = Symbol("skipped");

/** Runs one Unit through the engine and, when the request writes, saves its change. */
export class UnitRunner {
  private readonly triggers: SpaceTriggerCache;
  /** Where the changed Units are saved, a batch per transaction; run each Unit under `saves.track`. */
  readonly saves: WriteBuffer;

  constructor(
    private readonly deps: InvokeDependencies,
    private readonly request: InvokeRequest,
    private readonly selection: ResolvedSelection,
    private readonly saved: UnitRunPlan["saved"],
    private readonly writer: WriteContext,
    private readonly writes: boolean,
    private readonly workers: WorkerDispatch,
  ) {
    this.triggers = new SpaceTriggerCache(deps.db, request.organizationId);
    this.saves = new WriteBuffer(deps.db, deps.writeBatchUnits);
  }

  /** The Unit of `unit_id` with its Revision's data in place of its own (a Revision run). */
  async *revisionTarget(units: ResolvedSelection["units"]): AsyncGenerator<SelectedUnit> {
    const revision = this.selection.revision!;
    for await (const unit of streamUnits(this.deps.db, units)) {
      yield {
        ...unit,
        data: revision.data,
        head_revision_id: revision.revision_id,
        head_revision_num: revision.revision_num,
      };
    }
  }

  async unit(unit: SelectedUnit): Promise<WireFunctionInvocationsResponse | typeof SKIPPED> {
    const { request } = this;
    const element = elementUnit(unit, unit.head_revision_id);
    const data = matchDataConditions(unit.data, request.toolchain, this.selection.dataConditions);
    if ("error" in data) return failedElement(element, unit.data, dataFailure(data.error));
    if (!data.matches) return SKIPPED;
    const target: UnitRunTarget = {
      unit,
      data: unit.data,
      ...(data.documents !== undefined ? { documents: data.documents } : {}),
      revisionId: unit.head_revision_id,
      revisionNum: unit.head_revision_num,
    };
    if (this.writes && unit.change_set_id !== request.changeSetId) {
      const message = changeSetMismatch(unit, request.changeSetId);
      return failedElement(element, unit.data, {
        status: 409,
        type: "CONFLICT",
        category: "conflict",
        messages: [message],
      });
    }

    // A Revision run changes nothing, so no trigger fires on it.
    const triggers = this.selection.revision
      ? undefined
      : await this.triggers.get(unit.space_id, unit.space_slug);
    // The workers the Space's triggers name: known before the engine plans (a missing one is "not available").
    for (const trigger of triggers?.saved ?? []) {
      if (trigger.BridgeWorkerID && trigger.BridgeWorkerID !== NIL_UUID)
        await this.workers.load(trigger.BridgeWorkerID);
    }
    const plan: UnitRunPlan = {
      toolchain: request.toolchain,
      bridgeWorkerId: request.bridgeWorkerId,
      invocations: request.invocations,
      saved: this.saved,
      triggers: triggers?.saved ?? [],
      options: request.options,
    };
    let result: ExecutionResult;
    try {
      result = await runUnit(this.deps.functions, target, plan, this.workers);
    } catch (error) {
      if (error instanceof ConfigDataError)
        return failedElement(element, unit.data, dataFailure(error.message));
      throw error;
    }
    if (result.filteredOut) return SKIPPED;
    const origin = (index: number | undefined) =>
      triggers ? triggerOrigin(triggers, result.steps, index) : undefined;

    if (!this.writes || !result.dataChanged) return resultElement(element, result, { origin });
    if (!result.success) {
      return resultElement(element, result, { origin, notes: ["nothing was written: a function failed"] });
    }
    return this.save(unit, element, result, plan, triggers ?? new SpaceTriggers(unit.space_slug, []));
  }

  private async save(
    unit: SelectedUnit,
    element: ElementUnit,
    result: ExecutionResult,
    plan: UnitRunPlan,
    triggers: SpaceTriggers,
  ): Promise<WireFunctionInvocationsResponse> {
    const outcome = await this.saves.save({
      unit,
      data: result.configData,
      functionInvocations: executedInvocations(result, plan),
      mutations: result.mutations,
      gates: nextGates(
        { applyGates: unit.apply_gates, applyWarnings: unit.apply_warnings },
        triggers,
        result.steps,
      ),
      changeDescription: this.request.changeDescription,
      subgroup: this.request.subgroup,
      writer: this.writer,
      causes: savedCauses(result.steps),
    });
    if (!outcome.written) {
      const failure = {
        status: 409,
        type: "CONFLICT",
        category: "conflict",
        messages: [outcome.conflict],
      } as const;
      return resultElement(element, result, { failure });
    }
    return resultElement({ ...element, revisionId: outcome.revisionId }, result);
  }
}

function elementUnit(unit: SelectedUnit, revisionId: string | null): ElementUnit {
  return {
    unitId: unit.unit_id,
    unitSlug: unit.slug,
    spaceId: unit.space_id,
    spaceSlug: unit.space_slug,
    organizationId: unit.organization_id,
    revisionId: revisionId ?? NIL_UUID,
  };
}

function dataFailure(message: string) {
  return { status: 422, type: "CONFIG_DATA_INVALID", category: "data", messages: [message] } as const;
}

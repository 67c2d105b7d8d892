// One Unit's run within an invocation: the data conditions (where_data, resource_type), the
// ChangeSet check, the engine (the request's functions, then the Space's Mutation triggers if the
// data changed) and, when the request writes, the save. Returns the Unit's response element, or
// SKIPPED for a Unit a filter left out. In a call that names no bridge worker, Units after the first
// few go to the engine threads (EnginePool) when the server runs them; a changed Unit of a writing
// call comes back from its thread as the change to save, and is saved here, on the main thread.
import { NIL_UUID, type SavedInvocation } from "../engine/index.ts";
import type { SelectedUnit, WriteContext } from "../store/index.ts";
import { nextGates } from "./apply-gates.ts";
import { changeSetMismatch } from "./change-set-check.ts";
import type { InvokeDependencies } from "./dependencies.ts";
import { conditionSource, type ConditionSource } from "./engine-message.ts";
import type { EnginePool } from "./engine-pool.ts";
import type { InvokeRequest } from "./invoke-request.ts";
import { failedAfterwards, failedElement, type WireFunctionInvocationsResponse } from "./response-element.ts";
import type { UnitRunPlan } from "./run-unit.ts";
import { savedCauses } from "./saved-invocations.ts";
import type { ResolvedSelection } from "./selection.ts";
import { SpaceTriggerCache, SpaceTriggers } from "./space-triggers.ts";
import { dataStep, elementUnit, engineStep, resultOutcome, type UnitChange } from "./unit-steps.ts";
import { streamUnits } from "./unit-stream.ts";
import type { WorkerDispatch } from "./worker-dispatch.ts";
import { WriteBuffer } from "./write-buffer.ts";

/** A Unit left out of the response: a filter (NumFilters or the data conditions) skipped it. */
export const SKIPPED = Symbol("skipped");

/** The engine threads a call may use, and how many of its Units run on the main thread first. */
export interface CallThreads {
  readonly pool: EnginePool;
  readonly mainThreadUnits: number;
}

/** Runs one Unit through the engine and, when the request writes, saves its change. */
export class UnitRunner {
  private readonly triggers: SpaceTriggerCache;
  private readonly plans = new WeakMap<SpaceTriggers, UnitRunPlan>();
  private plainPlan: UnitRunPlan | undefined;
  /** Units handed to unit() so far (pMapIterable hands them in order). */
  private started = 0;
  /** The data conditions as they cross to a thread. */
  private readonly conditionSources: readonly ConditionSource[];
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
    private readonly threads?: CallThreads,
  ) {
    this.triggers = new SpaceTriggerCache(deps.db, request.organizationId);
    this.conditionSources = selection.dataConditions.map(conditionSource);
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
    // A call's first Units run here: a small call never waits for threads to start.
    const threads = this.threads;
    if (threads && this.started++ >= threads.mainThreadUnits) return this.onThread(unit, threads.pool);
    return this.onMainThread(unit);
  }

  private async onMainThread(unit: SelectedUnit): Promise<WireFunctionInvocationsResponse | typeof SKIPPED> {
    const { request } = this;
    const element = elementUnit(unit, unit.head_revision_id);
    const data = dataStep(unit, element, request.toolchain, this.selection.dataConditions);
    if ("skipped" in data) return SKIPPED;
    if ("element" in data) return data.element;
    if (this.writes && unit.change_set_id !== request.changeSetId) {
      const message = changeSetMismatch(unit, request.changeSetId);
      return failedElement(element, unit.data, {
        status: 409,
        type: "CONFLICT",
        category: "conflict",
        messages: [message],
      });
    }

    const triggers = await this.spaceTriggers(unit);
    // The workers the Space's triggers name: known before the engine plans (a missing one is "not available").
    for (const trigger of triggers?.saved ?? []) {
      if (onWorker(trigger)) {
        const name = trigger.source === undefined ? undefined : triggers?.names.get(trigger.source);
        await this.workers.load(trigger.BridgeWorkerID!, name);
      }
    }
    const plan = this.plan(triggers);
    const engine = await engineStep(this.deps.functions, element, data.run, plan, this.workers);
    if ("element" in engine) return engine.element;
    if (engine.result.filteredOut) return SKIPPED;
    const outcome = resultOutcome(element, engine.result, {
      unit,
      plan,
      triggerNames: triggers?.names,
      writes: this.writes,
    });
    if ("element" in outcome) return outcome.element;
    return this.save(unit, outcome.change, triggers);
  }

  /**
   * The Unit on an engine thread: the Space's triggers are read here (the database stays on this
   * thread) and go with the Unit; a change comes back to be saved here. A Space whose triggers run
   * on a bridge worker keeps its Units here, and so does a writing call's Unit of another ChangeSet
   * (its element is a conflict, once the data conditions let it through).
   */
  private async onThread(
    unit: SelectedUnit,
    pool: EnginePool,
  ): Promise<WireFunctionInvocationsResponse | typeof SKIPPED> {
    if (this.writes && unit.change_set_id !== this.request.changeSetId) return this.onMainThread(unit);
    const triggers = await this.spaceTriggers(unit);
    if (triggers?.saved.some(onWorker)) return this.onMainThread(unit);
    let outcome;
    try {
      outcome = await pool.run({
        unit,
        conditions: this.conditionSources,
        plan: this.plan(triggers),
        triggerNames: triggers?.names,
        writes: this.writes,
      });
    } catch (error) {
      return failedElement(elementUnit(unit, unit.head_revision_id), unit.data, threadFailure(error));
    }
    if (outcome === undefined) return SKIPPED;
    if ("element" in outcome) return outcome.element;
    return this.save(unit, outcome.change, triggers);
  }

  /** The Space's Mutation triggers; none on a Revision run, which changes nothing. */
  private async spaceTriggers(unit: SelectedUnit): Promise<SpaceTriggers | undefined> {
    return this.selection.revision ? undefined : this.triggers.get(unit.space_id, unit.space_slug);
  }

  /**
   * The run plan for a Space's Units: one object per Space (and one for a Revision run), so the
   * Units of a batch sent to an engine thread share it and it is cloned once per batch.
   */
  private plan(triggers: SpaceTriggers | undefined): UnitRunPlan {
    const cached = triggers ? this.plans.get(triggers) : this.plainPlan;
    if (cached) return cached;
    const { request } = this;
    const plan: UnitRunPlan = {
      toolchain: request.toolchain,
      bridgeWorkerId: request.bridgeWorkerId,
      invocations: request.invocations,
      saved: this.saved,
      triggers: triggers?.saved ?? [],
      options: request.options,
      returnDocuments: this.writes,
    };
    if (triggers) this.plans.set(triggers, plan);
    else this.plainPlan = plan;
    return plan;
  }

  /** Saves the Unit's change (with the next batch); its element says the new Revision, or the conflict. */
  private async save(
    unit: SelectedUnit,
    change: UnitChange,
    triggers: SpaceTriggers | undefined,
  ): Promise<WireFunctionInvocationsResponse> {
    const outcome = await this.saves.save({
      unit,
      data: change.dataColumns.data,
      dataColumns: change.dataColumns,
      functionInvocations: change.functionInvocations,
      mutations: change.mutations,
      gates: nextGates(
        { applyGates: unit.apply_gates, applyWarnings: unit.apply_warnings },
        triggers ?? new SpaceTriggers(unit.space_slug, []),
        change.steps,
      ),
      changeDescription: this.request.changeDescription,
      subgroup: this.request.subgroup,
      writer: this.writer,
      causes: savedCauses(change.steps),
    });
    if (!outcome.written) {
      return failedAfterwards(change.element, {
        status: 409,
        type: "CONFLICT",
        category: "conflict",
        messages: [outcome.conflict],
      });
    }
    return { ...change.element, RevisionID: outcome.revisionId };
  }
}

/** A saved call or trigger that runs on a bridge worker (not the built-in executor). */
export function onWorker(saved: SavedInvocation): boolean {
  return Boolean(saved.BridgeWorkerID) && saved.BridgeWorkerID !== NIL_UUID;
}

/** An engine thread that failed on the Unit (a bug, or the thread died): that Unit's element fails. */
function threadFailure(error: unknown) {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    status: 500,
    type: "INTERNAL",
    category: "function",
    messages: [`the engine thread running this Unit's functions failed: ${reason}`],
  } as const;
}

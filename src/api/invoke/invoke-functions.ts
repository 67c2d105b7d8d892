// The invoke pipeline, for one Space or the whole organization:
//   1. check everything that can make the request itself wrong, before anything runs or is written
//      (functions and arguments, saved Invocations/Triggers, Space, Filter, where/where_data syntax,
//      Revision, ChangeSet): 400 / 404 / 409;
//   2. stream the selected Units from the database in batches and run the engine on each with
//      bounded concurrency (pMapIterable keeps the order and reads ahead only as far as it runs):
//      the explicit functions, the saved ones, then, if the data changed, the Space's Mutation
//      triggers, phased, exactly as a write would;
//   3. unless it is a dry run or a Revision run, save each changed Unit (one Revision, one
//      Mutation, Version-guarded; a conflict fails only that Unit's element);
//   4. answer 200 when every element succeeded, 207 when any failed, 422 when no Unit's data could
//      be processed at all. Elements that a filter skipped (NumFilters, where_data) are left out.
import type { Kysely } from "kysely";
import type { Readable } from "node:stream";
import { pMapIterable } from "p-map";
import type { ExecutionResult } from "../../engine/index.ts";
import { ConfigDataError, NIL_UUID } from "../../engine/index.ts";
import type { DatabaseSchema } from "../../store/schema.ts";
import type { SelectedUnit } from "../../store/unit-selection.ts";
import type { WriteContext } from "../../store/units.ts";
import { unprocessable } from "../errors.ts";
import { nextGates } from "./apply-gates.ts";
import { changeSetMismatch, checkChangeSet } from "./change-set-check.ts";
import { checkInvocations, type FunctionCatalogue } from "./check-invocations.ts";
import { matchDataConditions } from "./data-conditions.ts";
import { mayWrite, type InvokeRequest } from "./invoke-request.ts";
import {
  failedElement,
  resultElement,
  type ElementUnit,
  type WireFunctionInvocationsResponse,
} from "./response-element.ts";
import { ResponseSpool } from "./response-spool.ts";
import { executedInvocations, runUnit, type UnitRunPlan, type UnitRunTarget } from "./run-unit.ts";
import { loadSavedInvocations } from "./saved-invocations.ts";
import { resolveSelection, type ResolvedSelection } from "./selection.ts";
import { SpaceTriggerCache, SpaceTriggers, triggerOrigin } from "./space-triggers.ts";
import { boundedSelection, streamUnits } from "./unit-stream.ts";
import { writeInvokeResult } from "./write-result.ts";

/** Units run at once: overlaps database reads and writes with the (single-threaded) function runs. */
export const DEFAULT_CONCURRENCY = 8;

export interface InvokeDependencies {
  readonly db: Kysely<DatabaseSchema>;
  readonly functions: FunctionCatalogue;
  readonly concurrency?: number;
  readonly batchSize?: number;
  /** Response JSON kept in memory before it spills to a temporary file. */
  readonly spoolMemoryBytes?: number;
}

export interface InvokeResponse {
  readonly status: 200 | 207;
  /** The JSON array of FunctionInvocationsResponse elements. */
  readonly body: Readable;
  readonly elements: number;
}

/** A Unit left out of the response: a filter (NumFilters or the data conditions) skipped it. */
const SKIPPED = Symbol("skipped");

export async function invokeFunctions(
  deps: InvokeDependencies,
  request: InvokeRequest,
  writer: WriteContext,
): Promise<InvokeResponse> {
  const { db, functions } = deps;
  const cast = request.options.castStringArgsToScalars;
  checkInvocations(
    functions,
    request.toolchain,
    request.invocations.map((invocation, i) => ({
      ...invocation,
      location: `body/FunctionInvocations/${i}`,
    })),
    { cast },
  );
  const saved = await loadSavedInvocations(db, functions, request);
  const selection = await resolveSelection(db, request);
  const units = await boundedSelection(db, selection.units, selection.where);
  const writes = mayWrite(request);
  if (writes) await checkChangeSet(db, request, units, selection.dataConditions);

  const run = new UnitRunner(deps, request, selection, saved, writer, writes);
  const source = selection.revision ? run.revisionTarget(units) : streamUnits(db, units, deps.batchSize);
  const spool = new ResponseSpool(
    deps.spoolMemoryBytes !== undefined ? { memoryLimitBytes: deps.spoolMemoryBytes } : {},
  );
  let failed = 0;
  const unprocessed: string[] = [];
  try {
    const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
    const elements = pMapIterable(source, (unit) => run.unit(unit), {
      concurrency,
      backpressure: concurrency,
    });
    for await (const element of elements) {
      if (element === SKIPPED) continue;
      if (!element.Success) {
        failed++;
        if (element.Error?.Type === "CONFIG_DATA_INVALID") {
          unprocessed.push(`Unit ${element.UnitSlug}: ${element.Error.Details[0] ?? ""}`);
        }
      }
      await spool.add(element);
    }
  } catch (error) {
    await spool.discard();
    throw error;
  }
  if (spool.length > 0 && unprocessed.length === spool.length) {
    await spool.discard();
    const shown = unprocessed.slice(0, 3).join("; ");
    const more = unprocessed.length > 3 ? `; and ${unprocessed.length - 3} more` : "";
    throw unprocessable(`no Unit's configuration data could be processed: ${shown}${more}`);
  }
  return { status: failed > 0 ? 207 : 200, body: await spool.body(), elements: spool.length };
}

/** Runs one Unit through the engine and, when the request writes, saves its change. */
class UnitRunner {
  private readonly triggers: SpaceTriggerCache;

  constructor(
    private readonly deps: InvokeDependencies,
    private readonly request: InvokeRequest,
    private readonly selection: ResolvedSelection,
    private readonly saved: UnitRunPlan["saved"],
    private readonly writer: WriteContext,
    private readonly writes: boolean,
  ) {
    this.triggers = new SpaceTriggerCache(deps.db, request.organizationId);
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
    const target: UnitRunTarget = {
      unit,
      data: unit.data,
      revisionId: unit.head_revision_id,
      revisionNum: unit.head_revision_num,
    };
    const element = elementUnit(unit, unit.head_revision_id);

    const data = matchDataConditions(unit.data, request.toolchain, this.selection.dataConditions);
    if ("error" in data) return failedElement(element, unit.data, dataFailure(data.error));
    if (!data.matches) return SKIPPED;
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
    const plan: UnitRunPlan = {
      toolchain: request.toolchain,
      invocations: request.invocations,
      saved: this.saved,
      triggers: triggers?.saved ?? [],
      options: request.options,
    };
    let result: ExecutionResult;
    try {
      result = await runUnit(this.deps.functions, target, plan);
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
    const outcome = await writeInvokeResult(this.deps.db, {
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

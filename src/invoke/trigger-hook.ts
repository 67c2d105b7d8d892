// The data-change hook the store's writeUnitData runs inside every Data write that does not run
// the triggers itself (creating a Unit, updating its Data): the Space's enabled Mutation triggers
// run on the new data, in the same transaction, phased by the engine. Mutating triggers change
// the data that is written (one Revision for the whole change); validating ones set or clear
// their ApplyGates. A trigger that fails with an error (not a failed validation: an exception,
// bad arguments, a missing function) fails the write with an InvokeError TRIGGER_FAILED (422) naming
// the trigger, as it fails an invocation's element: nothing is saved that the Space's triggers could
// not check. The API builds the hook once and hands it to the routes that write data.
// (Function invocations run the triggers in their own engine run: see invoke-functions.ts.)
// A trigger on a bridge worker is not called here: that would hold the write transaction (and its
// database connection and row locks) open while waiting on the network for up to the worker's
// timeout. Instead it fails closed: a validating one sets its ApplyGate (or ApplyWarning), which the
// next function invocation that changes the Unit's data recomputes by running it on the worker; a
// mutating one runs on that invocation too. docs/worker-dispatch.md says so.
import type { FunctionLookup, SavedInvocation, StepReport } from "../engine/index.ts";
import { ConfigDataError, isToolchainType, NIL_UUID } from "../engine/index.ts";
import { NotFoundError, type DataChangeHook, selectUnitBatch } from "../store/index.ts";
import { nextGates } from "./apply-gates.ts";
import { InvokeError } from "./errors.ts";
import { executedInvocations, runUnit } from "./run-unit.ts";
import { savedCauses } from "./saved-invocations.ts";
import { loadSpaceTriggers } from "./space-triggers.ts";
import { triggerOrigin } from "./trigger-origin.ts";

function onWorker(trigger: SavedInvocation): boolean {
  return Boolean(trigger.BridgeWorkerID) && trigger.BridgeWorkerID !== NIL_UUID;
}

/** A worker's trigger as a step that did not pass: its ApplyGate fails closed. */
function notRunHere(trigger: SavedInvocation): StepReport {
  return {
    index: -1,
    functionName: trigger.FunctionName,
    source: trigger.source,
    trigger: true,
    status: "failed",
    mutated: false,
  };
}

export function createTriggerHook(functions: FunctionLookup): DataChangeHook {
  return async (trx, change) => {
    const [unit] = await selectUnitBatch(
      trx,
      { organizationId: change.organizationId, unitId: change.unitId },
      undefined,
      1,
    );
    if (!unit) throw new NotFoundError("Unit", change.unitId);
    const current = { applyGates: unit.apply_gates, applyWarnings: unit.apply_warnings };
    const triggers = await loadSpaceTriggers(trx, unit.organization_id, unit.space_id, unit.space_slug);
    const unchanged = { data: change.data, functionInvocations: [], resourceMutations: [] };
    const local = triggers.saved.filter((trigger) => !onWorker(trigger));
    const pending = triggers.saved
      .filter((trigger) => onWorker(trigger) && trigger.ToolchainType === unit.toolchain_type)
      .map(notRunHere);
    if (local.length === 0 || !isToolchainType(unit.toolchain_type)) {
      return { ...unchanged, ...nextGates(current, triggers, pending) };
    }
    const plan = {
      toolchain: unit.toolchain_type,
      invocations: [],
      saved: [],
      triggers: local,
      changedSince: unit.data,
      options: {},
    };
    let result;
    try {
      result = await runUnit(
        functions,
        { unit, data: change.data, revisionId: null, revisionNum: unit.head_revision_num + 1 },
        plan,
      );
    } catch (error) {
      if (error instanceof ConfigDataError) {
        throw new InvokeError(
          "TRIGGER_DATA_INVALID",
          `Unit ${unit.slug}`,
          `Unit ${unit.slug}: the Space's triggers cannot run because the data does not parse: ${error.message}`,
          { cause: error },
        );
      }
      throw error;
    }
    if (!result.success) {
      const messages = result.errors.map(
        (error) =>
          `${triggerOrigin(triggers.names, result.steps, error.index) ?? "a trigger"}: ${error.message}`,
      );
      throw new InvokeError(
        "TRIGGER_FAILED",
        `Unit ${unit.slug}`,
        `Unit ${unit.slug}: the change was not saved because a trigger of Space ${unit.space_slug} failed: ` +
          `${messages.join("; ")}; fix the data or disable the trigger`,
      );
    }
    return {
      data: result.configData,
      ...nextGates(current, triggers, [...result.steps, ...pending]),
      functionInvocations: executedInvocations(result, plan),
      resourceMutations: result.mutations,
      triggerId: savedCauses(result.steps).triggerId ?? null,
    };
  };
}

// An engine thread's entry (EnginePool): runs a batch of Units of a call, with the standard function
// library, through the same steps as the main thread (unit-steps.ts); a writing call's changed Unit
// comes back as the change to save (the main thread saves it). Its data
// conditions arrive as text and are prepared once per call here (they passed the same preparation
// on the main thread before any Unit ran). checkConfigData parses data a bridge worker returned, as
// the main thread would, and answers only whether it parses.
import { standardFunctions } from "../../functions/index.ts";
import { ConfigDataError, FunctionRegistry, parseUnitText } from "../engine/index.ts";
import { prepareWhereData } from "../filter/in-memory.ts";
import type {
  ConditionSource,
  DataCheckResult,
  DataCheckTask,
  EngineTask,
  EngineTaskResult,
} from "./engine-pool.ts";
import type { DataCondition } from "./selection.ts";
import { unitOutcome } from "./unit-steps.ts";

const registry = FunctionRegistry.from(standardFunctions);
const loaded = registry.loadAll();

/** Prepared conditions of the last few calls, by their text. */
const prepared = new Map<string, DataCondition[]>();
const PREPARED_CALLS = 16;

function conditions(sources: readonly ConditionSource[]): DataCondition[] {
  if (sources.length === 0) return [];
  const key = JSON.stringify(sources);
  let conditions = prepared.get(key);
  if (!conditions) {
    conditions = sources.map((source) => ({
      whereData: prepareWhereData(source.whereData),
      resourceType: source.resourceType,
      origin: source.origin,
    }));
    if (prepared.size >= PREPARED_CALLS) prepared.delete(prepared.keys().next().value!);
    prepared.set(key, conditions);
  }
  return conditions;
}

/** Each Unit's outcome, in order; an error thrown on one Unit is that Unit's outcome alone. */
export default async function runEngineTasks(tasks: readonly EngineTask[]): Promise<EngineTaskResult[]> {
  await loaded;
  const results: EngineTaskResult[] = [];
  for (const task of tasks) {
    try {
      const outcome = await unitOutcome(registry, {
        unit: task.unit,
        conditions: conditions(task.conditions),
        plan: task.plan,
        triggerNames: task.triggerNames,
        writes: task.writes,
      });
      results.push(outcome ?? null);
    } catch (error) {
      results.push({ thrown: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}

/** EnginePool.checkData on this thread: null when the text parses, else the error's message and position. */
export function checkConfigData(task: DataCheckTask): DataCheckResult {
  try {
    parseUnitText(task.text, task.toolchain, "configuration data");
    return null;
  } catch (error) {
    if (!(error instanceof ConfigDataError)) throw error;
    return {
      message: error.message,
      ...(error.line === undefined ? {} : { line: error.line }),
      ...(error.column === undefined ? {} : { column: error.column }),
    };
  }
}

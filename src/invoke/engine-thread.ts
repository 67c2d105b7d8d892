// An engine thread's entry (EnginePool): answers a message of items (engine-message.ts), each with
// its own result, in order. A Unit to run goes, with the standard function library, through the
// same steps as on the main thread (unit-steps.ts); a writing call's changed Unit comes back as the
// change to save (the main thread saves it). Its data conditions arrive as text and are prepared
// once per call here (they passed the same preparation on the main thread before any Unit ran).
// A data check parses text a bridge worker returned, as the main thread would, and answers only
// whether it parses. A Unit data item is a create's or update's large data: its check and columns.
// An error thrown on one item is that item's result alone.
import { standardFunctions } from "../../functions/index.ts";
import { ConfigDataError, FunctionRegistry, parseUnitText } from "../engine/index.ts";
import { prepareWhereData } from "../filter/in-memory.ts";
import type {
  CheckResult,
  ConditionSource,
  DataCheckTask,
  EngineItem,
  EngineItemResult,
  EngineTask,
  RunResult,
} from "./engine-message.ts";
import type { DataCondition } from "./selection.ts";
import { unitOutcome } from "./unit-steps.ts";
import { checkUnitData } from "../store/unit-data-check.ts";

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

/** Each item's result, in order. */
export default async function runEngineItems(items: readonly EngineItem[]): Promise<EngineItemResult[]> {
  const results: EngineItemResult[] = [];
  for (const item of items) {
    try {
      results.push(
        item.kind === "run"
          ? await runUnit(item.task)
          : item.kind === "check"
            ? checkData(item.task)
            : checkUnitData(item.task.text, item.task.toolchain, item.task.field),
      );
    } catch (error) {
      results.push({ thrown: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}

/** EnginePool.run on this thread: the Unit's outcome, null when a filter left it out. */
async function runUnit(task: EngineTask): Promise<RunResult> {
  await loaded;
  const outcome = await unitOutcome(registry, {
    unit: task.unit,
    conditions: conditions(task.conditions),
    plan: task.plan,
    triggerNames: task.triggerNames,
    writes: task.writes,
  });
  return outcome ?? null;
}

/** EnginePool.checkData on this thread: null when the text parses, else the error's message and position. */
function checkData(task: DataCheckTask): CheckResult {
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

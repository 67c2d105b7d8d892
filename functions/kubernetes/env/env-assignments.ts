// The `KEY=VALUE` arguments of set-env. A key given twice counts once, at its first position, with
// its last value (ConfigHub appended a new key given twice twice). An empty value means "remove".
import { FunctionError } from "../../../src/engine/index.ts";

/** Keys in the order first given, each with its last value. */
export function parseEnvAssignments(items: readonly string[]): Map<string, string> {
  const assignments = new Map<string, string>();
  const problems: string[] = [];
  for (const item of items) {
    const separator = item.indexOf("=");
    if (separator < 0) {
      problems.push(`invalid key-value pair: ${item}`);
      continue;
    }
    const key = item.slice(0, separator);
    if (key === "") {
      problems.push(`invalid key: ${item}`);
      continue;
    }
    assignments.set(key, item.slice(separator + 1));
  }
  if (problems.length > 0) throw FunctionError.join(problems);
  if (assignments.size === 0) throw new FunctionError("no valid key-value pairs");
  return assignments;
}

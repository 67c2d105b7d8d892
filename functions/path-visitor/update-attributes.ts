// Setters built on the visitor: write one value at every visited location (spec §5.1, §5.3). Every
// problem is reported, one per line; the engine then keeps the data as it was before the function.
import { describeResource, type ConfigDocumentSet, type Scalar } from "../../src/config/index.ts";
import { isConfigError } from "../../src/config/index.ts";
import { FunctionError } from "../../src/engine/index.ts";
import { visitPaths, type PathTargets, type PathVisit } from "./visit-paths.ts";
import { writeAttribute } from "./write-attribute.ts";

/**
 * Sets `value` (or `value(visit)`) at every location the targets find.
 * @returns the number of locations whose value changed.
 * @throws FunctionError listing every location that could not be written.
 */
export function updateAttributes(
  data: ConfigDocumentSet,
  targets: PathTargets,
  value: Scalar | ((visit: PathVisit) => Scalar | undefined),
): number {
  let changed = 0;
  const problems: string[] = [];
  for (const visit of visitPaths(data, targets)) {
    const next = typeof value === "function" ? value(visit) : value;
    if (next === undefined) continue;
    try {
      if (writeAttribute(visit, next)) changed++;
    } catch (error) {
      if (error instanceof FunctionError) problems.push(error.message);
      else if (isConfigError(error)) problems.push(`${error.message} (${describeResource(visit.identity)})`);
      else throw error;
    }
  }
  if (problems.length > 0) throw FunctionError.join(problems);
  return changed;
}

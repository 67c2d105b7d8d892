// Which lines an edit removed and added (via the `diff` package), for asserting that an edit touches
// only the lines that hold the edited value.
import { diffLines } from "diff";

export interface LineChanges {
  removed: string[];
  added: string[];
}

export function lineChanges(before: string, after: string): LineChanges {
  const changes: LineChanges = { removed: [], added: [] };
  for (const part of diffLines(before, after)) {
    const lines = part.value.replace(/\n$/, "").split("\n");
    if (part.removed) changes.removed.push(...lines);
    else if (part.added) changes.added.push(...lines);
  }
  return changes;
}

// Per-path diff of one document's plain value (spec §4.2 "Path diff"): fast-json-patch compares the
// trees, and its operations are mapped to dot paths and MutationTypes. One rule of the spec needs a
// post-pass: a map that was empty (`resources: {}`) and now has keys is one Update of the whole map,
// not an Add per key. Unlike ConfigHub, a scalar turning into `{}` is recorded (an Update).
import jsonPatch from "fast-json-patch";
import type { MutationType } from "../types.ts";
import { parentPointer, pointerToDotPath, valueAtPointer } from "./paths.ts";

export interface PathChange {
  /** Escaped dot path ("" = the whole document). */
  path: string;
  type: Exclude<MutationType, "None" | "Replace">;
  /** The new value, or the removed value for Delete (plain). */
  value: unknown;
}

export function diffDocument(previous: unknown, current: unknown): PathChange[] {
  if (previous === current) return [];
  if (!isContainer(previous) || !isContainer(current) || Array.isArray(previous) !== Array.isArray(current)) {
    return sameScalar(previous, current) ? [] : [{ path: "", type: "Update", value: current }];
  }
  const changes = new Map<string, PathChange>();
  for (const op of jsonPatch.compare(previous, current)) {
    if (op.op === "remove") {
      set(changes, {
        path: pointerToDotPath(op.path, previous),
        type: "Delete",
        value: valueAtPointer(previous, op.path),
      });
    } else if (op.op === "replace") {
      set(changes, {
        path: pointerToDotPath(op.path, current),
        type: "Update",
        value: valueAtPointer(current, op.path),
      });
    } else if (op.op === "add") {
      const parent = parentPointer(op.path);
      const previousParent = valueAtPointer(previous, parent);
      if (isEmptyMap(previousParent) && parent !== "") {
        set(changes, {
          path: pointerToDotPath(parent, current),
          type: "Update",
          value: valueAtPointer(current, parent),
        });
      } else {
        set(changes, {
          path: pointerToDotPath(op.path, current),
          type: "Add",
          value: valueAtPointer(current, op.path),
        });
      }
    }
  }
  return [...changes.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function set(changes: Map<string, PathChange>, change: PathChange): void {
  changes.set(change.path, change);
}

function isContainer(value: unknown): value is object {
  return value !== null && typeof value === "object";
}

function isEmptyMap(value: unknown): boolean {
  return isContainer(value) && !Array.isArray(value) && Object.keys(value).length === 0;
}

function sameScalar(a: unknown, b: unknown): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

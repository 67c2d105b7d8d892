// Reading one visited location as a typed attribute (spec §1.2-§1.3, §5.1 getters): string, int and
// bool values only, the `#accessor` part of a string when one is registered, and the node's comments.
import { describeResource } from "../../src/config/index.ts";
import { FunctionError } from "../../src/engine/index.ts";
import type { PathVisit } from "./visit-paths.ts";

export type AttributeScalarType = "string" | "int" | "bool";

/** The type a getter asks for; `any` accepts each of string, int and bool as it is. */
export type ExpectedType = AttributeScalarType | "any";

export interface AttributeReading {
  readonly value: string | number | boolean;
  readonly dataType: AttributeScalarType;
  /** The resolved path, plus `#name` when an accessor extracted part of the value. */
  readonly path: string;
  readonly comment?: string;
}

/** Where a visit is, for error messages: `path spec.replicas of apps/v1/Deployment example/web`. */
export function describeLocation(visit: PathVisit, path = visit.resolved.path): string {
  return `path ${path} of ${describeResource(visit.identity)}`;
}

/**
 * The attribute at a visited location (which must exist).
 * @throws FunctionError `type <t> not supported at path …` for maps, lists, null and floats, and
 *   `value <v> at path … is of type <t> but expected <expected>` for a scalar of another type.
 */
export function readAttribute(visit: PathVisit, expected: ExpectedType): AttributeReading {
  const node = visit.node;
  if (!node) throw new FunctionError(`nothing to read at ${describeLocation(visit)}`);
  const type = node.kind === "scalar" ? node.type : node.kind === "map" ? "map" : "list";
  if (type !== "string" && type !== "int" && type !== "bool") {
    throw new FunctionError(`type ${type ?? node.kind} not supported at ${describeLocation(visit)}`);
  }
  let value = node.value as string | number | boolean;
  let path = visit.resolved.path;
  if (type === "string" && visit.accessor && visit.accessorName !== undefined) {
    value = visit.accessor.get(value as string, visit.accessorName);
    path = `${path}#${visit.accessorName}`;
  }
  if (expected !== "any" && expected !== type) {
    throw new FunctionError(
      `value ${String(value)} at path ${path} is of type ${type} but expected ${expected} (${describeResource(visit.identity)})`,
    );
  }
  return { value, dataType: type, path, ...(node.comment ? { comment: node.comment } : {}) };
}

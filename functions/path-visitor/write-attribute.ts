// Writing one visited location (spec §1.2-§1.3 "Writing"): typed scalars replace scalars of the same
// type (style and comments kept), a missing location is created only in upsert mode, and `#accessor`
// paths replace just their part of a string.
import { ConfigErrorCode, describeResource, isConfigError, type Scalar } from "../../src/config/index.ts";
import { FunctionError } from "../../src/engine/index.ts";
import { describeLocation, type AttributeScalarType } from "./read-attribute.ts";
import type { PathVisit } from "./visit-paths.ts";

function scalarTypeOf(value: Scalar): AttributeScalarType {
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "bool";
  return "int";
}

/**
 * Sets the attribute at a visited location to `value`.
 * - A location that does not exist (upsert visits) is created.
 * - An existing value must have the same type (a null value counts as empty and is replaced);
 *   otherwise: `value <v> at path … cannot be converted to <type>`.
 * - With an accessor, the named part of the current string is replaced; an empty part fails with
 *   `embedded field <name> not found at path <p>` (a setter never creates a missing part).
 * @returns whether the data changed.
 */
export function writeAttribute(visit: PathVisit, value: Scalar): boolean {
  const wanted = scalarTypeOf(value);
  const node = visit.node;
  if (node === undefined) return visit.document.set(visit.resolved, value, { upsert: true });
  const current = node.kind === "scalar" ? node.type : node.kind === "map" ? "map" : "list";
  if (current !== wanted && current !== "null") {
    const shown = node.kind === "scalar" ? String(node.value) : `(a ${current})`;
    throw new FunctionError(`value ${shown} at ${describeLocation(visit)} cannot be converted to ${wanted}`);
  }
  let next: Scalar = value;
  if (visit.accessor && visit.accessorName !== undefined) {
    if (current !== "string") {
      throw new FunctionError(
        `embedded field ${visit.accessorName} not found at path ${visit.resolved.path}`,
      );
    }
    next = setEmbeddedField(visit, node.value as string, String(value));
  }
  if (current === wanted && node.value === next) return false;
  return visit.document.set(visit.resolved, next);
}

/**
 * Replaces the accessor's part of `current`. A part that is empty cannot be replaced (a setter never
 * creates one); the message shows the value and, for an image without a tag or digest, what to do.
 */
function setEmbeddedField(visit: PathVisit, current: string, replacement: string): string {
  const name = visit.accessorName!;
  try {
    return visit.accessor!.set(current, name, replacement, visit.resolved.path);
  } catch (error) {
    if (!isConfigError(error) || error.code !== ConfigErrorCode.EmbeddedFieldNotFound) throw error;
    const advice =
      name === "reference"
        ? `the image ${JSON.stringify(current)} has no tag or digest to replace; set the whole image instead (set-image <container> ${current}${replacement})`
        : `the value ${JSON.stringify(current)} has no ${name} part to replace`;
    throw new FunctionError(`${error.message} (${describeResource(visit.identity)}): ${advice}`, {
      cause: error,
    });
  }
}

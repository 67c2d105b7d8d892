// The dot paths of a PathMutationMap (`spec.template.spec.containers.0.image`, dots in keys as `~1`)
// as concrete locations in a document. Mutation paths name one node each: a path with a pattern
// (`*`, `?k=v`, ...) or an accessor is not a mutation path and is refused.
import { ConfigError, parsePath } from "../../../src/config/index.ts";
import type { ResolvedPath } from "../../../src/config/index.ts";
import { FunctionError } from "../../../src/engine/index.ts";

/**
 * The location of `path` in `root` (a document's plain value): all-digit segments under a list are
 * indices, everything else is a map key (so missing parents can be created as maps).
 * @throws FunctionError naming the argument, the resource and the path.
 */
export function mutationPath(root: unknown, path: string, where: string): ResolvedPath {
  let keys: string[];
  try {
    const expression = parsePath(path);
    if (expression.accessor !== undefined || expression.segments.some((s) => s.kind !== "KeySegment")) {
      throw new FunctionError(
        `invalid path ${path} ${where}: a mutation path names one node, without patterns or accessors`,
      );
    }
    keys = expression.segments.map((s) => (s as { key: string }).key);
  } catch (error) {
    if (error instanceof ConfigError)
      throw new FunctionError(`invalid path ${path} ${where}: ${error.message}`, { cause: error });
    throw error;
  }
  const segments: (string | number)[] = [];
  let current = root;
  for (const key of keys) {
    if (Array.isArray(current) && /^\d+$/.test(key)) {
      segments.push(Number(key));
      current = current[Number(key)];
    } else {
      segments.push(key);
      current =
        current !== null && typeof current === "object" && !Array.isArray(current)
          ? (current as Record<string, unknown>)[key]
          : undefined;
    }
  }
  return { path, segments, bindings: [] };
}

/** The value at a resolved location, and whether anything is there. */
export function valueAt(
  root: unknown,
  segments: readonly (string | number)[],
): { present: boolean; value: unknown } {
  let current = root;
  for (const segment of segments) {
    if (Array.isArray(current) && typeof segment === "number" && segment < current.length)
      current = current[segment];
    else if (
      current !== null &&
      typeof current === "object" &&
      !Array.isArray(current) &&
      Object.hasOwn(current, String(segment))
    ) {
      current = (current as Record<string, unknown>)[String(segment)];
    } else return { present: false, value: undefined };
  }
  return { present: true, value: current };
}

// Every string and number leaf of a document with its concrete path: what the value searches
// (get-placeholders, search-replace) walk. Keys are not searched, only values.
import { formatSegments, type ConfigDocument, type ResolvedPath } from "../../../src/config/index.ts";

export interface ScalarLeaf {
  readonly resolved: ResolvedPath;
  readonly value: string | number;
}

/**
 * The string and number leaves of `document` for which `wanted` holds, in document order. Nesting is
 * bounded by the parser's depth limit, so the recursion is too.
 */
export function scalarLeaves(
  document: ConfigDocument,
  wanted: (value: string | number) => boolean,
): ScalarLeaf[] {
  const leaves: ScalarLeaf[] = [];
  const walk = (value: unknown, segments: (string | number)[]): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...segments, i]));
    } else if (value !== null && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) walk(child, [...segments, key]);
    } else if (
      (typeof value === "string" || typeof value === "number") &&
      segments.length > 0 &&
      wanted(value)
    ) {
      leaves.push({ resolved: { path: formatSegments(segments), segments, bindings: [] }, value });
    }
  };
  walk(document.toJS(), []);
  return leaves;
}

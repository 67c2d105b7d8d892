// The key a user path is looked up under in the General registry (spec §1.4): pattern segments and
// array indices become `*`, keys are re-joined escaped. ConfigHub re-joined without escaping, which
// lost the `~1` of keys such as `app.kubernetes.io/name` (design §9 fixes it).
import { formatKey } from "../path/format-path.ts";
import { parsePath } from "../path/parse-path.ts";

const patternCharacters = /[?*@%]/;

export function lookupKey(path: string): string {
  const expression = parsePath(path);
  const key = expression.segments
    .map((segment) => {
      if (segment.kind !== "KeySegment") return "*";
      if (/^\d+$/.test(segment.key) || patternCharacters.test(segment.key)) return "*";
      return formatKey(segment.key);
    })
    .join(".");
  return expression.accessor === undefined ? key : `${key}#${expression.accessor}`;
}

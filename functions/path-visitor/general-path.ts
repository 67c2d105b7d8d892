// The target of the generic path functions (get/set-*-path, set-path-comment; spec §1.4): a user's
// path looked up in the General (`attribute-value`) registry, so a known attribute reports its
// registered name, Info and accessor, and anything else is a plain `attribute-value`.
import { formatKey, formatSegments, parsePath, type PathExpression } from "../../src/config/index.ts";
import { appliesTo, registeredPath, type PathRegistryData } from "./registry-view.ts";
import { ANY_RESOURCE_TYPE } from "./registered-path.ts";
import type { PathTarget, PathTargets } from "./visit-paths.ts";

/** The General registry's attribute name, also the AttributeName of unregistered paths. */
export const GENERAL_ATTRIBUTE = "attribute-value";

/** A path without patterns (`? * @ |`): it names one location, with or without `#accessor`. */
export function isConcretePath(expression: PathExpression): boolean {
  return expression.segments.every((s) => s.kind === "KeySegment");
}

/**
 * The registry key of a path (spec §1.4): patterns, bound keys, `%s` holes and array indices become
 * `*`; other keys are escaped as in resolved paths, so `app.kubernetes.io/name` stays one segment
 * (design §9 fixes ConfigHub's unescaped keys); the `#accessor` suffix is kept.
 */
export function registryKey(expression: PathExpression): string {
  const segments = expression.segments.map((segment) => {
    if (segment.kind !== "KeySegment" || /^\d+$/.test(segment.key) || segment.key.includes("%s")) return "*";
    return formatKey(segment.key);
  });
  const key = segments.join(".");
  return expression.accessor === undefined ? key : `${key}#${expression.accessor}`;
}

/**
 * What get/set-*-path visit for `userPath` in resources of `resourceType` (`*`: every resource).
 * A registered concrete path keeps the registered pattern and constrains it to the user's location
 * (that is how `containers.0.image` learns its `container-name` binding); a registered pattern path
 * is visited as the user wrote it, with the registered metadata.
 * `upsert` lets the visit create the path's plain tail (set-*-path; spec §1.2).
 * @throws ConfigError for a malformed path.
 */
export function generalPathTargets(
  registry: PathRegistryData,
  resourceType: string,
  userPath: string,
  options: { upsert?: boolean } = {},
): PathTargets {
  const upsert = options.upsert === true;
  const expression = parsePath(userPath);
  const registered = registeredPath(registry, GENERAL_ATTRIBUTE, resourceType, registryKey(expression));
  let target: PathTarget;
  if (!registered) {
    target = {
      entry: { Path: userPath, AttributeName: GENERAL_ATTRIBUTE, DataType: "" },
      path: userPath,
      upsert,
    };
  } else if (isConcretePath(expression)) {
    const constraint = formatSegments(expression.segments.map((s) => (s.kind === "KeySegment" ? s.key : "")));
    target = { entry: { ...registered, ResolvedPath: userPath }, path: registered.Path, constraint, upsert };
  } else {
    target = { entry: { ...registered, Path: userPath }, path: userPath, upsert };
  }
  return (identity) => {
    if (resourceType !== ANY_RESOURCE_TYPE && identity.type !== resourceType) return [];
    if (resourceType === ANY_RESOURCE_TYPE && !appliesTo(target.entry, identity.type)) return [];
    return [target];
  };
}

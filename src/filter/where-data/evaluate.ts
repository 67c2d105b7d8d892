// Stage 3 of `where_data`: evaluate against one Unit's parsed documents (spec/functions.md §2.3-2.5
// with design §9):
// - only resources of the given type are visited (`*`: all of them);
// - a relation holds for a resource when at least one value its path finds satisfies it
//   (existential: `containers.*.image != 'x'` holds if any container's image differs);
// - the resources that satisfy every relation match, and the Unit matches when there is one;
// - a missing path never satisfies a relation, except `!=` on a split path `left.|right` whose
//   `right` is missing under a `left` node;
// - a value of another type than the literal's is a non-match, not an error (design §9);
// - under `resources.(requests|limits).<name>` values compare as Kubernetes quantities (design §9).
import type { ResourceIdentity, ResolvedPath } from "../../config/index.ts";
import { compareCodePoints } from "../code-point-order.ts";
import { orderSatisfies } from "../operators.ts";
import { compareQuantities, parseQuantity, type Quantity } from "../quantity.ts";
import { prepareWhereData, type PreparedRelation, type PreparedWhereData } from "./prepare.ts";

/**
 * What the evaluator needs of a document (ConfigDocument provides it). Values are read from the
 * cached plain value (`toJS`), not through `get`, which also gathers comments: filtering thousands
 * of Units only needs the values.
 */
export interface WhereDataDocument {
  tryIdentity(): ResourceIdentity | undefined;
  toJS(): unknown;
  resolve(path: string, options: { upsert: false }): readonly ResolvedPath[];
}

/** What the evaluator needs of a Unit's document set (ConfigDocumentSet provides it). */
export interface WhereDataDocumentSet {
  readonly documents: readonly WhereDataDocument[];
}

export interface WhereDataOptions {
  /** `[group/]version/Kind` to visit only that type; `*` visits every resource. */
  readonly resourceType: string;
}

export interface WhereDataResult {
  readonly matched: boolean;
  /** The resources that satisfy every relation, in document order (for "explain" output). */
  readonly resources: readonly ResourceIdentity[];
}

export function evaluateWhereData(
  expression: string | PreparedWhereData,
  documents: WhereDataDocumentSet,
  options: WhereDataOptions,
): WhereDataResult {
  const prepared = typeof expression === "string" ? prepareWhereData(expression) : expression;
  const everyType = options.resourceType === "*";
  const visited: { document: WhereDataDocument; identity: ResourceIdentity }[] = [];
  for (const document of documents.documents) {
    const identity = document.tryIdentity();
    if (identity && (everyType || identity.type === options.resourceType))
      visited.push({ document, identity });
  }
  let resources: ResourceIdentity[];
  if (prepared.relations.length === 0) {
    // A blank expression asks whether the Unit holds a resource of exactly this type; `*` is
    // compared literally there, so it never does (spec §2.5).
    resources = everyType ? [] : visited.map((v) => v.identity);
  } else {
    resources = visited
      .filter(({ document }) => prepared.relations.every((relation) => relationHolds(relation, document)))
      .map((v) => v.identity);
  }
  return Object.freeze({ matched: resources.length > 0, resources: Object.freeze(resources) });
}

function relationHolds(relation: PreparedRelation, document: WhereDataDocument): boolean {
  const root = document.toJS();
  const lefts: readonly (readonly (string | number)[])[] = relation.plainKeys
    ? [relation.plainKeys]
    : document.resolve(relation.path, { upsert: false }).map((resolved) => resolved.segments);
  for (const segments of lefts) {
    const left = lookup(root, segments);
    if (!left.present) continue;
    if (relation.right === undefined) {
      if (valueHolds(relation, left.value, segments)) return true;
      continue;
    }
    // Split path: the left node exists; `right` is looked up as plain keys under it.
    const right = lookup(left.value, relation.right);
    if (!right.present) {
      if (relation.test.kind === "compare" && relation.test.operator === "!=") return true;
      continue;
    }
    if (valueHolds(relation, right.value, [...segments, ...relation.right])) return true;
  }
  return false;
}

/** Follows map keys and array indices (numbers, or all-digit keys on arrays) through a plain value. */
function lookup(root: unknown, segments: readonly (string | number)[]): { present: boolean; value: unknown } {
  let current = root;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      const index = typeof segment === "number" ? segment : /^\d+$/.test(segment) ? Number(segment) : -1;
      if (index < 0 || index >= current.length) return { present: false, value: undefined };
      current = current[index];
    } else if (typeof current === "object" && current !== null && Object.hasOwn(current, String(segment))) {
      current = (current as Record<string, unknown>)[String(segment)];
    } else {
      return { present: false, value: undefined };
    }
  }
  return { present: true, value: current };
}

/** `…resources.requests.<name>` / `…resources.limits.<name>` with a lower-case resource name. */
function isQuantityPath(segments: readonly (string | number)[]): boolean {
  const n = segments.length;
  if (n < 3) return false;
  const [resources, kind, name] = [segments[n - 3], segments[n - 2], segments[n - 1]];
  return (
    resources === "resources" &&
    (kind === "requests" || kind === "limits") &&
    typeof name === "string" &&
    /^[a-z0-9][a-z0-9./_-]*$/.test(name)
  );
}

function valueHolds(
  relation: PreparedRelation,
  raw: unknown,
  segments: readonly (string | number)[],
): boolean {
  const { test, accessor } = relation;
  // An accessor reads a part of a string; any other value has no such part.
  if (accessor && typeof raw !== "string") return false;
  const value = accessor ? accessor.reader.get(raw as string, accessor.name) : raw;
  switch (test.kind) {
    case "in": {
      const text = scalarText(value);
      return text === undefined ? false : test.items.has(text) !== test.negated;
    }
    case "like":
      return typeof value === "string" && test.matcher.test(value) !== test.negated;
    case "regex":
      return typeof value === "string" && test.regex.test(value) !== test.negated;
    case "compare": {
      const order =
        (isQuantityPath(segments) ? compareAsQuantities(value, test.literal) : undefined) ??
        compareSameType(value, test.literal);
      return order === undefined ? false : orderSatisfies(test.operator, order);
    }
  }
}

/** The literal decides the type: a value of another type is no match (undefined). */
function compareSameType(value: unknown, literal: string | number | boolean): number | undefined {
  if (typeof literal === "string")
    return typeof value === "string" ? compareCodePoints(value, literal) : undefined;
  if (typeof literal === "number") {
    return typeof value === "number" && Number.isInteger(value) ? Math.sign(value - literal) : undefined;
  }
  return typeof value === "boolean" ? Number(value) - Number(literal) : undefined;
}

function compareAsQuantities(value: unknown, literal: string | number | boolean): number | undefined {
  const a = quantityOf(value);
  const b = quantityOf(literal);
  return a && b ? compareQuantities(a, b) : undefined;
}

function quantityOf(value: unknown): Quantity | undefined {
  if (typeof value === "string") return parseQuantity(value);
  if (typeof value === "number" && Number.isFinite(value)) return parseQuantity(String(value));
  return undefined;
}

/** IN compares text: strings as they are, integers in decimal, floats truncated, booleans as true/false. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(Math.trunc(value));
  return undefined;
}

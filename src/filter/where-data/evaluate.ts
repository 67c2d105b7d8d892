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
import { isConfigError } from "../../config/errors.ts";
import type { ResourceIdentity } from "../../config/identity/resource-identity.ts";
import { formatSegments } from "../../config/path/format-path.ts";
import type { ResolvedPath } from "../../config/path/resolved-path.ts";
import { compareCodePoints } from "../code-point-order.ts";
import { compareQuantities, parseQuantity, type Quantity } from "../quantity.ts";
import {
  prepareWhereData,
  type PreparedRelation,
  type PreparedWhereData,
  type ValueTest,
} from "./prepare.ts";

/** What the evaluator reads of a value (ConfigDocument.get's NodeRef). */
export interface WhereDataValue {
  readonly value: unknown;
  /** The YAML type of a scalar: `int` only for integers written as integers. */
  readonly type?: string;
}

/** What the evaluator needs of a document (ConfigDocument provides it). */
export interface WhereDataDocument {
  tryIdentity(): ResourceIdentity | undefined;
  resolve(path: string, options: { upsert: false }): readonly ResolvedPath[];
  get(path: ResolvedPath): WhereDataValue | undefined;
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
  for (const resolved of document.resolve(relation.path, { upsert: false })) {
    if (relation.right === undefined) {
      const found = read(document, resolved);
      if (found && valueHolds(relation.test, found, isQuantityPath(resolved.segments))) return true;
      continue;
    }
    // Split path: the left node must exist; `right` is looked up as plain keys under it.
    if (!read(document, resolved)) continue;
    const segments = [...resolved.segments, ...relation.right];
    const right: ResolvedPath = {
      path: formatSegments(segments),
      segments,
      bindings: resolved.bindings,
      ...(relation.accessor === undefined ? {} : { accessor: relation.accessor }),
    };
    const found = read(document, right);
    if (!found) {
      if (relation.test.kind === "compare" && relation.test.operator === "!=") return true;
      continue;
    }
    if (valueHolds(relation.test, found, isQuantityPath(segments))) return true;
  }
  return false;
}

/** The value at a resolved path; an accessor on a value that is not a string reads as no match. */
function read(document: WhereDataDocument, resolved: ResolvedPath): WhereDataValue | undefined {
  try {
    return document.get(resolved);
  } catch (error) {
    if (isConfigError(error)) return undefined;
    throw error;
  }
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

function valueHolds(test: ValueTest, found: WhereDataValue, quantityPath: boolean): boolean {
  const { value } = found;
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
        (quantityPath ? compareAsQuantities(value, test.literal) : undefined) ??
        compareSameType(found, test.literal);
      return order === undefined ? false : holds(test.operator, order);
    }
  }
}

function holds(operator: "=" | "!=" | "<" | "<=" | ">" | ">=", order: number): boolean {
  switch (operator) {
    case "=":
      return order === 0;
    case "!=":
      return order !== 0;
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    case ">":
      return order > 0;
    case ">=":
      return order >= 0;
  }
}

/** The literal decides the type: a value of another type is no match (undefined). */
function compareSameType(found: WhereDataValue, literal: string | number | boolean): number | undefined {
  const { value } = found;
  if (typeof literal === "string")
    return typeof value === "string" ? compareCodePoints(value, literal) : undefined;
  if (typeof literal === "number") {
    const integer = typeof value === "number" && Number.isInteger(value) && (found.type ?? "int") === "int";
    return integer ? Math.sign(value - literal) : undefined;
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

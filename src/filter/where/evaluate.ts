// Stage 3b of `where`: evaluate a checked expression against one entity in memory (its JSON form,
// PascalCase keys), for entities that are not rows in a table, such as function signatures. The
// semantics are SQL's, so the same filter means the same thing in both back ends: a missing value is
// unknown (NULL), comparisons with unknown are unknown, and only a true relation matches.
import type { AttributeSpec } from "../catalogue/index.ts";
import { compareCodePoints } from "../code-point-order.ts";
import { compileLike, type LikeMatcher } from "../like.ts";
import { instantOf } from "../time.ts";
import { orderSatisfies } from "../operators.ts";
import { normaliseUuid } from "../uuid.ts";
import type { CheckedWhere, Literal, Predicate, ValueRef } from "./checked.ts";

/** true, false, or unknown (SQL NULL). */
type Truth = boolean | null;
type Scalar = string | number | boolean | bigint;

export function evaluateWhere(checked: CheckedWhere, entity: unknown): boolean {
  return checked.predicates.every((p) => evaluatePredicate(p, entity) === true);
}

const likeCache = new WeakMap<Predicate, LikeMatcher>();

function evaluatePredicate(p: Predicate, entity: unknown): Truth {
  switch (p.kind) {
    case "compare": {
      const left = readValue(p.left, entity);
      const right = p.right.kind === "literal" ? literalValue(p.right) : readValue(p.right, entity);
      if (left === null || right === null) return null;
      return orderSatisfies(p.operator, compareScalars(left, right));
    }
    case "in": {
      const value = readValue(p.subject, entity);
      if (value === null) return null;
      const found = p.values.some((v) => compareScalars(value, literalValue(v)) === 0);
      return p.negated ? !found : found;
    }
    case "like": {
      const value = readValue(p.subject, entity);
      if (typeof value !== "string") return null;
      let matcher = likeCache.get(p);
      if (!matcher) {
        matcher = compileLike(p.pattern, { dialect: "postgres", caseInsensitive: p.caseInsensitive });
        likeCache.set(p, matcher);
      }
      return matcher.test(value) !== p.negated;
    }
    case "regex": {
      const value = readValue(p.subject, entity);
      if (typeof value !== "string") return null;
      return p.regex.test(value) !== p.negated;
    }
    case "has": {
      const container = readRaw(p.attribute, entity);
      if (Array.isArray(container)) {
        return container.some(
          (element) =>
            typeof element === "string" &&
            (p.attribute.type.kind === "array" && p.attribute.type.element === "uuid"
              ? normaliseUuid(element) === p.element
              : element === p.element),
        );
      }
      if (isRecord(container)) return Object.hasOwn(container, p.element);
      return null;
    }
    case "isNull": {
      const { subject } = p;
      let absent: boolean;
      if (subject.kind === "mapValue") {
        const map = readRaw(subject.attribute, entity);
        absent = !(isRecord(map) && Object.hasOwn(map, subject.key));
      } else {
        absent = readValue(subject, entity) === null;
      }
      return absent !== p.negated;
    }
    case "truth": {
      const inner = evaluatePredicate(p.predicate, entity);
      const result = inner === p.truth;
      return p.negated ? !result : result;
    }
  }
}

function literalValue(l: Literal): Scalar {
  return l.type === "time" ? l.value.epochMicros : l.value;
}

/** Reads a scalar in the attribute's type; anything missing or of another type is unknown. */
function readValue(v: ValueRef, entity: unknown): Scalar | null {
  const raw = readRaw(v.attribute, entity);
  switch (v.kind) {
    case "length":
      if (Array.isArray(raw)) return raw.length;
      return isRecord(raw) ? Object.keys(raw).length : null;
    case "mapValue": {
      if (!isRecord(raw) || !Object.hasOwn(raw, v.key)) return null;
      const value = raw[v.key];
      return typeof value === (v.type === "string" ? "string" : "boolean") ? (value as Scalar) : null;
    }
    case "attribute":
      switch (v.type) {
        case "string":
          return typeof raw === "string" ? raw : null;
        case "int":
          return typeof raw === "number" && Number.isInteger(raw) ? raw : null;
        case "bool":
          return typeof raw === "boolean" ? raw : null;
        case "uuid":
          return typeof raw === "string" ? (normaliseUuid(raw) ?? null) : null;
        case "time":
          return instantOf(raw)?.epochMicros ?? null;
      }
  }
}

function readRaw(attribute: AttributeSpec, entity: unknown): unknown {
  let current: unknown = entity;
  for (const step of attribute.path) {
    if (!isRecord(current) || !Object.hasOwn(current, step)) return undefined;
    current = current[step];
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Strings in code-point order (PostgreSQL's `collate "C"` over UTF-8); numbers and booleans naturally. */
function compareScalars(a: Scalar, b: Scalar): number {
  if (typeof a === "string" && typeof b === "string") return compareCodePoints(a, b);
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "number" && typeof b === "number") return a - b;
  // The checker gives both sides one type; a mixed pair can only be unequal.
  return Number.NaN;
}

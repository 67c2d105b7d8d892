// Strict schema validation: a compiled validator's own findings plus the fields its schema does not
// define (kubeconform's and kubectl's strict mode: an unknown field is an error, because it is
// almost always a typo or a field at the wrong level that the API server would silently drop).
//
// The Kubernetes OpenAPI definitions do not say `additionalProperties: false`, so the validators
// accept unknown keys. What they do reveal is which keys their schema knows: ajv's code for
// `properties` reads every declared property (`data.replicas !== undefined`), and the code for
// `additionalProperties` / map schemas enumerates and reads every key. So the resource is validated
// through a proxy that records, per object, the keys the validator read: a key it never read is a
// key the schema does not define. Objects the validator read nothing from at all are free-form in
// the schema (RawExtension, FieldsV1, JSON values of a CRD) and are not checked for unknown keys.
import { pointerSegments } from "../../../src/config/index.ts";
import type { KindValidator, UnreadKnownKey } from "./kubernetes-schemas.ts";

export interface SchemaViolation {
  /** Where: map keys and array indices from the resource's root. */
  readonly segments: readonly (string | number)[];
  /** What is wrong, e.g. `must be integer`, `unknown field "replicaz"`. */
  readonly message: string;
  /** The offending value (absent when the violation is a missing field). */
  readonly value?: unknown;
  readonly present: boolean;
}

/** ajv's error object (instancePath is a JSON pointer into the validated data). */
interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

interface TrackedObject {
  readonly segments: readonly (string | number)[];
  readonly value: Record<string, unknown>;
  readonly read: Set<string>;
}

/** Validates `resource` (a plain JSON value) strictly; returns every violation in document order. */
export function validateStrictly(
  resource: unknown,
  validate: KindValidator,
  unreadKnownKey: UnreadKnownKey,
): SchemaViolation[] {
  // toJS() values are frozen, and a proxy may not hand out anything but the frozen originals, so
  // the validator works on a private copy.
  const copy: unknown = structuredClone(resource);
  const tracked: TrackedObject[] = [];
  const errors = runValidator(validate, track(copy, [], tracked));
  const violations = errors.map((error) => schemaViolation(copy, error));
  for (const object of tracked) {
    if (object.read.size === 0) continue;
    for (const key of Object.keys(object.value)) {
      if (!object.read.has(key) && !unreadKnownKey(object.segments, key)) {
        violations.push({
          segments: [...object.segments, key],
          message: `unknown field "${key}"`,
          value: object.value[key],
          present: true,
        });
      }
    }
  }
  return violations.sort((a, b) => compareInDocumentOrder(copy, a.segments, b.segments));
}

function runValidator(validate: KindValidator, data: unknown): AjvError[] {
  try {
    validate.call(data);
    return [];
  } catch (error) {
    // kubernetes-models throws a ValidationError carrying ajv's errors; anything else is a real fault.
    const errors = (error as { errors?: unknown }).errors;
    if (Array.isArray(errors)) return errors as AjvError[];
    throw error;
  }
}

function track(value: unknown, segments: readonly (string | number)[], tracked: TrackedObject[]): unknown {
  if (value === null || typeof value !== "object") return value;
  const read = new Set<string>();
  if (!Array.isArray(value)) tracked.push({ segments, value: value as Record<string, unknown>, read });
  const children = new Map<string, unknown>();
  return new Proxy(value, {
    get(target, key, receiver) {
      const child: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== "string") return child;
      read.add(key);
      if (child === null || typeof child !== "object") return child;
      let proxy = children.get(key);
      if (proxy === undefined) {
        const segment = Array.isArray(target) && /^\d+$/.test(key) ? Number(key) : key;
        proxy = track(child, [...segments, segment], tracked);
        children.set(key, proxy);
      }
      return proxy;
    },
  });
}

function schemaViolation(root: unknown, error: AjvError): SchemaViolation {
  const segments = pointerSegments(root, error.instancePath);
  const message = error.message ?? error.keyword;
  // A missing required field is reported at its parent; point at the field itself.
  if (error.keyword === "required" && typeof error.params.missingProperty === "string") {
    return {
      segments: [...segments, error.params.missingProperty],
      message: "required field is missing",
      present: false,
    };
  }
  if (error.keyword === "additionalProperties" && typeof error.params.additionalProperty === "string") {
    const key = error.params.additionalProperty;
    return {
      segments: [...segments, key],
      message: `unknown field "${key}"`,
      value: valueAt(root, [...segments, key]),
      present: true,
    };
  }
  return { segments, message, value: valueAt(root, segments), present: true };
}

function valueAt(root: unknown, segments: readonly (string | number)[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** Orders two paths as their fields appear in the document; a missing field sorts after its siblings. */
function compareInDocumentOrder(
  root: unknown,
  a: readonly (string | number)[],
  b: readonly (string | number)[],
): number {
  let parent = root;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) {
      if (typeof x === "number" && typeof y === "number") return x - y;
      const keys = parent !== null && typeof parent === "object" ? Object.keys(parent) : [];
      const position = (key: string | number): number => {
        const found = keys.indexOf(String(key));
        return found < 0 ? keys.length : found;
      };
      return position(x) - position(y) || (String(x) < String(y) ? -1 : 1);
    }
    parent =
      parent !== null && typeof parent === "object"
        ? (parent as Record<string | number, unknown>)[x]
        : undefined;
  }
  return a.length - b.length;
}

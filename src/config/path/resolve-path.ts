// Path resolution (spec §1.2): a path expression against one document, in getter mode (only what
// exists) or upsert mode (the plain tail after the last pattern may be missing and will be created),
// optionally constrained by a concrete path laid over the pattern position by position.
import { isMap, isSeq, type Document, type Node } from "yaml";
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import { isPlainSegment, type PathExpression, type PathSegment } from "./ast.ts";
import { formatSegments } from "./format-path.ts";
import { parsePath } from "./parse-path.ts";
import type { Binding, ResolvedPath } from "./resolved-path.ts";
import { AliasBudget, arrayIndex, deref, mapEntries, mapGet, scalarNodeText } from "./yaml-nodes.ts";

export interface ResolveOptions {
  /** Upsert mode: missing plain segments after the last pattern resolve (to be created by a write). */
  upsert?: boolean;
  /**
   * A concrete path (no patterns) of the same length: wildcards visit only the child it names and
   * `?k=v` takes the element it names whenever that element has `k` (spec §1.2 "Constraint").
   */
  constraint?: string;
}

/** A walk in progress: `node` is undefined once the walk left the existing document. */
interface Branch {
  readonly node: Node | null | undefined;
  readonly segments: readonly (string | number)[];
  readonly bindings: readonly Binding[];
}

function hasPattern(segments: readonly PathSegment[]): boolean {
  return segments.some((s) => s.kind !== "KeySegment");
}

function constraintKeys(constraint: string): string[] {
  const expression = parsePath(constraint);
  if (hasPattern(expression.segments)) {
    throw new ConfigError(
      ConfigErrorCode.PathSyntax,
      `invalid constraint ${JSON.stringify(constraint)}: a constraint is a resolved path without patterns`,
      { path: constraint },
    );
  }
  return expression.segments.map((s) => (s.kind === "KeySegment" ? s.key : ""));
}

class Resolver {
  readonly #document: Document;
  readonly #budget = new AliasBudget();

  constructor(document: Document) {
    this.#document = document;
  }

  deref(node: Node | null | undefined): Node | null | undefined {
    return node === undefined ? undefined : deref(node, this.#document, this.#budget);
  }

  /** Child by key (map) or index (array); `child` is undefined when missing. */
  lookup(
    node: Node | null | undefined,
    key: string,
  ): { child: Node | null | undefined; segment: string | number } {
    const current = this.deref(node);
    if (isMap(current)) {
      const entry = mapGet(current, key, this.#document, this.#budget);
      return { child: entry ? entry.value : undefined, segment: key };
    }
    if (isSeq(current)) {
      const index = arrayIndex(key);
      if (index === undefined) return { child: undefined, segment: key };
      return {
        child: index < current.items.length ? (current.items[index] as Node | null) : undefined,
        segment: index,
      };
    }
    return { child: undefined, segment: key };
  }

  /** Every child with its key (map) or index (array); nothing for scalars and missing nodes. */
  children(
    node: Node | null | undefined,
  ): { key: string | number; value: Node | null; isMapEntry: boolean }[] {
    const current = this.deref(node);
    if (isMap(current)) {
      return mapEntries(current, this.#document, this.#budget).map((e) => ({
        key: e.key,
        value: e.value,
        isMapEntry: true,
      }));
    }
    if (isSeq(current)) {
      return (current.items as (Node | null)[]).map((value, index) => ({
        key: index,
        value,
        isMapEntry: false,
      }));
    }
    return [];
  }

  /** Text of `field` in a map node, if the node is a map that has it as a scalar. */
  fieldText(node: Node | null | undefined, field: string): { present: boolean; text: string | undefined } {
    const current = this.deref(node);
    if (!isMap(current)) return { present: false, text: undefined };
    const entry = mapGet(current, field, this.#document, this.#budget);
    if (!entry) return { present: false, text: undefined };
    return { present: true, text: scalarNodeText(this.deref(entry.value) ?? null) };
  }
}

function bind(
  bindings: readonly Binding[],
  parameter: string | undefined,
  value: string | undefined,
): readonly Binding[] {
  if (value === undefined) return bindings;
  return [
    ...bindings,
    parameter === undefined ? { Value: value } : { ParameterName: parameter, Value: value },
  ];
}

function result(branch: Branch, accessor: string | undefined): ResolvedPath {
  const resolved: ResolvedPath = {
    path: formatSegments(branch.segments),
    segments: Object.freeze([...branch.segments]),
    bindings: Object.freeze(branch.bindings.map((b) => Object.freeze({ ...b }))),
    ...(accessor === undefined ? {} : { accessor }),
  };
  return Object.freeze(resolved);
}

/**
 * Resolves `path` against `document` (spec §1.2) and returns the concrete paths with their bindings,
 * in document order. A path without patterns (`? * @ |`) always resolves to itself.
 * @throws ConfigError `EMPTY_PATH` / `PATH_SYNTAX` for a bad path or constraint.
 */
export function resolvePath(
  document: Document,
  path: string | PathExpression,
  options: ResolveOptions = {},
): ResolvedPath[] {
  const expression = typeof path === "string" ? parsePath(path) : path;
  const segments = expression.segments;
  const accessor = expression.accessor;
  const wanted = options.constraint === undefined ? undefined : constraintKeys(options.constraint);
  if (wanted && wanted.length !== segments.length) return [];
  const resolver = new Resolver(document);
  const upsert = options.upsert === true;

  // restIsPlain[i]: every segment from i on is a key or @key (what upsert mode may create).
  const restIsPlain: boolean[] = new Array<boolean>(segments.length + 1).fill(true);
  for (let i = segments.length - 1; i >= 0; i--)
    restIsPlain[i] = restIsPlain[i + 1]! && isPlainSegment(segments[i]!);

  // Appends segments from `from` on without requiring them to exist (typing indices where they do).
  const finish = (branch: Branch, from: number): Branch | undefined => {
    let { node, segments: path, bindings } = branch;
    for (let i = from; i < segments.length; i++) {
      const segment = segments[i]!;
      if (segment.kind !== "KeySegment" && segment.kind !== "BoundKeySegment") return undefined;
      if (wanted && wanted[i] !== segment.key) return undefined;
      const { child, segment: concrete } = resolver.lookup(node, segment.key);
      node = child;
      path = [...path, concrete];
      if (segment.kind === "BoundKeySegment")
        bindings = bind(bindings, segment.parameter, segment.parameter && segment.key);
    }
    return { node, segments: path, bindings };
  };

  const root: Branch = { node: document.contents as Node | null, segments: [], bindings: [] };
  if (!hasPattern(segments)) {
    const branch = finish(root, 0);
    return branch ? [result(branch, accessor)] : [];
  }

  const results: ResolvedPath[] = [];
  let branches: Branch[] = [root];
  for (let i = 0; i < segments.length && branches.length > 0; i++) {
    const segment = segments[i]!;
    const want = wanted?.[i];
    const next: Branch[] = [];
    for (const branch of branches) {
      switch (segment.kind) {
        case "KeySegment":
        case "BoundKeySegment":
        case "SplitSegment": {
          if (want !== undefined && want !== segment.key) break;
          const { child, segment: concrete } = resolver.lookup(branch.node, segment.key);
          const parameter = segment.kind === "KeySegment" ? undefined : segment.parameter;
          const stepped: Branch = {
            node: child,
            segments: [...branch.segments, concrete],
            bindings:
              parameter === undefined ? branch.bindings : bind(branch.bindings, parameter, segment.key),
          };
          if (upsert && restIsPlain[i + 1]) {
            const done = finish(stepped, i + 1);
            if (done) results.push(result(done, accessor));
            break;
          }
          if (child !== undefined) next.push(stepped);
          break;
        }
        case "WildcardSegment":
        case "WildcardFieldSegment":
        case "WildcardKeySegment": {
          for (const child of resolver.children(branch.node)) {
            if (want !== undefined && want !== String(child.key)) continue;
            let bindings = branch.bindings;
            if (segment.kind === "WildcardFieldSegment") {
              bindings = bind(
                bindings,
                segment.parameter,
                resolver.fieldText(child.value, segment.field).text,
              );
            } else if (segment.kind === "WildcardKeySegment" && child.isMapEntry) {
              bindings = bind(bindings, segment.parameter, String(child.key));
            }
            next.push({ node: child.value, segments: [...branch.segments, child.key], bindings });
          }
          break;
        }
        case "MatchSegment": {
          const array = resolver.deref(branch.node);
          if (!isSeq(array)) break;
          const items = array.items as (Node | null)[];
          let index = -1;
          let text: string | undefined;
          if (want !== undefined) {
            const wantedIndex = arrayIndex(want);
            const field =
              wantedIndex === undefined ? undefined : resolver.fieldText(items[wantedIndex], segment.field);
            if (field?.present) [index, text] = [wantedIndex!, field.text];
          } else {
            index = items.findIndex((item) => resolver.fieldText(item, segment.field).text === segment.value);
            text = segment.value;
          }
          if (index < 0) break;
          next.push({
            node: items[index] ?? null,
            segments: [...branch.segments, index],
            bindings: bind(branch.bindings, segment.parameter, text ?? ""),
          });
          break;
        }
      }
    }
    branches = next;
  }
  for (const branch of branches) results.push(result(branch, accessor));
  return results;
}

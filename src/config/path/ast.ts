// The syntax tree of a path expression: immutable nodes with a `kind`, built only through the
// factories below (the grammar calls them too), and an exhaustive visitor over segment kinds.

/** `key` or `N`: a map key, or an array index when the text is all digits and the node is an array. */
export interface KeySegment {
  readonly kind: "KeySegment";
  readonly key: string;
}

/** `*`: every child (array elements in order, map entries in document order). */
export interface WildcardSegment {
  readonly kind: "WildcardSegment";
}

/** `*?field` / `*?field:parameter`: every child; a child's `field` value is recorded as a binding. */
export interface WildcardFieldSegment {
  readonly kind: "WildcardFieldSegment";
  readonly field: string;
  readonly parameter: string | undefined;
}

/** `*@:parameter`: every child; on a map each key is bound to `parameter`. */
export interface WildcardKeySegment {
  readonly kind: "WildcardKeySegment";
  readonly parameter: string;
}

/** `?field=value` / `?field:parameter=value`: the first array element whose `field` reads `value`. */
export interface MatchSegment {
  readonly kind: "MatchSegment";
  readonly field: string;
  readonly parameter: string | undefined;
  readonly value: string;
}

/** `@key` / `@key:parameter`: a lookup of `key` that binds `parameter` to the key itself. */
export interface BoundKeySegment {
  readonly kind: "BoundKeySegment";
  readonly key: string;
  readonly parameter: string | undefined;
}

/** `|key` (also `|@key:parameter`): a lookup after which, in upsert mode, the rest may be created. */
export interface SplitSegment {
  readonly kind: "SplitSegment";
  readonly key: string;
  readonly parameter: string | undefined;
}

export type PathSegment =
  | KeySegment
  | WildcardSegment
  | WildcardFieldSegment
  | WildcardKeySegment
  | MatchSegment
  | BoundKeySegment
  | SplitSegment;

/** A whole path: its segments and the optional `#accessor` suffix. */
export interface PathExpression {
  readonly kind: "PathExpression";
  readonly segments: readonly PathSegment[];
  readonly accessor: string | undefined;
}

const wildcardNode: WildcardSegment = Object.freeze({ kind: "WildcardSegment" });

/** Node factories; every node is frozen. */
export const pathNodes = Object.freeze({
  key: (key: string): KeySegment => Object.freeze({ kind: "KeySegment", key }),
  wildcard: (): WildcardSegment => wildcardNode,
  wildcardField: (field: string, parameter: string | undefined): WildcardFieldSegment =>
    Object.freeze({ kind: "WildcardFieldSegment", field, parameter }),
  wildcardKey: (parameter: string): WildcardKeySegment =>
    Object.freeze({ kind: "WildcardKeySegment", parameter }),
  match: (field: string, parameter: string | undefined, value: string): MatchSegment =>
    Object.freeze({ kind: "MatchSegment", field, parameter, value }),
  boundKey: (key: string, parameter: string | undefined): BoundKeySegment =>
    Object.freeze({ kind: "BoundKeySegment", key, parameter }),
  split: (key: string, parameter: string | undefined): SplitSegment =>
    Object.freeze({ kind: "SplitSegment", key, parameter }),
  path: (segments: readonly PathSegment[], accessor: string | undefined): PathExpression =>
    Object.freeze({ kind: "PathExpression", segments: Object.freeze([...segments]), accessor }),
});

/** One method per segment kind; `visitSegment` dispatches and the compiler checks exhaustiveness. */
export interface PathSegmentVisitor<R> {
  key(segment: KeySegment): R;
  wildcard(segment: WildcardSegment): R;
  wildcardField(segment: WildcardFieldSegment): R;
  wildcardKey(segment: WildcardKeySegment): R;
  match(segment: MatchSegment): R;
  boundKey(segment: BoundKeySegment): R;
  split(segment: SplitSegment): R;
}

export function visitSegment<R>(segment: PathSegment, visitor: PathSegmentVisitor<R>): R {
  switch (segment.kind) {
    case "KeySegment":
      return visitor.key(segment);
    case "WildcardSegment":
      return visitor.wildcard(segment);
    case "WildcardFieldSegment":
      return visitor.wildcardField(segment);
    case "WildcardKeySegment":
      return visitor.wildcardKey(segment);
    case "MatchSegment":
      return visitor.match(segment);
    case "BoundKeySegment":
      return visitor.boundKey(segment);
    case "SplitSegment":
      return visitor.split(segment);
  }
}

/** Key and bound-key segments: the ones upsert mode may create (spec §1.2 "plain"). */
export function isPlainSegment(segment: PathSegment): segment is KeySegment | BoundKeySegment {
  return segment.kind === "KeySegment" || segment.kind === "BoundKeySegment";
}

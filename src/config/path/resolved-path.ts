// The result of resolving a path against a document.

/** A parameter binding found while resolving (`?k:p=v`, `*?k:p`, `*@:p`, `@key:p`). */
export interface Binding {
  /** Absent for unnamed bindings (`?k=v`, `*?k`), as in ConfigHub's JSON. */
  ParameterName?: string;
  Value: string;
}

/** One concrete location a path expression resolved to. */
export interface ResolvedPath {
  /** Dot-joined concrete path; `.` in keys is escaped as `~1` (see formatKey). */
  readonly path: string;
  /** The concrete segments: strings for map keys, numbers for array indices. */
  readonly segments: readonly (string | number)[];
  /** Bindings in segment order. */
  readonly bindings: readonly Binding[];
  /** The `#name` accessor of the expression, if any. */
  readonly accessor?: string;
}

// Bounds that keep hostile or accidental input from exhausting memory or the stack. The defaults are
// far above real Kubernetes manifests (a large CRD is ~1 MB and ~40 levels deep).

export interface ParseLimits {
  /** Largest accepted Unit text, in UTF-8 bytes. */
  readonly maxBytes: number;
  /**
   * Alias budget (the `yaml` package's `maxAliasCount`): how much alias expansion a document may do
   * before it counts as a "billion laughs" attack. -1 disables the check; 0 forbids aliases.
   */
  readonly maxAliases: number;
  /** Deepest accepted nesting of collections (the YAML composer recurses per level). */
  readonly maxDepth: number;
}

export const defaultParseLimits: ParseLimits = Object.freeze({
  maxBytes: 16 * 1024 * 1024,
  maxAliases: 100,
  maxDepth: 128,
});

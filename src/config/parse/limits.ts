// Bounds that keep hostile or accidental input from exhausting memory or the stack. The defaults are
// far above real Kubernetes manifests (a large CRD is ~1 MB and ~40 levels deep).
//
// UNIT_DATA_MAX_BYTES is the one size limit of a Unit's config data: the engine refuses to parse
// more, the API refuses to store more (413), and the server's request body limit is derived from it
// (base64 of that many bytes plus room for the rest of the request).

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

/** Largest Unit config data, in bytes (16 MiB). */
export const UNIT_DATA_MAX_BYTES = 16 * 1024 * 1024;

/** Deepest collection nesting of Unit config data. */
export const UNIT_DATA_MAX_DEPTH = 128;

export const defaultParseLimits: ParseLimits = Object.freeze({
  maxBytes: UNIT_DATA_MAX_BYTES,
  maxAliases: 100,
  maxDepth: UNIT_DATA_MAX_DEPTH,
});

/** Characters of padded base64 for `bytes` bytes: every 3 bytes (or fewer, at the end) take 4. */
export function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}

/** Bytes that padded base64 of `length` characters decodes to (ignoring invalid characters). */
export function base64DecodedLength(base64: string): number {
  const padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  return Math.max(0, Math.floor((base64.length * 3) / 4) - padding);
}

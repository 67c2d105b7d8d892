// A toolchain whose Units are not YAML (Properties, HCL, .env, TOML) is edited through a YAML view:
// `decode` turns the native text into the YAML documents every function reads and edits, and the
// returned view's `encode` writes the edited documents back onto the native text. Functions, paths,
// where_data and mutation diffs therefore work unchanged on every toolchain (spec: "other toolchains
// are converted to YAML first and back at the end").
//
// Lossless is the format's job: `encode` starts from the parsed native source, not from the values,
// so a value that did not change keeps its bytes (comments, blank lines, key order, quoting, escapes,
// separators), and a changed value rewrites only the text that holds it.
import type { ResourceIdentity, ToolchainIdentity } from "../identity/resource-identity.ts";
import type { ParseLimits } from "../parse/limits.ts";
import type { ToolchainType } from "../toolchain-types.ts";

/** One non-YAML toolchain's codec and identity rules. */
export interface NativeFormat {
  readonly toolchain: ToolchainType;
  /** How resources of this toolchain are named and typed (reads the YAML view's plain values). */
  readonly identity: ToolchainIdentity;
  /**
   * Parses native text. Throws ConfigError with `line`/`column` (1-based, in the native text) for
   * malformed input (`SYNTAX`), and `TOO_LARGE`/`TOO_DEEP` past `limits`.
   */
  decode(text: string, limits: ParseLimits): NativeView;
}

/** A parsed native text: its YAML view and the way back. Immutable; `encode` may be called often. */
export interface NativeView {
  /** The YAML view as multi-document YAML text (Properties: one nested document; HCL: one per block). */
  readonly yaml: string;
  /**
   * The native text for `documents`, the view's documents' plain values (`ConfigDocument.toJS()`)
   * after the functions ran, in order. Equal values give back the decoded text byte for byte.
   * Throws ConfigError `INVALID_VALUE` naming the path when a value has no native form (e.g. a
   * nested map in a .env file).
   */
  encode(documents: readonly unknown[]): string;
}

export type { ResourceIdentity };

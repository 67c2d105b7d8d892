// The entry point: a Unit's text in, a lossless ConfigDocumentSet out.
import { ConfigDocumentSet, slotsOf } from "./document/config-document-set.ts";
import { ConfigError, ConfigErrorCode } from "./errors.ts";
import { DEFAULT_TOOLCHAIN, type ToolchainType } from "./toolchain-types.ts";
import { toolchainIdentity } from "./identity/toolchains.ts";
import { nativeFormat } from "./native/native-formats.ts";
import { defaultParseLimits, type ParseLimits } from "./parse/limits.ts";
import { parseUnit } from "./parse/parse-unit.ts";

export interface ParseConfigOptions {
  /**
   * Toolchain of the Unit; decides resource identity. Default `Kubernetes/YAML`. Any other string
   * is refused (`unknown-toolchain`), as is a toolchain with no registered identity.
   */
  toolchain?: ToolchainType | (string & {});
  /**
   * The text is a non-YAML toolchain's YAML view already (compute-mutations' `alreadyConverted`):
   * parse it as YAML with the toolchain's identity. `toString()` then gives YAML. Default false.
   */
  yamlView?: boolean;
  /** Largest accepted text in UTF-8 bytes (default 16 MiB). */
  maxBytes?: number;
  /** Alias expansion budget per document (default 100; see `yaml`'s maxAliasCount). */
  maxAliases?: number;
  /** Deepest accepted collection nesting (default 128). */
  maxDepth?: number;
}

function limitsFrom(options: ParseConfigOptions): ParseLimits {
  const limits = {
    maxBytes: options.maxBytes ?? defaultParseLimits.maxBytes,
    maxAliases: options.maxAliases ?? defaultParseLimits.maxAliases,
    maxDepth: options.maxDepth ?? defaultParseLimits.maxDepth,
  };
  for (const [name, value] of Object.entries(limits)) {
    const min = name === "maxAliases" ? -1 : 1;
    if (!Number.isInteger(value) || value < min) {
      throw new ConfigError(
        ConfigErrorCode.InvalidValue,
        `parseConfig: ${name} must be an integer >= ${min}, got ${value}`,
      );
    }
  }
  return limits;
}

/**
 * Parses a Unit's config data for reading and lossless editing: multi-document YAML, or for a
 * non-YAML toolchain (native/native-formats.ts) its native text, read through the format's YAML view.
 *
 * Every YAML document of the text is kept, but only documents that hold something (not empty,
 * comment-only, `null`, `{}` or `[]`) appear in `documents`. `toString()` of the result returns
 * `text` unchanged until an edit is made; after an edit, a native toolchain's text is the format's
 * encoding of the edited documents (only the changed values' lines differ).
 *
 * @throws ConfigError with line and column for syntax errors, duplicate keys, tab indentation,
 *   unresolved aliases; `TOO_LARGE`, `TOO_DEEP` and `ALIAS_LIMIT` for inputs over the limits.
 */
export function parseConfig(text: string, options: ParseConfigOptions = {}): ConfigDocumentSet {
  if (typeof text !== "string") {
    throw new ConfigError(
      ConfigErrorCode.InvalidValue,
      `parseConfig: config data must be a string, got ${typeof text}`,
    );
  }
  const identity = toolchainIdentity(options.toolchain ?? DEFAULT_TOOLCHAIN);
  const limits = limitsFrom(options);
  const format = nativeFormat(identity.toolchain);
  // A native text's errors are positioned in the native text (the format's decode); its YAML view
  // is the format's own output, so a parse error there is a bug in the format, not in the input.
  const native = options.yamlView === true ? undefined : format?.decode(text, limits);
  const parsed = parseUnit(native ? native.yaml : text, limits);
  return new ConfigDocumentSet({
    toolchain: identity.toolchain,
    identity,
    limits,
    text,
    slots: slotsOf(parsed),
    trailing: parsed.trailing,
    ...(native ? { native } : {}),
  });
}

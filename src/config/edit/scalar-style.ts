// How a written scalar is spelled. Strings keep the quoting style of the value they replace, but a
// string that a YAML 1.2 or a YAML 1.1 reader (kubectl's sigs.k8s.io/yaml) would take for a number,
// bool or null is double-quoted: `"3"`, `"true"`, `"yes"`, `"on"`, `""`.
import { Schema, type CST, type Scalar as YamlScalar } from "yaml";
import { ConfigError, ConfigErrorCode } from "../errors.ts";

/** A scalar value that typed getters and setters accept. */
export type Scalar = string | number | boolean;

type ScalarStyle = YamlScalar.Type;

const core = new Schema({ schema: "core", compat: "yaml-1.1" });
const nonStringTags = [...core.tags, ...(core.compat ?? [])].filter(
  (tag) => tag.default === true && tag.tag !== "tag:yaml.org,2002:str" && "test" in tag && tag.test,
);

/** True when the plain spelling of `text` would not read back as the string `text`. */
export function plainReadsAsOtherType(text: string): boolean {
  return nonStringTags.some((tag) => (tag as { test?: RegExp }).test?.test(text) === true);
}

/** The YAML spelling of a number or bool (always plain). */
export function nonStringSource(value: number | boolean): string {
  if (typeof value === "boolean") return value ? "true" : "false";
  if (!Number.isFinite(value)) {
    throw new ConfigError(
      ConfigErrorCode.InvalidValue,
      `cannot write the number ${value}: only finite numbers`,
    );
  }
  return Object.is(value, -0) ? "0" : String(value);
}

/** The style a CST scalar token is written in. */
export function tokenStyle(token: CST.Token): ScalarStyle {
  switch (token.type) {
    case "single-quoted-scalar":
      return "QUOTE_SINGLE";
    case "double-quoted-scalar":
      return "QUOTE_DOUBLE";
    case "block-scalar": {
      const header = token.props[0];
      return header && "source" in header && header.source.startsWith(">") ? "BLOCK_FOLDED" : "BLOCK_LITERAL";
    }
    default:
      return "PLAIN";
  }
}

/**
 * The style to write `value` in, given the style of what it replaces (`PLAIN` for new values),
 * whether it sits in a flow collection, and whether an explicit `!!str` tag already makes it a string.
 */
export function styleFor(
  value: Scalar,
  previous: ScalarStyle,
  inFlow: boolean,
  taggedString = false,
): ScalarStyle {
  if (typeof value !== "string") return "PLAIN";
  if (value.includes("\n")) {
    if (inFlow) return "QUOTE_DOUBLE";
    return previous === "BLOCK_FOLDED" || previous === "BLOCK_LITERAL" ? previous : "BLOCK_LITERAL";
  }
  if (previous === "QUOTE_SINGLE" || previous === "QUOTE_DOUBLE") return previous;
  return plainReadsAsOtherType(value) && !taggedString ? "QUOTE_DOUBLE" : "PLAIN";
}

/** The text setScalarValue/createScalarToken should write for `value`. */
export function scalarValueText(value: Scalar): string {
  return typeof value === "string" ? value : nonStringSource(value);
}

/** Checks a value before any byte is written. */
export function assertScalar(value: unknown, where: string): asserts value is Scalar {
  if (typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    nonStringSource(value);
    return;
  }
  throw new ConfigError(
    ConfigErrorCode.InvalidValue,
    `cannot write ${value === null ? "null" : typeof value} at ${where}: set() takes a string, number or boolean (use setValue for maps, lists and null)`,
    { path: where },
  );
}

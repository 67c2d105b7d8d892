// AppConfig/Env: a .env file seen as one flat YAML document of string values (a .env file has no
// types, so `PORT=8080` is the string "8080" in the view too). Writing back rewrites only the bytes
// of a changed value, keeping its quoting (re-quoting only a value that needs it), drops the line of
// a removed key and appends `KEY=value` for a new one.
import { ConfigError, ConfigErrorCode } from "../../errors.ts";
import type { ParseLimits } from "../../parse/limits.ts";
import type { NativeFormat, NativeView } from "../native-format.ts";
import { viewYaml } from "../view-yaml.ts";
import { envIdentity } from "./env-identity.ts";
import { parseEnv, type EnvEntry, type EnvQuote } from "./env-syntax.ts";

const VALID_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function checkSize(text: string, limits: ParseLimits): void {
  const size = Buffer.byteLength(text, "utf8");
  if (size > limits.maxBytes) {
    throw new ConfigError(
      ConfigErrorCode.TooLarge,
      `config data is ${size} bytes, more than the limit of ${limits.maxBytes} bytes`,
    );
  }
}

function invalid(path: string, what: string): ConfigError {
  return new ConfigError(ConfigErrorCode.InvalidValue, `${path}: ${what}`, { path });
}

/** The text of a value for the .env file (scalars only: a .env value is a string). */
function envString(value: unknown, key: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  if (value === null || value === undefined) {
    throw invalid(key, "a .env value cannot be null; set a string (an empty one for no value)");
  }
  throw invalid(key, `a .env value must be a string, not a ${Array.isArray(value) ? "list" : "map"}`);
}

/**
 * Whether `value` can stay unquoted: dotenv would read more without quotes, but a .env file is also
 * sourced by shells, so whitespace, quotes, backslashes and a leading `#` get quotes.
 */
function fitsUnquoted(value: string): boolean {
  return /^[^\s'"`\\#][^\s'"`\\]*$/.test(value) || value === "";
}

function fitsSingle(value: string): boolean {
  return !value.includes("'") && !value.endsWith("\\");
}

function doubleQuoted(value: string, literalNewlines: boolean): string {
  const escaped = value
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\r/g, "\\r")
    .replace(/\n/g, literalNewlines ? "\n" : "\\n");
  return `"${escaped}"`;
}

/** The value's text in the quoting style `quote` when it can hold it, else the closest that can. */
function quoted(value: string, quote: EnvQuote, originalRaw: string): string {
  switch (quote) {
    case "none":
      if (fitsUnquoted(value)) return value;
      return fitsSingle(value) && !/[\r\n]/.test(value) ? `'${value}'` : doubleQuoted(value, false);
    case "single":
      return fitsSingle(value) ? `'${value}'` : doubleQuoted(value, false);
    case "double":
      return doubleQuoted(value, /[\r\n]/.test(originalRaw));
  }
}

class EnvView implements NativeView {
  readonly yaml: string;

  constructor(
    private readonly text: string,
    private readonly entries: readonly EnvEntry[],
    private readonly newline: string,
  ) {
    const view: Record<string, string> = {};
    for (const entry of entries) {
      // `__proto__` is an ordinary variable name: define it rather than set the prototype.
      Object.defineProperty(view, entry.key, {
        value: entry.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    this.yaml = viewYaml(view);
  }

  encode(documents: readonly unknown[]): string {
    // No document (the view was empty, or its document was deleted) is a file without keys.
    if (documents.length === 0) return this.encode([{}]);
    if (documents.length > 1) {
      throw new ConfigError(
        ConfigErrorCode.InvalidValue,
        `an AppConfig/Env Unit holds one document, not ${documents.length}`,
      );
    }
    const document = documents[0];
    if (document === null || typeof document !== "object" || Array.isArray(document)) {
      throw new ConfigError(
        ConfigErrorCode.InvalidValue,
        "an AppConfig/Env document must be a map of variables",
      );
    }
    const values = document as Record<string, unknown>;
    const text = this.text;
    let out = "";
    let cursor = 0;
    const known = new Set<string>();
    for (const entry of this.entries) {
      known.add(entry.key);
      if (!Object.hasOwn(values, entry.key)) {
        out += text.slice(cursor, entry.lineStart);
        cursor = entry.lineEnd;
        continue;
      }
      const value = envString(values[entry.key], entry.key);
      if (value === entry.value) continue;
      const raw = text.slice(entry.valueStart, entry.valueEnd);
      out += text.slice(cursor, entry.valueStart) + quoted(value, entry.quote, raw);
      cursor = entry.valueEnd;
    }
    out += text.slice(cursor);
    for (const [key, raw] of Object.entries(values)) {
      if (known.has(key)) continue;
      if (!VALID_KEY.test(key)) {
        throw invalid(
          key,
          "a .env variable name is letters, digits, _, . and - and does not start with a digit",
        );
      }
      const value = envString(raw, key);
      if (out !== "" && !out.endsWith("\n")) out += this.newline;
      out += `${key}=${quoted(value, "none", "")}${this.newline}`;
    }
    return out;
  }
}

export const envFormat: NativeFormat = {
  toolchain: envIdentity.toolchain,
  identity: envIdentity,
  decode(text: string, limits: ParseLimits): NativeView {
    checkSize(text, limits);
    const { entries, newline } = parseEnv(text);
    return new EnvView(text, entries, newline);
  },
};

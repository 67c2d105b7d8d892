// Turning a Unit's base64 `Data` into the text we store, with the checks that make it config data:
// at most UNIT_DATA_MAX_BYTES (413, checked before decoding), canonical base64 (400), UTF-8 text
// without NUL bytes (422), and for every toolchain functions run on (TOOLCHAIN_TYPES) text that the
// config layer parses: a YAML stream for Kubernetes/YAML, duplicate keys and its size, depth and alias
// limits included (422 naming document, line and column), or the toolchain's native syntax (422 naming
// line and column in the native text).
import { YAMLError } from "yaml";
import {
  UNIT_DATA_MAX_BYTES,
  base64DecodedLength,
  ConfigErrorCode,
  isConfigError,
  isToolchainType,
  parseConfig,
  type ConfigError,
} from "../config/index.ts";
import { badRequest, payloadTooLarge, unprocessable } from "./errors.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Base64 -> text, with the base64, UTF-8 and NUL checks. `field` names the property for messages. */
export function decodeDataText(base64: string, field = "body/Data"): string {
  const size = base64DecodedLength(base64);
  if (size > UNIT_DATA_MAX_BYTES) {
    throw payloadTooLarge(
      `${field} is ${size} bytes, more than the limit of ${UNIT_DATA_MAX_BYTES} bytes (16 MiB) for a Unit's config data`,
    );
  }
  const bytes = Buffer.from(base64, "base64");
  // Buffer.from skips characters outside the alphabet; a canonical round trip proves there were none.
  if (bytes.toString("base64") !== base64) {
    throw badRequest(`${field} is not valid base64 (standard alphabet, with padding)`);
  }
  return decodeDataBytes(bytes, field);
}

/** Raw bytes -> text, with the UTF-8 and NUL checks (the size is the caller's: it has the bytes). */
export function decodeDataBytes(bytes: Uint8Array, field: string): string {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw unprocessable(`${field} is not UTF-8 text: config data must be text`);
  }
  const nul = text.indexOf("\0");
  if (nul !== -1)
    throw unprocessable(`${field} contains a NUL byte at offset ${nul}: config data must be text`);
  return text;
}

/**
 * The format check of a toolchain (422 with the position of the first problem). Data of a toolchain
 * functions run on goes through the config layer's parser with its default limits, the very parse the
 * engine does later, so data accepted here never fails to parse when a function runs. Data of other
 * toolchains (AppConfig/INI, ...) is stored as text, unchecked: nothing in confn reads it.
 */
export function checkConfigData(text: string, toolchainType: string, field = "body/Data"): void {
  if (!isToolchainType(toolchainType)) return;
  try {
    parseConfig(text, { toolchain: toolchainType });
  } catch (error) {
    if (!isConfigError(error)) throw error;
    throw unprocessable(
      toolchainType === "Kubernetes/YAML"
        ? yamlProblem(error, field)
        : nativeProblem(error, field, toolchainType),
    );
  }
}

// `line L, column C: reason` in the native text (the format's message names the position too).
function nativeProblem(error: ConfigError, field: string, toolchainType: string): string {
  const verdict = LIMIT_CODES.has(error.code) ? "is not accepted" : `is not valid ${toolchainType}`;
  // Some formats' messages name the position themselves (`invalid HCL at line 3, column 1: ...`).
  if (error.line === undefined || error.message.includes(`line ${error.line}`)) {
    return `${field} ${verdict}: ${error.message}`;
  }
  const where =
    error.column === undefined ? `line ${error.line}` : `line ${error.line}, column ${error.column}`;
  return `${field} ${verdict}: ${where}: ${error.message}`;
}

const LIMIT_CODES: ReadonlySet<string> = new Set([
  ConfigErrorCode.TooLarge,
  ConfigErrorCode.TooDeep,
  ConfigErrorCode.AliasLimit,
]);

// `document N, line L, column C: reason`, with the `yaml` package's own wording of a parse error
// when it has one (its message without the position it repeats).
function yamlProblem(error: ConfigError, field: string): string {
  if (error.line === undefined) return `${field} is not valid config data: ${error.message}`;
  const document = `document ${(error.documentIndex ?? 0) + 1}`;
  const where =
    error.column === undefined ? `line ${error.line}` : `line ${error.line}, column ${error.column}`;
  const reason =
    error.cause instanceof YAMLError
      ? (error.cause.message.split("\n", 1)[0] ?? error.cause.message).replace(
          / at line \d+, column \d+:?$/,
          "",
        )
      : error.message
          .replace(/ at line \d+, column \d+ \(document \d+\)$/, "")
          .replace(/^document \d+ \(line \d+\) /, "")
          .replace(/^invalid YAML: /, "");
  // A limit is not a syntax error: the text may be valid YAML that confn will not take.
  const verdict = LIMIT_CODES.has(error.code) ? "is not accepted" : "is not valid YAML";
  return `${field} ${verdict}: ${document}, ${where}: ${reason}`;
}

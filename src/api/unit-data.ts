// Turning a Unit's base64 `Data` into the text we store, with the checks that make it config data:
// at most UNIT_DATA_MAX_BYTES (413, checked before decoding), canonical base64 (400), UTF-8 text
// without NUL bytes (422), and for Kubernetes/YAML a YAML stream within the config layer's depth
// limit that parses, duplicate keys included (422 naming document, line and column). The YAML
// check is this one function so it can move to src/config's parser without touching routes.
import { parseAllDocuments } from "yaml";
import {
  UNIT_DATA_MAX_BYTES,
  base64DecodedLength,
  checkWithinLimits,
  defaultParseLimits,
  isConfigError,
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

/** The format check of a toolchain (422 with the position of the first problem). */
export function checkConfigData(text: string, toolchainType: string, field = "body/Data"): void {
  if (toolchainType === "Kubernetes/YAML") checkYaml(text, field);
}

function checkYaml(text: string, field: string): void {
  // Nesting first: the yaml package's composer recurses once per level.
  try {
    checkWithinLimits(text, defaultParseLimits);
  } catch (error) {
    if (isConfigError(error)) throw unprocessable(`${field} is not accepted: ${error.message}`);
    throw error;
  }
  const documents = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true });
  // An empty stream parses to an EmptyStream with no documents and no errors.
  const list = Array.isArray(documents) ? documents : [];
  for (const [index, document] of list.entries()) {
    const error = document.errors[0];
    if (!error) continue;
    const position = error.linePos?.[0];
    const where = position ? `line ${position.line}, column ${position.col}` : `offset ${error.pos[0]}`;
    const firstLine = error.message.split("\n")[0] ?? error.message;
    const reason = firstLine.replace(/ at line \d+, column \d+:?$/, "");
    throw unprocessable(`${field} is not valid YAML: document ${index + 1}, ${where}: ${reason}`);
  }
}

// Turning a Unit's base64 `Data` into the text we store, with the checks that make it config data:
// at most UNIT_DATA_MAX_BYTES (413, checked before decoding), canonical base64 (400), UTF-8 text
// without NUL bytes (422), and for every toolchain functions run on (TOOLCHAIN_TYPES) text that the
// config layer parses: a YAML stream for Kubernetes/YAML, duplicate keys and its size, depth and alias
// limits included (422 naming document, line and column), or the toolchain's native syntax (422 naming
// line and column in the native text).
import { UNIT_DATA_MAX_BYTES, base64DecodedLength } from "../config/index.ts";
import type { EnginePool } from "../invoke/index.ts";
import type { Kysely } from "kysely";
import {
  checkUnitData,
  unitToolchainType,
  type DatabaseSchema,
  type UnitDataCheck,
  type UnitDataColumns,
  type UnitKey,
} from "../store/index.ts";
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
 * The format check of a toolchain (422 with the position of the first problem; checkUnitData says
 * what is checked), and the data's derived columns from the same parse, for the write.
 */
export function checkConfigData(text: string, toolchainType: string, field = "body/Data"): UnitDataColumns {
  return checkedColumns(checkUnitData(text, toolchainType, field));
}

/** Data from this size (characters) on is parsed on an engine thread, when the server has them. */
export const OFF_THREAD_DATA_CHARACTERS = 256 * 1024;

/**
 * checkConfigData, on an engine thread for large data (OFF_THREAD_DATA_CHARACTERS): parsing
 * megabytes takes seconds, which would hold every other request on the main thread. Should the
 * thread fail (or the pool be closing), the same check runs here.
 */
export async function checkConfigDataOffThread(
  text: string,
  toolchainType: string,
  pool: EnginePool | undefined,
  field = "body/Data",
): Promise<UnitDataColumns> {
  if (!pool || text.length < OFF_THREAD_DATA_CHARACTERS) return checkConfigData(text, toolchainType, field);
  let check: UnitDataCheck;
  try {
    check = await pool.checkUnitData(text, toolchainType, field);
  } catch {
    check = checkUnitData(text, toolchainType, field);
  }
  return checkedColumns(check);
}

/**
 * For a bulk call that writes one Data to many Units: checks it once per toolchain (the check and
 * its columns depend on the text and the toolchain alone), large data on an engine thread
 * (checkConfigDataOffThread). Parsing it again for every Unit held the main thread N times over, and
 * a bulk PATCH did so inside each Unit's transaction. A refusal is the same error for every Unit of
 * that toolchain, as when each was checked on its own.
 */
export function dataCheckPerToolchain(
  text: string,
  pool: EnginePool | undefined,
  field = "body/Data",
): (toolchainType: string) => Promise<UnitDataColumns> {
  const checks = new Map<string, Promise<UnitDataColumns>>();
  return (toolchainType) => {
    let check = checks.get(toolchainType);
    if (!check) {
      check = checkConfigDataOffThread(text, toolchainType, pool, field);
      checks.set(toolchainType, check);
    }
    return check;
  };
}

/**
 * For an update of an existing Unit: large data (see checkConfigDataOffThread) is checked before the
 * write's transaction, with the Unit's toolchain read first (it never changes), so that the parse
 * holds neither the main thread nor, on PGlite, the database's only connection. Undefined: the data
 * is small (or there are no engine threads) and the caller checks it in its transaction as before.
 */
export async function checkLargeDataFirst(
  db: Kysely<DatabaseSchema>,
  key: UnitKey,
  data: string | undefined,
  pool: EnginePool | undefined,
  field = "body/Data",
): Promise<UnitDataColumns | undefined> {
  if (data === undefined || !pool || data.length < OFF_THREAD_DATA_CHARACTERS) return undefined;
  return checkConfigDataOffThread(data, await unitToolchainType(db, key), pool, field);
}

function checkedColumns(check: UnitDataCheck): UnitDataColumns {
  if ("problem" in check) throw unprocessable(check.problem);
  return check.columns;
}

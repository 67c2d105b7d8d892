// The Unit columns that hold its data and what is derived from it (the digests and the where_data
// pre-filter's JSONB copy). Every data write sets them all through unitDataColumns, so a new
// derived column cannot be forgotten by one of the write paths. This file is also an entry point of
// its own (beside index.ts): it loads no database code, so an engine thread computes a changed
// Unit's columns in parallel with the main thread's saves (src/invoke/engine-thread.ts).
import type { ConfigDocumentSet } from "../config/index.ts";
import { contentHash, dataHash } from "./hashes.ts";
import { unitDataJson } from "./unit-data-json.ts";

export interface UnitDataColumns {
  readonly data: string;
  readonly data_hash: string;
  readonly content_hash: number;
  /** Depends on the Unit's toolchain (see unit-data-json.ts). */
  readonly data_json: string | null;
}

/** `parsed`: documents whose text is `data`, when the caller holds them (see unitDataJson). */
export function unitDataColumns(
  data: string,
  toolchainType: string,
  parsed?: ConfigDocumentSet,
): UnitDataColumns {
  return {
    data,
    data_hash: dataHash(data),
    content_hash: contentHash(data),
    data_json: unitDataJson(data, toolchainType, parsed),
  };
}

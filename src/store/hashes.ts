// The two digests ConfigHub keeps for config data: DataHash (SHA-256, hex) and the deprecated
// ContentHash (CRC-32 IEEE, which Go clients read as a signed 32-bit int).
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";

export function dataHash(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

export function contentHash(data: Uint8Array | string): number {
  return crc32(data) | 0;
}

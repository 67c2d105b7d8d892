// Byte fields on ConfigHub's wire (Unit and Revision `Data`, `ConfigData`, `Outputs` values) are the
// base64 of UTF-8 text: the one encoder and decoder the engine, the API and the CLI share.

export function toBase64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

/** Lenient: characters outside the alphabet are skipped (the API checks its input strictly). */
export function fromBase64(encoded: string): string {
  return Buffer.from(encoded, "base64").toString("utf8");
}

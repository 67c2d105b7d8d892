// Byte fields on ConfigHub's wire (Unit and Revision `Data`, `ConfigData`, `Outputs` values) are the
// base64 of UTF-8 text: the one encoder and decoder the engine, the API and the CLI share.

export function toBase64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

/** A character outside base64's alphabet and its padding. */
const NOT_BASE64 = /[^A-Za-z0-9+/=]/;

/**
 * Whether `text` is base64: its alphabet, with at most two "=" and only at the end (isPaddedBase64
 * also wants whole groups). A scan for a foreign character is about twice as fast as matching the
 * whole text with one pattern.
 */
export function isBase64(text: string): boolean {
  if (NOT_BASE64.test(text)) return false;
  const padding = text.indexOf("=");
  return padding === -1 || (padding >= text.length - 2 && text.endsWith("="));
}

/** isBase64 in whole groups of four characters, as Go's StdEncoding writes it (it always pads). */
export function isPaddedBase64(text: string): boolean {
  return text.length % 4 === 0 && isBase64(text);
}

/** Lenient: characters outside the alphabet are skipped (the API checks its input strictly). */
export function fromBase64(encoded: string): string {
  return Buffer.from(encoded, "base64").toString("utf8");
}

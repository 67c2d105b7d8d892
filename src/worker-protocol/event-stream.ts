// The stream's framing: one event per line, `data: <single-line JSON>\n\n`, the event type inside
// the JSON. Lines without the `data: ` prefix are comments (ConfigHub's client ignores them).
import type { ServerEvent } from "./messages.ts";

const DATA_PREFIX = "data: ";

/** Frames one event for the stream (JSON.stringify never emits a raw newline). */
export function encodeEvent(event: ServerEvent): string {
  return `${DATA_PREFIX}${JSON.stringify(event)}\n\n`;
}

/**
 * Splits a growing text buffer into complete lines and parses every `data: ` line as an event.
 * Returns the events and the unterminated remainder to keep for the next chunk.
 */
export function decodeEvents(buffer: string): { events: unknown[]; rest: string } {
  const events: unknown[] = [];
  let start = 0;
  for (let end = buffer.indexOf("\n", start); end !== -1; end = buffer.indexOf("\n", start)) {
    const line = buffer.slice(start, end).replace(/\r$/, "");
    start = end + 1;
    if (line.startsWith(DATA_PREFIX)) events.push(JSON.parse(line.slice(DATA_PREFIX.length)));
  }
  return { events, rest: buffer.slice(start) };
}

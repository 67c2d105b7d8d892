// Public API of the bridge worker protocol (spec/server-api.md §4): the messages both ends exchange
// and the stream's framing. Shared by the server (src/api worker port, the dispatcher) and the
// TypeScript worker SDK; it imports only the engine's types.
export * from "./messages.ts";
export { decodeEvents, encodeEvent } from "./event-stream.ts";

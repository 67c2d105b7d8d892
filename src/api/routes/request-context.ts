// What the store needs to know about the caller of a write.
import type { FastifyRequest } from "fastify";
import type { DataChangeHook, WriteContext } from "../../store/index.ts";

const MAX_USER_AGENT = 512;

/** `onDataChange`: the hook a Data write runs inside its transaction (the Space's triggers), if any. */
export function writeContext(request: FastifyRequest, onDataChange?: DataChangeHook): WriteContext {
  return {
    // There are no user accounts: the API token is the actor a Revision records.
    userId: request.principal.tokenId,
    userAgent: (request.headers["user-agent"] ?? "").slice(0, MAX_USER_AGENT),
    // The Space's Mutation triggers run inside every Data write (src/invoke/trigger-hook.ts).
    ...(onDataChange ? { onDataChange } : {}),
  };
}

// Every response carries the request id (also in every log line of the request) as X-Request-Id,
// so a user can quote it and an operator can find the request in the log.
import type { FastifyInstance } from "fastify";

export function registerRequestId(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    reply.header("X-Request-Id", request.id);
  });
}

// GET /healthz: 200 while the server can reach its database, 503 otherwise (for load balancers and
// process supervisors; no authentication, no details beyond that).
import { sql, type Kysely } from "kysely";
import type { FastifyInstance } from "fastify";
import type { DatabaseSchema } from "../../store/index.ts";
import { serviceUnavailable } from "../errors.ts";

export async function healthRoutes(
  app: FastifyInstance,
  { db }: { db: Kysely<DatabaseSchema> },
): Promise<void> {
  app.get(
    "/healthz",
    {
      logLevel: "warn",
      schema: {
        operationId: "health",
        summary: "Liveness: the server answers and reaches its database",
        tags: ["Info"],
        security: [],
        response: {
          200: { type: "object", properties: { Status: { type: "string" } } },
          503: { $ref: "StandardErrorResponse#" },
        },
      },
    },
    async (request) => {
      try {
        await sql`select 1`.execute(db);
      } catch (error) {
        request.log.error({ err: error }, "health check: database unreachable");
        throw serviceUnavailable("database unreachable");
      }
      return { Status: "ok" };
    },
  );
}

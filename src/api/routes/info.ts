// GET /api/info: what a client learns before it authenticates (ConfigHub's ApiInfo).
import type { FastifyInstance } from "fastify";

export const apiInfoSchema = {
  $id: "ApiInfo",
  type: "object",
  description: "Information provided to clients by the server.",
  properties: {
    Version: { type: "string", description: "Version of the server." },
    Build: { type: "string", description: "Build identifier for support cases." },
  },
} as const;

export async function infoRoutes(app: FastifyInstance, { version }: { version: string }): Promise<void> {
  app.get(
    "/info",
    {
      schema: {
        operationId: "apiInfo",
        summary: "Server information (no authentication)",
        tags: ["Info"],
        security: [],
        response: { 200: { $ref: "ApiInfo#" } },
      },
    },
    async () => ({ Version: version, Build: `confn ${version}` }),
  );
}

// GET /api/info: what a client learns before it authenticates (ConfigHub's ApiInfo).
import type { FastifyInstance } from "fastify";

export const apiInfoSchema = {
  $id: "ApiInfo",
  type: "object",
  description: "Information provided to clients by the server.",
  properties: {
    Version: { type: "string", description: "Version of the server." },
    Build: { type: "string", description: "Build identifier for support cases." },
    WorkerPort: {
      type: "string",
      description:
        "The port bridge workers connect to (HTTP/2; docs/bridge-workers.md); absent when none is served.",
    },
  },
} as const;

export async function infoRoutes(
  app: FastifyInstance,
  { version, workerPort }: { version: string; workerPort?: number | undefined },
): Promise<void> {
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
    async () => ({
      Version: version,
      Build: `confn ${version}`,
      ...(workerPort !== undefined ? { WorkerPort: String(workerPort) } : {}),
    }),
  );
}

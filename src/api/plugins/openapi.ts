// OpenAPI from the route schemas: @fastify/swagger collects them, GET /openapi.json serves the
// document and /docs the bundled Swagger UI (its assets ship in the package: works offline).
// The shared entity schemas (app.addSchema with an $id) become components.schemas under that id.
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";

export interface OpenApiInfo {
  readonly version: string;
}

export async function registerOpenApi(app: FastifyInstance, info: OpenApiInfo): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "confn API",
        description:
          "Configuration-function invocation engine in the style of ConfigHub. JSON keys are PascalCase, " +
          "byte fields base64, every non-2xx body a StandardErrorResponse.",
        version: info.version,
      },
      servers: [{ url: "/" }],
      components: {
        securitySchemes: {
          bearerAuth: { type: "http", scheme: "bearer", description: "An API token (confn_...)." },
        },
      },
      security: [{ bearerAuth: [] }],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === "string" ? json.$id : `def-${i}`,
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs", logLevel: "warn" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}

// The Fastify application: shared schemas, validation, errors, OpenAPI, /healthz, and the /api
// routes (all but GET /api/info behind bearer-token auth). `buildApp` neither listens nor opens
// the database: server.ts does that, tests inject requests directly.
import { randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { Kysely } from "kysely";
import type { DatabaseSchema } from "../store/schema.ts";
import { standardErrorResponseSchema } from "./errors.ts";
import { registerAuth } from "./plugins/auth.ts";
import { registerErrorHandler } from "./plugins/error-handler.ts";
import { registerOpenApi } from "./plugins/openapi.ts";
import { registerRequestId } from "./plugins/request-id.ts";
import { registerValidation } from "./plugins/validation.ts";
import { healthRoutes } from "./routes/health.ts";
import { apiInfoSchema, infoRoutes } from "./routes/info.ts";
import { meRoutes, organizationMemberSchema } from "./routes/me.ts";
import { deleteResponseSchema } from "./routes/responses.ts";
import { revisionRoutes } from "./routes/revisions.ts";
import { spaceRoutes } from "./routes/spaces.ts";
import { unitRoutes } from "./routes/units.ts";
import { extendedMutationSchema, mutationSchema } from "./wire/mutation.ts";
import { extendedRevisionSchema, revisionSchema } from "./wire/revision.ts";
import { extendedSpaceSchema, spaceSchema } from "./wire/space.ts";
import { extendedUnitSchema, unitSchema } from "./wire/unit.ts";
import { version } from "./version.ts";

/** ConfigHub's Unit Data limit (64 MiB) is the default body limit. */
export const DEFAULT_BODY_LIMIT = 64 * 1024 * 1024;

export interface AppOptions {
  readonly db: Kysely<DatabaseSchema>;
  /** pino options, or false (the default) for no logs. */
  readonly logger?: FastifyServerOptions["logger"];
  /** Largest accepted request body in bytes. */
  readonly bodyLimit?: number;
}

const SHARED_SCHEMAS = [
  standardErrorResponseSchema,
  deleteResponseSchema,
  apiInfoSchema,
  organizationMemberSchema,
  spaceSchema,
  extendedSpaceSchema,
  unitSchema,
  extendedUnitSchema,
  revisionSchema,
  extendedRevisionSchema,
  mutationSchema,
  extendedMutationSchema,
];

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { db } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    genReqId: () => randomUUID(),
    // Never trust a client-chosen id: it would end up in our logs verbatim.
    requestIdHeader: false,
    ajv: { customOptions: { strict: false } },
  });

  registerRequestId(app);
  registerErrorHandler(app);
  registerValidation(app);
  // ConfigHub sends PATCH bodies as JSON merge patch; parse them like JSON (same limits, same
  // prototype-poisoning protection).
  app.addContentTypeParser(
    "application/merge-patch+json",
    { parseAs: "string" },
    app.getDefaultJsonParser("error", "error"),
  );
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await registerOpenApi(app, { version });

  await app.register(healthRoutes, { db });
  await app.register(
    async (api) => {
      await api.register(infoRoutes, { version });
      await api.register(async (authenticated) => {
        registerAuth(authenticated, db);
        await authenticated.register(meRoutes);
        await authenticated.register(spaceRoutes, { db });
        await authenticated.register(unitRoutes, { db });
        await authenticated.register(revisionRoutes, { db });
      });
    },
    { prefix: "/api" },
  );
  return app;
}

// The Fastify application: shared schemas, validation, errors, OpenAPI, /healthz, the web console
// at / (plugins/console.ts), and the /api routes (all but GET /api/info behind bearer-token auth).
// `buildApp` neither listens nor opens the database: server.ts does that, tests inject requests directly.
import { randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { Kysely } from "kysely";
import { standardFunctions } from "../../functions/index.ts";
import { UNIT_DATA_MAX_BYTES, base64Length } from "../config/index.ts";
import { FunctionRegistry } from "../engine/index.ts";
import type { DatabaseSchema } from "../store/index.ts";
import { standardErrorResponseSchema } from "./errors.ts";
import {
  functionInvocationsResponseSchema,
  functionSignatureSchema,
  responseErrorSchema,
} from "./wire/invoke.ts";
import {
  EnginePool,
  WorkerConnections,
  createTriggerHook,
  type EngineThreadSettings,
  type WorkerExecutor,
} from "../invoke/index.ts";
import { registerAuth } from "./plugins/auth.ts";
import { registerErrorHandler } from "./plugins/error-handler.ts";
import { registerNulCheck } from "./plugins/nul-characters.ts";
import { registerConsole } from "./plugins/console.ts";
import { registerOpenApi } from "./plugins/openapi.ts";
import { registerQueryParameterCheck } from "./plugins/query-parameters.ts";
import { registerRequestId } from "./plugins/request-id.ts";
import { registerValidation } from "./plugins/validation.ts";
import { healthRoutes } from "./routes/health.ts";
import { apiInfoSchema, infoRoutes } from "./routes/info.ts";
import { meRoutes, organizationMemberSchema } from "./routes/me.ts";
import { bridgeWorkerRoutes } from "./routes/bridge-workers.ts";
import { changeSetRoutes } from "./routes/change-sets.ts";
import { tokenRoutes } from "./routes/tokens.ts";
import { filterRoutes } from "./routes/filters.ts";
import { functionRoutes } from "./routes/functions.ts";
import { invocationRoutes } from "./routes/invocations.ts";
import { triggerRoutes } from "./routes/triggers.ts";
import { deleteResponseSchema } from "./routes/responses.ts";
import { revisionRoutes } from "./routes/revisions.ts";
import { spaceRoutes } from "./routes/spaces.ts";
import { unitBulkRoutes } from "./routes/unit-bulk.ts";
import { spaceUpdateRoutes } from "./routes/space-update.ts";
import { unitRoutes } from "./routes/units.ts";
import { unitUpdateRoutes } from "./routes/unit-update.ts";
import { unitDataRoutes } from "./routes/unit-data-routes.ts";
import {
  bridgeWorkerSchema,
  bridgeWorkerStatusSchema,
  extendedBridgeWorkerSchema,
} from "./wire/bridge-worker.ts";
import { changeSetSchema, extendedChangeSetSchema } from "./wire/change-set.ts";
import { extendedFilterSchema, filterSchema } from "./wire/filter.ts";
import { extendedInvocationSchema, invocationSchema } from "./wire/invocation.ts";
import { extendedMutationSchema, mutationSchema } from "./wire/mutation.ts";
import { extendedTriggerSchema, triggerSchema } from "./wire/trigger.ts";
import { extendedRevisionSchema, revisionSchema } from "./wire/revision.ts";
import { extendedSpaceSchema, spaceSchema } from "./wire/space.ts";
import { extendedUnitSchema, unitSchema } from "./wire/unit.ts";
import { unitCreateOrUpdateResponseSchema } from "./wire/unit-bulk.ts";
import { apiTokenSchema, createdApiTokenSchema } from "./wire/api-token.ts";
import { version } from "./version.ts";

/**
 * Room for a Unit of the largest config data: its base64, plus 1 MiB for the rest of the request
 * (labels, annotations, descriptions). Larger bodies are refused before they are read in full.
 */
export const DEFAULT_BODY_LIMIT = base64Length(UNIT_DATA_MAX_BYTES) + 1024 * 1024;

export interface AppOptions {
  readonly db: Kysely<DatabaseSchema>;
  /** pino options, or false (the default) for no logs. */
  readonly logger?: FastifyServerOptions["logger"];
  /** Largest accepted request body in bytes. */
  readonly bodyLimit?: number;
  /** The builtin functions; the standard library (functions/index.ts) by default. */
  readonly functions?: FunctionRegistry;
  /** Where the built web console is (dist/console of the package by default). */
  readonly consoleDir?: string;
  /**
   * The bridge workers connected to this process (the WorkerExecutor of worker dispatch); one with
   * default settings when omitted. The worker port (worker-port.ts) must share the same instance.
   */
  readonly workerConnections?: WorkerConnections;
  /**
   * How function invocations, saved Invocations and Triggers reach bridge workers. Default: the
   * workerConnections given (a server with a worker port); with neither, a request that names a
   * BridgeWorkerID is a 503.
   */
  readonly workerExecutor?: WorkerExecutor;
  /** The worker port's listening port, which GET /api/info advertises (WorkerPort); none when not serving one. */
  readonly workerPort?: number;
  /**
   * Engine threads for the Units of large calls that write nothing (issue 17), started at the first
   * such call and stopped when the app closes. Fewer than 2 threads, or `functions` given (the
   * threads run the standard library only): every Unit runs on the main thread, as by default.
   */
  readonly engineThreads?: EngineThreadSettings;
}

declare module "fastify" {
  interface FastifyInstance {
    /** The connected bridge workers: the WorkerExecutor invocations dispatch to (AppOptions.workerConnections). */
    workerConnections: WorkerConnections;
  }
}

const SHARED_SCHEMAS = [
  standardErrorResponseSchema,
  deleteResponseSchema,
  apiInfoSchema,
  organizationMemberSchema,
  apiTokenSchema,
  createdApiTokenSchema,
  spaceSchema,
  extendedSpaceSchema,
  unitSchema,
  extendedUnitSchema,
  unitCreateOrUpdateResponseSchema,
  revisionSchema,
  extendedRevisionSchema,
  mutationSchema,
  extendedMutationSchema,
  functionSignatureSchema,
  responseErrorSchema,
  functionInvocationsResponseSchema,
  filterSchema,
  extendedFilterSchema,
  invocationSchema,
  extendedInvocationSchema,
  triggerSchema,
  extendedTriggerSchema,
  changeSetSchema,
  extendedChangeSetSchema,
  bridgeWorkerSchema,
  extendedBridgeWorkerSchema,
  bridgeWorkerStatusSchema,
];

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { db } = options;
  const functions = options.functions ?? FunctionRegistry.from(standardFunctions);
  // Argument checks (a CEL expression compiles) run before the engine, on every request.
  await functions.loadAll();
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    genReqId: () => randomUUID(),
    // Never trust a client-chosen id: it would end up in our logs verbatim.
    requestIdHeader: false,
    ajv: { customOptions: { strict: false } },
  });

  const workerConnections =
    options.workerConnections ??
    new WorkerConnections(db, {}, (error, context) => app.log.error({ err: error }, context));
  app.decorate("workerConnections", workerConnections);
  // Dispatch needs a worker port: only connections the caller shares with one can serve invocations.
  const workerExecutor: WorkerExecutor | undefined = options.workerExecutor ?? options.workerConnections;
  // Open worker streams never end by themselves: end them before the server waits for requests.
  app.addHook("preClose", async () => workerConnections.close());
  const enginePool =
    options.engineThreads && options.engineThreads.threads >= 2 && !options.functions
      ? new EnginePool(options.engineThreads)
      : undefined;
  // After the requests drained: their Units are done with the threads.
  if (enginePool) app.addHook("onClose", async () => enginePool.close());

  registerRequestId(app);
  registerErrorHandler(app);
  registerValidation(app);
  registerQueryParameterCheck(app);
  registerNulCheck(app);
  // JSON only: without this, Fastify's built-in text/plain parser would hand handlers a string.
  app.removeContentTypeParser("text/plain");
  // ConfigHub sends PATCH bodies as JSON merge patch; parse them like JSON (same limits, same
  // prototype-poisoning protection).
  app.addContentTypeParser(
    "application/merge-patch+json",
    { parseAs: "string" },
    app.getDefaultJsonParser("error", "error"),
  );
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await registerOpenApi(app, { version });
  await registerConsole(app, options.consoleDir);

  // Every Data write runs the Space's Mutation triggers through this hook (routes/request-context.ts).
  const dataChangeHook = createTriggerHook(functions);

  await app.register(healthRoutes, { db });
  await app.register(
    async (api) => {
      await api.register(infoRoutes, { version, workerPort: options.workerPort });
      await api.register(async (authenticated) => {
        registerAuth(authenticated, db);
        await authenticated.register(meRoutes);
        await authenticated.register(spaceRoutes, { db });
        await authenticated.register(spaceUpdateRoutes, { db });
        await authenticated.register(unitRoutes, { db, dataChangeHook, functions, enginePool });
        await authenticated.register(unitBulkRoutes, { db, dataChangeHook, enginePool });
        await authenticated.register(unitUpdateRoutes, { db, dataChangeHook, enginePool });
        await authenticated.register(unitDataRoutes, { db, dataChangeHook, enginePool });
        await authenticated.register(revisionRoutes, { db });
        await authenticated.register(functionRoutes, { db, functions, workerExecutor, enginePool });
        await authenticated.register(filterRoutes, { db });
        await authenticated.register(invocationRoutes, { db, functions, workerExecutor });
        await authenticated.register(triggerRoutes, { db, functions, workerExecutor });
        await authenticated.register(changeSetRoutes, { db });
        await authenticated.register(tokenRoutes, { db });
        await authenticated.register(bridgeWorkerRoutes, { db, workerConnections });
      });
    },
    { prefix: "/api" },
  );
  return app;
}

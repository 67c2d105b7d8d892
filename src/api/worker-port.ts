// The worker port: a second Fastify instance speaking HTTP/2 only, because ConfigHub's worker client
// does (spec/server-api.md §4): cleartext h2c with prior knowledge by default, TLS with ALPN h2 when
// a certificate is configured. It serves the worker protocol's routes alone (routes/worker-protocol.ts),
// shares the database and the WorkerConnections registry with the API, and never listens by itself.
import { randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import type { WorkerConnections } from "../invoke/index.ts";
import type { DatabaseSchema } from "../store/index.ts";
import { DEFAULT_BODY_LIMIT } from "./app.ts";
import { registerErrorHandler } from "./plugins/error-handler.ts";
import { registerNulCheck } from "./plugins/nul-characters.ts";
import { registerRequestId } from "./plugins/request-id.ts";
import { registerValidation } from "./plugins/validation.ts";
import { workerProtocolRoutes } from "./routes/worker-protocol.ts";

/** ConfigHub's client pings an idle connection; an HTTP/2 session outlives ~3 heartbeats of silence. */
const MIN_SESSION_TIMEOUT_MS = 72_000;

export interface WorkerPortOptions {
  readonly db: Kysely<DatabaseSchema>;
  readonly workerConnections: WorkerConnections;
  /** pino options, or false (the default) for no logs. */
  readonly logger?: boolean | { readonly level: string };
  /** Largest ActionResult body (it carries a Unit's config data, base64). */
  readonly bodyLimit?: number;
  /** PEM certificate and key: TLS (ALPN h2); cleartext h2c without. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
}

export async function buildWorkerPort(options: WorkerPortOptions): Promise<FastifyInstance> {
  const { workerConnections } = options;
  const common = {
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    genReqId: () => randomUUID(),
    requestIdHeader: false as const,
    http2SessionTimeout: Math.max(MIN_SESSION_TIMEOUT_MS, 3 * workerConnections.settings.heartbeatIntervalMs),
  };
  const { tls } = options;
  // Fastify's types tie the instance to its server type; the routes need only the common interface.
  const app = (tls
    ? Fastify({ ...common, http2: true, https: { cert: tls.cert, key: tls.key, allowHTTP1: false } })
    : Fastify({ ...common, http2: true })) as unknown as FastifyInstance;

  registerRequestId(app);
  registerErrorHandler(app);
  registerValidation(app);
  registerNulCheck(app);
  // Worker bodies are JSON whatever Content-Type a client sends (ConfigHub's client is not specific).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, app.getDefaultJsonParser("error", "error"));
  // Open streams never end by themselves: end them before the server waits for its sessions.
  app.addHook("preClose", async () => workerConnections.close());
  await app.register(workerProtocolRoutes, { db: options.db, workerConnections, prefix: "/api" });
  return app;
}

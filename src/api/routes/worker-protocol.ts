// The worker port's routes (spec/server-api.md §4), each authenticated by the secret of the worker
// named in the path (`Authorization: Bearer <secret>`):
//   GET  /api/bridge_worker/{id}/me             the worker itself (a ConfigHub worker reads its Slug)
//   POST /api/bridge_worker/{id}/stream         body WorkerInfo; 200 and an endless event stream
//   POST /api/bridge_worker/{id}/action_result  body ActionResult; 200 with a string
// An unknown worker and a wrong secret get the same 401, so the port reveals no worker IDs.
// action_result (one post per Unit and per heartbeat) trusts a secret verified in the last few
// seconds (WorkerCredentialCache; rotation and delete in this process forget it at once); me and
// stream, rare, always ask the database.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { WorkerConnections, WorkerStream } from "../../invoke/index.ts";
import {
  asOrganization,
  authenticateBridgeWorker,
  getBridgeWorker,
  NotFoundError,
  type DatabaseSchema,
  type WorkerKey,
} from "../../store/index.ts";
import {
  encodeEvent,
  type ActionResult,
  type ServerEvent,
  type WorkerInfo,
} from "../../worker-protocol/index.ts";
import { unauthorized } from "../errors.ts";
import { toWireBridgeWorker } from "../wire/bridge-worker.ts";
import { uuidSchema } from "../wire/common.ts";
import { actionResultSchema, workerInfoSchema } from "../wire/worker-protocol.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The worker a worker-port request authenticated as. */
    bridgeWorker: WorkerKey;
  }
}

/** Largest registration: thousands of function signatures fit comfortably. */
export const WORKER_INFO_MAX_BYTES = 4 * 1024 * 1024;
/**
 * Events a worker has not read yet that a stream may buffer; beyond this the worker is not reading
 * and the stream is cut (its pending operations fail at once instead of piling up in memory).
 */
export const STREAM_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

const ACTION_RESULT_URL = "/api/bridge_worker/:bridge_worker_id/action_result";
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const params = {
  type: "object",
  properties: { bridge_worker_id: uuidSchema },
  required: ["bridge_worker_id"],
} as const;

export async function workerProtocolRoutes(
  app: FastifyInstance,
  { db, workerConnections }: { db: Kysely<DatabaseSchema>; workerConnections: WorkerConnections },
): Promise<void> {
  app.decorateRequest("bridgeWorker", null as unknown as WorkerKey);
  app.addHook("onRequest", async (request, reply) => {
    reply.header("WWW-Authenticate", 'Bearer realm="confn-worker"');
    const header = request.headers.authorization;
    if (!header)
      throw unauthorized("missing Authorization header: send 'Authorization: Bearer <worker secret>'");
    const match = BEARER.exec(header);
    const id = (request.params as { bridge_worker_id?: string }).bridge_worker_id ?? "";
    const secret = match?.[1];
    const fresh = request.routeOptions.url !== ACTION_RESULT_URL;
    const lookup = async (): Promise<WorkerKey | undefined> => {
      const row = await authenticateBridgeWorker(db, id, secret ?? "");
      return row && { organizationId: row.organization_id, bridgeWorkerId: row.bridge_worker_id };
    };
    const worker =
      secret && UUID.test(id)
        ? await workerConnections.credentials.authenticate(id, secret, lookup, fresh)
        : undefined;
    if (!worker) throw unauthorized("unknown bridge worker or wrong secret");
    request.bridgeWorker = worker;
    reply.removeHeader("WWW-Authenticate");
  });
  app.addHook("preHandler", (request, _reply, done) =>
    asOrganization(request.bridgeWorker.organizationId, () => done()),
  );

  app.get("/bridge_worker/:bridge_worker_id/me", { schema: { params } }, async (request) => {
    const { organizationId, bridgeWorkerId } = request.bridgeWorker;
    try {
      return toWireBridgeWorker({
        ...(await getBridgeWorker(db, organizationId, bridgeWorkerId)),
        secret: undefined,
      });
    } catch (error) {
      // Deleted since it authenticated: answered like any unknown worker.
      if (error instanceof NotFoundError) throw unauthorized("unknown bridge worker or wrong secret");
      throw error;
    }
  });

  app.post<{ Body: WorkerInfo }>(
    "/bridge_worker/:bridge_worker_id/stream",
    { bodyLimit: WORKER_INFO_MAX_BYTES, schema: { params, body: workerInfoSchema } },
    (request, reply) => openStream(request, reply, workerConnections),
  );

  app.post<{ Body: ActionResult }>(
    "/bridge_worker/:bridge_worker_id/action_result",
    { schema: { params, body: actionResultSchema } },
    async (request, reply) => {
      const message = await workerConnections.receive(request.bridgeWorker, request.body);
      // ConfigHub answers a JSON string.
      return reply.type("application/json").send(JSON.stringify(message));
    },
  );
}

/** Answers 200 and keeps the response open as the worker's event stream until either side ends it. */
async function openStream(
  request: FastifyRequest<{ Body: WorkerInfo }>,
  reply: FastifyReply,
  workerConnections: WorkerConnections,
): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  // The 200 goes out once the registration is recorded (or with the first event, which connect
  // sends only after it), so a worker that sees its stream open already has its functions callable.
  const begin = () => {
    if (!raw.headersSent) {
      raw.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    }
  };
  let gone = false;
  const stream: WorkerStream = {
    send(event: ServerEvent) {
      if (gone || raw.writableEnded || raw.destroyed) throw new Error("the worker's stream is closed");
      if (raw.writableLength > STREAM_MAX_BUFFERED_BYTES) {
        raw.destroy();
        throw new Error("the worker does not read its stream");
      }
      begin();
      raw.write(encodeEvent(event));
    },
    end() {
      if (!raw.writableEnded && !raw.destroyed) {
        begin();
        raw.end();
      }
    },
  };
  // The stream may close while the registration is still being written: remember it.
  let onClose: (() => void) | undefined;
  raw.on("close", () => {
    gone = true;
    onClose?.();
  });
  raw.on("error", (error) => request.log.debug({ err: error }, "worker stream error"));
  const connection = await workerConnections.connect(
    request.bridgeWorker,
    request.body ?? {},
    request.ip,
    stream,
  );
  if (!connection) return;
  if (!gone && !raw.destroyed) begin();
  const closed = () => {
    connection.closed().catch((error: unknown) => request.log.error({ err: error }, "worker disconnect"));
  };
  if (gone) closed();
  else onClose = closed;
}

// Bearer-token authentication for /api routes, registered inside the /api scope (GET /api/info
// is registered outside it). A missing or unknown token is a 401; a viewer attempting a write is
// a 403. Reads are GET/HEAD unless a route says otherwise with `config: { access }` (e.g. an
// invoke route that lets viewers dry-run declares "read" and calls requireWrite itself). The rest
// of the request then runs on behalf of the caller's organization.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import { asOrganization, authenticateToken, type DatabaseSchema, type Principal } from "../../store/index.ts";
import { forbidden, unauthorized } from "../errors.ts";

export type Access = "read" | "write";

declare module "fastify" {
  interface FastifyRequest {
    /** The authenticated caller; set on every authenticated route. */
    principal: Principal;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export function registerAuth(app: FastifyInstance, db: Kysely<DatabaseSchema>): void {
  app.decorateRequest("principal", null as unknown as Principal);
  app.addHook("onRequest", async (request, reply) => {
    // RFC 6750: a 401 names the scheme it wants.
    reply.header("WWW-Authenticate", 'Bearer realm="confn"');
    const header = request.headers.authorization;
    if (!header) throw unauthorized("missing Authorization header: send 'Authorization: Bearer <token>'");
    const match = BEARER.exec(header);
    if (!match?.[1]) throw unauthorized("malformed Authorization header: expected 'Bearer <token>'");
    const principal = await authenticateToken(db, match[1]);
    if (!principal) throw unauthorized("invalid or revoked API token");
    request.principal = principal;
    reply.removeHeader("WWW-Authenticate");
    const access = request.routeOptions.config.access ?? (isReadMethod(request.method) ? "read" : "write");
    if (access === "write") requireWrite(request);
  });
  // The handler's queries count against the caller's organization's share of the connection pool
  // (src/store/organization-share.ts). Callback style: the handler runs inside done().
  app.addHook("preHandler", (request, _reply, done) =>
    asOrganization(request.principal.organizationId, () => done()),
  );
}

/** Throws 403 unless the caller may change data. */
export function requireWrite(request: FastifyRequest): void {
  if (request.principal.role === "viewer") {
    throw forbidden(
      `a viewer token may only read; ${request.method} ${request.routeOptions.url ?? request.url} needs an editor or admin token`,
    );
  }
}

function isReadMethod(method: string): boolean {
  return method === "GET" || method === "HEAD";
}

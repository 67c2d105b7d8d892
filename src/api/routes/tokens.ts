// API tokens over the API, a confn extension (ConfigHub has no token API; docs/api-extensions.md):
// GET/POST /api/token and DELETE /api/token/{token_id}, for admins only, so a CI token can be issued
// or revoked while the server runs (the embedded database admits one process: `confn token create`
// against the database needs the server stopped). Every query is scoped to the caller's organization;
// the secret is generated here, returned once, and only its hash is stored.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import {
  NotFoundError,
  createApiToken,
  listApiTokens,
  revokeApiToken,
  type DatabaseSchema,
  type Role,
} from "../../store/index.ts";
import { conflict, forbidden } from "../errors.ts";
import { uuidSchema } from "../wire/common.ts";
import { createApiTokenBodySchema, toWireApiToken } from "../wire/api-token.ts";
import { errorResponses } from "./responses.ts";

const tokenParams = {
  type: "object",
  properties: { token_id: uuidSchema },
  required: ["token_id"],
} as const;

/** Tokens grant access: only an admin may see or change them (a viewer or editor gets a 403). */
function requireAdmin(request: FastifyRequest): void {
  if (request.principal.role !== "admin") {
    throw forbidden(
      `only an admin token may manage API tokens; ${request.method} ${request.routeOptions.url ?? request.url} was called with ${request.principal.role === "editor" ? "an editor" : "a viewer"} token`,
    );
  }
}

export async function tokenRoutes(
  app: FastifyInstance,
  { db }: { db: Kysely<DatabaseSchema> },
): Promise<void> {
  app.get(
    "/token",
    {
      schema: {
        operationId: "ListApiTokens",
        summary: "The organization's API tokens, live and revoked (confn extension; admins only)",
        tags: ["Organization"],
        response: { 200: { type: "array", items: { $ref: "ApiToken#" } }, ...errorResponses(403) },
      },
    },
    async (request) => {
      requireAdmin(request);
      return (await listApiTokens(db, request.principal.organizationId)).map(toWireApiToken);
    },
  );

  app.post(
    "/token",
    {
      // The role check is requireAdmin's (the default write check would tell a viewer an editor may).
      config: { access: "read" },
      schema: {
        operationId: "CreateApiToken",
        summary: "Issue an API token; its secret is in this response only (confn extension; admins only)",
        tags: ["Organization"],
        body: createApiTokenBodySchema,
        response: { 200: { $ref: "CreatedApiToken#" }, ...errorResponses(403) },
      },
    },
    async (request) => {
      requireAdmin(request);
      const body = request.body as { Role: Role; Description?: string };
      const { token, row } = await createApiToken(db, {
        organizationId: request.principal.organizationId,
        role: body.Role,
        description: body.Description ?? "",
      });
      return { Token: toWireApiToken(row), Secret: token };
    },
  );

  app.delete(
    "/token/:token_id",
    {
      config: { access: "read" },
      schema: {
        operationId: "RevokeApiToken",
        summary: "Revoke an API token: it is refused from now on (confn extension; admins only)",
        tags: ["Organization"],
        params: tokenParams,
        response: { 200: { $ref: "ApiToken#" }, ...errorResponses(403, 409) },
      },
    },
    async (request) => {
      requireAdmin(request);
      const { token_id: tokenId } = request.params as { token_id: string };
      const outcome = await revokeApiToken(db, request.principal.organizationId, tokenId);
      switch (outcome.kind) {
        case "revoked":
          return toWireApiToken(outcome.row);
        case "not-found":
          throw new NotFoundError("API token", tokenId);
        case "already-revoked":
          throw conflict(`API token ${tokenId} is already revoked`);
        case "last-admin":
          throw conflict(
            `API token ${tokenId} is the organization's last live admin token: issue another admin token first, or nobody could manage tokens any more`,
          );
      }
    },
  );
}

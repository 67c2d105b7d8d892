// GET /api/me: who the bearer token is (ConfigHub's OrganizationMember). There are no user
// accounts: the token is the member. Role and OrganizationSlug are confn extensions, so CI can
// check what its token may do.
import type { FastifyInstance } from "fastify";
import { uuidSchema } from "../wire/common.ts";
import { errorResponses } from "./responses.ts";

export const organizationMemberSchema = {
  $id: "OrganizationMember",
  type: "object",
  description: "The caller: an API token of the organization.",
  properties: {
    UserID: { ...uuidSchema, description: "The API token's ID." },
    Username: { type: "string" },
    DisplayName: { type: "string", description: "The token's description." },
    OrganizationID: uuidSchema,
    OrganizationSlug: { type: "string", description: "Extension: the organization's slug." },
    ExternalOrganizationID: { type: "string" },
    Role: {
      type: "string",
      enum: ["admin", "editor", "viewer"],
      description: "Extension: the token's role.",
    },
  },
} as const;

export async function meRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    "/me",
    {
      schema: {
        operationId: "GetMe",
        summary: "The caller's identity and role",
        tags: ["Organization"],
        response: { 200: { $ref: "OrganizationMember#" }, ...errorResponses() },
      },
    },
    async (request) => {
      const p = request.principal;
      return {
        UserID: p.tokenId,
        Username: `token-${p.tokenId.slice(0, 8)}`,
        DisplayName: p.description,
        OrganizationID: p.organizationId,
        OrganizationSlug: p.organizationSlug,
        ExternalOrganizationID: p.organizationExternalId,
        Role: p.role,
      };
    },
  );
}

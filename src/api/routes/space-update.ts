// The two ways a client rewrites a Space, sharing one path into the store (modifySpace):
//   PATCH /space/{space_id}   JSON merge patch onto the current Space (Version-guarded when sent)
//   PUT   /space/{space_id}   UpdateSpace: the whole Space replaces the current one (Version required)
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import { modifySpace, type DatabaseSchema, type SpaceAttributes } from "../../store/index.ts";
import { applyMergePatch, type Json } from "../merge-patch.ts";
import { updateBodySchema } from "../wire/request-body.ts";
import { createSpaceBodySchema, toWireSpace, type WireSpace } from "../wire/space.ts";
import { errorResponses, spaceParams } from "./responses.ts";

const WRITABLE = ["Slug", "DisplayName", "Labels", "Annotations", "DeleteGates"] as const;
type SpaceBody = Partial<Pick<WireSpace, (typeof WRITABLE)[number]>>;
/** A merge patch (members null to remove) or a whole Space (PUT), with the Version read. */
export type SpaceUpdateBody = { [K in keyof SpaceBody]?: SpaceBody[K] | null } & { Version?: number };

type SpaceUpdateRequest = FastifyRequest<{ Params: { space_id: string }; Body: SpaceUpdateBody }>;

export async function updateSpace(
  db: Kysely<DatabaseSchema>,
  request: SpaceUpdateRequest,
  mode: "patch" | "put",
): Promise<WireSpace> {
  const { body } = request;
  const space = await modifySpace(
    db,
    request.principal.organizationId,
    request.params.space_id,
    (current) => {
      const now = toWireSpace(current);
      const sent = pickWritable(body);
      const whole = (
        mode === "put" ? sent : applyMergePatch(writableView(now) as Json, sent as Json)
      ) as SpaceBody;
      const slug = whole.Slug ?? now.Slug;
      const attributes: SpaceAttributes = {
        slug,
        // A whole Space without a DisplayName gets the Slug, as a new one does.
        displayName: whole.DisplayName ?? (mode === "put" ? slug : ""),
        labels: whole.Labels ?? {},
        annotations: whole.Annotations ?? {},
        deleteGates: whole.DeleteGates ?? {},
      };
      return { ...(typeof body.Version === "number" ? { expectedVersion: body.Version } : {}), attributes };
    },
  );
  return toWireSpace(space);
}

/** PUT /space/{space_id}: ConfigHub's UpdateSpace. */
export async function spaceUpdateRoutes(
  app: FastifyInstance,
  { db }: { db: Kysely<DatabaseSchema> },
): Promise<void> {
  app.put<{ Params: { space_id: string }; Body: SpaceUpdateBody }>(
    "/space/:space_id",
    {
      schema: {
        operationId: "UpdateSpace",
        summary: "Replace a Space with the whole Space sent (Version required)",
        tags: ["Space"],
        params: spaceParams,
        body: updateBodySchema(createSpaceBodySchema),
        response: { 200: { $ref: "Space#" }, ...errorResponses(403, 409) },
      },
    },
    (request) => updateSpace(db, request, "put"),
  );
}

function writableView(space: WireSpace): SpaceBody {
  const { Slug, DisplayName, Labels, Annotations, DeleteGates } = space;
  return { Slug, DisplayName, Labels, Annotations, DeleteGates };
}

/** The writable members of a body (read-only members are accepted and ignored). */
function pickWritable(body: SpaceUpdateBody): SpaceUpdateBody {
  const out: Record<string, unknown> = {};
  for (const key of WRITABLE) if (key in body && body[key] !== undefined) out[key] = body[key];
  return out as SpaceUpdateBody;
}

// The two ways a client rewrites a saved entity (Filter, Invocation, Trigger, ChangeSet), after
// ConfigHub's template:
//   PATCH /space/{space_id}/<path>/{id}   JSON merge patch onto the current entity (Version-guarded when sent)
//   PUT   /space/{space_id}/<path>/{id}   UpdateX: the whole entity replaces the current one (Version required)
// Both end in the same place: the writable members of a whole body become the entity's attributes
// through the one `attributes` function a create uses, so an updated entity passes exactly the
// checks a new one does, and a stale Version is a 409 either way.
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { DatabaseSchema, TransactionHandle } from "../../store/index.ts";
import { applyMergePatch, type Json } from "../merge-patch.ts";
import { uuidSchema } from "../wire/common.ts";
import { updateBodySchema } from "../wire/request-body.ts";
import { errorResponses } from "./responses.ts";

type Db = Kysely<DatabaseSchema>;
type Body = Record<string, unknown>;

/** What an update needs of an entity's route options (SavedEntityRoutesOptions). */
export interface UpdatableEntity<Row, Attributes> {
  /** PascalCase, as in messages and operation IDs: `Filter`. */
  readonly entity: string;
  /** URL segment: `filter`, `change_set`. */
  readonly path: string;
  /** Path parameter of the ID: `filter_id`. */
  readonly idParam: string;
  readonly schemas: { readonly create: object };
  /** The members of the wire entity a client may set (the rest are read-only and ignored). */
  readonly writable: readonly string[];
  readonly store: {
    modify(
      db: Db,
      organizationId: string,
      spaceId: string,
      id: string,
      plan: (
        current: Row,
        trx: TransactionHandle,
      ) => Promise<{ expectedVersion?: number; attributes: Attributes }>,
    ): Promise<Row>;
  };
  readonly toWire: (row: Row) => object;
  readonly attributes: (
    body: Body,
    context: {
      readonly db: Db;
      readonly organizationId: string;
      readonly spaceId: string;
      /** What `prepare` returned for this request. */
      readonly prepared?: unknown;
    },
  ) => Attributes | Promise<Attributes>;
  /**
   * Work `attributes` needs that must not run inside the update's transaction, with the root
   * handle, before it opens (a bridge worker's signatures come from outside that transaction's
   * connection: asking inside it would trip the store's guard). `id` is unset for a create.
   */
  readonly prepare?: (
    body: Body,
    context: {
      readonly db: Db;
      readonly organizationId: string;
      readonly spaceId: string;
      readonly id?: string;
    },
  ) => Promise<unknown>;
  /**
   * The current entity's writable view a merge patch applies to, when members stand for each other
   * (an Invocation's `FunctionName`/`Arguments` and `FunctionInvocations`): drops those the patch
   * replaces. Default: the view as it is.
   */
  readonly patchBase?: (current: Body, patch: Body) => Body;
}

export type UpdateMode = "patch" | "put";

type ItemRequest = FastifyRequest<{ Params: Record<string, string>; Body: Body }>;

/** PATCH (merge onto the current entity) or PUT (replace it): one transaction, Version-guarded. */
export async function updateSavedEntity<Row, Attributes>(
  db: Db,
  options: UpdatableEntity<Row, Attributes>,
  request: ItemRequest,
  mode: UpdateMode,
): Promise<object> {
  const { organizationId } = request.principal;
  const { params, body } = request;
  const spaceId = params.space_id!;
  const id = params[options.idParam]!;
  const prepared = options.prepare
    ? await options.prepare(body, { db, organizationId, spaceId, id })
    : undefined;
  const row = await options.store.modify(
    db,
    organizationId,
    spaceId,
    params[options.idParam]!,
    async (current, trx) => {
      const sent = pick(body, options.writable);
      let whole: Body;
      if (mode === "put") {
        whole = sent;
      } else {
        const now = pick(options.toWire(current) as Body, options.writable);
        const base = options.patchBase ? options.patchBase(now, sent) : now;
        whole = applyMergePatch(base as Json, sent as Json) as Body;
      }
      const attributes = await options.attributes(whole, { db: trx, organizationId, spaceId, prepared });
      const version = body.Version;
      return { ...(typeof version === "number" ? { expectedVersion: version } : {}), attributes };
    },
  );
  return options.toWire(row);
}

/** PUT /space/{space_id}/<path>/{id}: ConfigHub's Update<Entity>. */
export function savedEntityPutRoute<Row, Attributes>(
  app: FastifyInstance,
  db: Db,
  options: UpdatableEntity<Row, Attributes>,
): void {
  const { entity, path, idParam } = options;
  app.put<{ Params: Record<string, string>; Body: Body }>(
    `/space/:space_id/${path}/:${idParam}`,
    {
      schema: {
        operationId: `Update${entity}`,
        summary: `Replace a ${entity} with the whole entity sent (Version required)`,
        tags: [entity],
        params: {
          type: "object",
          properties: { space_id: uuidSchema, [idParam]: uuidSchema },
          required: ["space_id", idParam],
        },
        body: updateBodySchema(options.schemas.create as Record<string, unknown>),
        response: { 200: { $ref: `${entity}#` }, ...errorResponses(403, 409) },
      },
    },
    (request) => updateSavedEntity(db, options, request, "put"),
  );
}

/** The members of `object` named in `keys` that are set. */
export function pick(object: Body, keys: readonly string[]): Body {
  const out: Body = {};
  for (const key of keys) if (key in object && object[key] !== undefined) out[key] = object[key];
  return out;
}

// The CRUD routes every space-scoped saved entity of the invocation API shares (Filter, Invocation,
// Trigger, ChangeSet), after ConfigHub's template:
//   GET    /space/{space_id}/<path>            list (where, contains, filter, include, select)
//   POST   /space/{space_id}/<path>            create
//   GET    /space/{space_id}/<path>/{id}       get
//   PATCH  /space/{space_id}/<path>/{id}       JSON merge patch (Version-guarded when sent)
//   PUT    /space/{space_id}/<path>/{id}       whole-entity replace (Version required): saved-entity-update.ts
//   DELETE /space/{space_id}/<path>/{id}       delete (DeleteGates block it)
//   GET    /<path>                             list across the organization (the same parameters)
// Create and patch share one `attributes` function, so a patched entity passes exactly the checks
// a new one does.
import type { FastifyInstance } from "fastify";
import type { Expression, Kysely, SqlBool } from "kysely";
import type { Catalogue } from "../../filter/index.ts";
import { getSpace, withFilterBounds, type DatabaseSchema } from "../../store/index.ts";
import { uuidSchema } from "../wire/common.ts";
import { RelatedLoader } from "./list-includes.ts";
import {
  listParametersSchema,
  parseListShape,
  resolveListSelection,
  shapeList,
  type ListParameterQuery,
} from "./list-parameters.ts";
import { errorResponses, spaceParams, type DeleteResponse } from "./responses.ts";
import { savedEntityPutRoute, updateSavedEntity, type UpdatableEntity } from "./saved-entity-update.ts";

type Db = Kysely<DatabaseSchema>;

export interface ListScope {
  readonly spaceId?: string;
  readonly filters?: readonly Expression<SqlBool>[];
}

/**
 * Where an entity is being created or patched, for checks that look things up. On a patch the
 * checks run inside the entity's transaction and `db` is its handle: a lookup on the root handle
 * there would wait for that transaction's own connection.
 */
export interface AttributeContext {
  readonly db: Db;
  readonly organizationId: string;
  readonly spaceId: string;
}

/**
 * An entity's route options: what an update needs (UpdatableEntity: entity, path, idParam, writable,
 * toWire, attributes, patchBase, store.modify) and what the other routes add.
 */
export interface SavedEntityRoutesOptions<Row, Attributes> extends UpdatableEntity<Row, Attributes> {
  /** Plural for operation IDs: `Filters`. */
  readonly plural: string;
  readonly catalogue: Catalogue;
  readonly schemas: {
    readonly create: object;
    readonly patch: object;
  };
  readonly store: UpdatableEntity<Row, Attributes>["store"] & {
    list(db: Db, organizationId: string, scope: ListScope): Promise<Row[]>;
    get(db: Db, organizationId: string, id: string, spaceId: string): Promise<Row>;
    create(db: Db, organizationId: string, spaceId: string, attributes: Attributes): Promise<Row>;
    remove(db: Db, organizationId: string, spaceId: string, id: string): Promise<void>;
  };
  readonly toExtended: (row: Row) => object;
  /**
   * Parameters a list of this entity takes besides the common ones, and how they narrow the rows
   * (the Filter lists' `entity` + `id`).
   */
  readonly listExtension?: {
    readonly properties: Record<string, object>;
    narrow(db: Db, organizationId: string, rows: Row[], query: Record<string, unknown>): Promise<Row[]>;
  };
}

export async function savedEntityRoutes<Row, Attributes>(
  app: FastifyInstance,
  db: Db,
  options: SavedEntityRoutesOptions<Row, Attributes>,
): Promise<void> {
  const { entity, plural, path, idParam, store } = options;
  const tags = [entity];
  const ref = { $ref: `${entity}#` };
  const extendedRef = { $ref: `Extended${entity}#` };
  const itemParams = {
    type: "object",
    properties: { space_id: uuidSchema, [idParam]: uuidSchema },
    required: ["space_id", idParam],
  };
  type SpaceParams = { space_id: string };
  type ItemParams = SpaceParams & Record<string, string>;

  // A bad `where` or `contains` is a FilterError: the error handler makes it a 400 quoting the text.
  const list = async (organizationId: string, query: ListParameterQuery, routeSpaceId?: string) => {
    const shape = parseListShape(entity, query);
    const { filter, spaceId } = await resolveListSelection(db, organizationId, query, {
      catalogue: options.catalogue,
      spaceId: routeSpaceId,
    });
    const scope = { ...(spaceId ? { spaceId } : {}), filters: filter.filters };
    const rows = await withFilterBounds(db, filter, (bounded) => store.list(bounded, organizationId, scope), {
      source: filter.source,
    });
    const narrowed = options.listExtension
      ? await options.listExtension.narrow(db, organizationId, rows, query as Record<string, unknown>)
      : rows;
    return shapeList(shape, narrowed.map(options.toExtended), new RelatedLoader(db, organizationId));
  };
  const common = listParametersSchema(entity);
  const listQuery = {
    ...common,
    properties: { ...common.properties, ...options.listExtension?.properties },
  };

  app.get<{ Params: SpaceParams; Querystring: ListParameterQuery }>(
    `/space/:space_id/${path}`,
    {
      schema: {
        operationId: `List${plural}`,
        summary: `List a Space's ${plural}`,
        tags,
        params: spaceParams,
        querystring: listQuery,
        response: { 200: { type: "array", items: extendedRef }, ...errorResponses() },
      },
    },
    async (request) => {
      const { organizationId } = request.principal;
      await getSpace(db, organizationId, request.params.space_id);
      return list(organizationId, request.query, request.params.space_id);
    },
  );

  app.get<{ Querystring: ListParameterQuery }>(
    `/${path}`,
    {
      schema: {
        operationId: `ListAll${plural}`,
        summary: `List the ${plural} of every Space of the organization`,
        tags,
        querystring: listQuery,
        response: { 200: { type: "array", items: extendedRef }, ...errorResponses() },
      },
    },
    async (request) => list(request.principal.organizationId, request.query),
  );

  app.post<{ Params: SpaceParams; Body: Record<string, unknown> }>(
    `/space/:space_id/${path}`,
    {
      schema: {
        operationId: `Create${entity}`,
        summary: `Create a ${entity}`,
        tags,
        params: spaceParams,
        body: options.schemas.create,
        response: { 200: ref, ...errorResponses(403, 409) },
      },
    },
    async (request) => {
      const { organizationId } = request.principal;
      const spaceId = request.params.space_id;
      await getSpace(db, organizationId, spaceId);
      const prepared = options.prepare
        ? await options.prepare(request.body, { db, organizationId, spaceId })
        : undefined;
      const attributes = await options.attributes(request.body, { db, organizationId, spaceId, prepared });
      return options.toWire(await store.create(db, organizationId, spaceId, attributes));
    },
  );

  app.get<{ Params: ItemParams }>(
    `/space/:space_id/${path}/:${idParam}`,
    {
      schema: {
        operationId: `Get${entity}`,
        summary: `Get a ${entity}`,
        tags,
        params: itemParams,
        response: { 200: extendedRef, ...errorResponses() },
      },
    },
    async (request) => {
      const { params } = request;
      const row = await store.get(db, request.principal.organizationId, params[idParam]!, params.space_id);
      return options.toExtended(row);
    },
  );

  app.patch<{ Params: ItemParams; Body: Record<string, unknown> }>(
    `/space/:space_id/${path}/:${idParam}`,
    {
      schema: {
        operationId: `Patch${entity}`,
        summary: `Change a ${entity} with a JSON merge patch`,
        tags,
        consumes: ["application/merge-patch+json", "application/json"],
        params: itemParams,
        body: options.schemas.patch,
        response: { 200: ref, ...errorResponses(403, 409) },
      },
    },
    (request) => updateSavedEntity(db, options, request, "patch"),
  );

  savedEntityPutRoute(app, db, options);

  app.delete<{ Params: ItemParams }>(
    `/space/:space_id/${path}/:${idParam}`,
    {
      schema: {
        operationId: `Delete${entity}`,
        summary: `Delete a ${entity}`,
        tags,
        params: itemParams,
        response: { 200: { $ref: "DeleteResponse#" }, ...errorResponses(403, 422) },
      },
    },
    async (request): Promise<DeleteResponse> => {
      const { params } = request;
      const id = params[idParam]!;
      await store.remove(db, request.principal.organizationId, params.space_id, id);
      return { Message: `${entity} ${id} deleted` };
    },
  );
}

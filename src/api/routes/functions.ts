// Functions: list the signatures (GET /api/function, /api/space/{space_id}/function) and invoke
// them on a Space's Units or on every Unit of the organization (POST .../function/invoke): the
// route reads the request, runs the pipeline (src/invoke) and streams its answer.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { FunctionRegistry, FunctionSignature } from "../../engine/index.ts";
import {
  checkFilterField,
  evaluateWhere,
  functionSignatureCatalogue,
  prepareWhere,
  type CheckedWhere,
} from "../../filter/index.ts";
import { type DatabaseSchema, getSpace, assertUnitExists } from "../../store/index.ts";
import { badRequest } from "../errors.ts";
import { invokeFunctions, mayWrite, type WorkerExecutor } from "../../invoke/index.ts";
import {
  functionInvocationsRequestSchema,
  functionInvocationsResponseListSchema,
  functionSignatureMapSchema,
  invokeOrganizationQuerySchema,
  invokeSpaceQuerySchema,
  listFunctionsQuerySchema,
  listOrganizationFunctionsQuerySchema,
  type FunctionInvocationsRequestBody,
  type InvokeQuery,
} from "../wire/invoke.ts";
import { requireWrite } from "../plugins/auth.ts";
import { readInvokeRequest, type InvokeScope } from "./invoke-request.ts";
import { writeContext } from "./request-context.ts";
import { errorResponses, spaceParams } from "./responses.ts";

export interface FunctionRoutesOptions {
  readonly db: Kysely<DatabaseSchema>;
  readonly functions: FunctionRegistry;
  /** How invocations reach bridge workers; absent: a request naming one is a 503. */
  readonly workerExecutor?: WorkerExecutor | undefined;
}

interface SpaceParams {
  space_id: string;
}

interface ListQuery {
  entity?: "unit" | "target" | "worker";
  id?: string;
  where?: string;
}

const tags = ["Function"];

const invokeResponses = {
  200: { ...functionInvocationsResponseListSchema, description: "Every element succeeded." },
  207: {
    ...functionInvocationsResponseListSchema,
    description: "At least one element failed (see its Error).",
  },
  ...errorResponses(403, 409, 422, 429, 503),
};

export async function functionRoutes(
  app: FastifyInstance,
  { db, functions, workerExecutor }: FunctionRoutesOptions,
): Promise<void> {
  app.get<{ Querystring: Pick<ListQuery, "where"> }>(
    "/function",
    {
      schema: {
        operationId: "ListOrgFunctions",
        summary: "List the builtin functions: ToolchainType -> name -> FunctionSignature",
        tags,
        querystring: listOrganizationFunctionsQuerySchema,
        response: { 200: functionSignatureMapSchema, ...errorResponses() },
      },
    },
    async (request) => listSignatures(functions, request.query.where),
  );

  app.get<{ Params: SpaceParams; Querystring: ListQuery }>(
    "/space/:space_id/function",
    {
      schema: {
        operationId: "ListFunctions",
        summary: "List the functions available in a Space (entity + id: that entity's bridge worker's)",
        tags,
        params: spaceParams,
        querystring: listFunctionsQuerySchema,
        response: { 200: functionSignatureMapSchema, ...errorResponses() },
      },
    },
    async (request) => {
      const { organizationId } = request.principal;
      const spaceId = request.params.space_id;
      await getSpace(db, organizationId, spaceId);
      const { entity, id, where } = request.query;
      if ((entity === undefined) !== (id === undefined)) {
        throw badRequest("querystring/entity and querystring/id go together: send both or neither");
      }
      if (entity === undefined) return listSignatures(functions, where);
      if (entity === "unit") await assertUnitExists(db, { organizationId, spaceId, unitId: id! });
      // A Unit's functions come from its Target's bridge worker, a Target's from its worker: there
      // are no bridge workers yet, so these listings are empty (docs/invoke.md says so).
      return {};
    },
  );

  const invoke = (scope: (params: SpaceParams | undefined) => InvokeScope) =>
    async function handler(
      request: FastifyRequest<{
        Params: SpaceParams;
        Querystring: InvokeQuery;
        Body: FunctionInvocationsRequestBody;
      }>,
      reply: FastifyReply,
    ) {
      const { organizationId } = request.principal;
      const invocation = readInvokeRequest(
        organizationId,
        scope(request.params),
        request.query,
        request.body,
      );
      // Viewers may dry-run (and run on a Revision): only a call that can write needs write access.
      if (mayWrite(invocation)) requireWrite(request);
      const response = await invokeFunctions(
        { db, functions, ...(workerExecutor ? { workerExecutor } : {}) },
        invocation,
        writeContext(request),
      );
      return reply.code(response.status).type("application/json; charset=utf-8").send(response.body);
    };

  app.post<{ Params: SpaceParams; Querystring: InvokeQuery; Body: FunctionInvocationsRequestBody }>(
    "/space/:space_id/function/invoke",
    {
      config: { access: "read" },
      schema: {
        operationId: "InvokeFunctions",
        summary: "Run functions on a Space's selected Units (or one Unit's Revision); write unless dry_run",
        tags,
        params: spaceParams,
        querystring: invokeSpaceQuerySchema,
        body: functionInvocationsRequestSchema,
        response: invokeResponses,
      },
    },
    invoke((params) => ({ spaceId: params!.space_id })),
  );

  app.post<{ Params: SpaceParams; Querystring: InvokeQuery; Body: FunctionInvocationsRequestBody }>(
    "/function/invoke",
    {
      config: { access: "read" },
      schema: {
        operationId: "InvokeFunctionsOnOrg",
        summary:
          "Run functions on the selected Units of every Space of the organization; write unless dry_run",
        tags,
        querystring: invokeOrganizationQuerySchema,
        body: functionInvocationsRequestSchema,
        response: invokeResponses,
      },
    },
    invoke(() => ({})),
  );
}

/** The registry's listing, narrowed by a `where` over FunctionSignature attributes. */
function listSignatures(functions: FunctionRegistry, where: string | undefined): WireSignatureMap {
  const checked: CheckedWhere | undefined =
    where !== undefined && where.trim() !== ""
      ? checkFilterField("querystring/where", () => prepareWhere(where, functionSignatureCatalogue))
      : undefined;
  const listed: WireSignatureMap = {};
  for (const [toolchain, byName] of Object.entries(functions.list())) {
    const kept = Object.values(byName)
      .filter((signature) => checked === undefined || evaluateWhere(checked, signature))
      .map((signature) => [signature.FunctionName, wireSignature(signature)] as const);
    if (kept.length > 0) listed[toolchain] = Object.fromEntries(kept);
  }
  return listed;
}

type WireSignature = Omit<FunctionSignature, "OutputInfo"> & { OutputInfo?: FunctionSignature["OutputInfo"] };
type WireSignatureMap = Record<string, Record<string, WireSignature>>;

/** ConfigHub omits OutputInfo for a function without output (its schema has no null there). */
function wireSignature(signature: FunctionSignature): WireSignature {
  if (signature.OutputInfo !== null) return signature;
  const { OutputInfo: _none, ...rest } = signature;
  return rest;
}

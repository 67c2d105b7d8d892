// Functions: list the signatures (GET /api/function, /api/space/{space_id}/function) and invoke
// them on a Space's Units or on every Unit of the organization (POST .../function/invoke): the
// route reads the request, runs the pipeline (src/invoke) and streams its answer.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Kysely } from "kysely";
import type { FunctionRegistry, FunctionSignature, FunctionSignatureMap } from "../../engine/index.ts";
import {
  checkFilterField,
  evaluateWhere,
  functionSignatureCatalogue,
  prepareWhere,
  type CheckedWhere,
} from "../../filter/index.ts";
import { type DatabaseSchema, getBridgeWorker, getSpace, assertUnitExists } from "../../store/index.ts";
import { badRequest } from "../errors.ts";
import {
  invokeFunctions,
  mayWrite,
  startInvocation,
  supportedFunctions,
  type EnginePool,
  type WorkerExecutor,
} from "../../invoke/index.ts";
import {
  functionInvocationsRequestSchema,
  functionInvocationsResponseListSchema,
  invokeStreamLineSchema,
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
import { invokeStream, NDJSON, wantsStream } from "./invoke-stream.ts";
import { writeContext } from "./request-context.ts";
import { errorResponses, spaceParams } from "./responses.ts";

export interface FunctionRoutesOptions {
  readonly db: Kysely<DatabaseSchema>;
  readonly functions: FunctionRegistry;
  /** How invocations reach bridge workers; absent: a request naming one is a 503. */
  readonly workerExecutor?: WorkerExecutor | undefined;
  /** Engine threads for large calls that write nothing; absent: the main thread runs every Unit. */
  readonly enginePool?: EnginePool | undefined;
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
  200: {
    description:
      "Every element succeeded; or, with `Accept: application/x-ndjson`, the streamed answer " +
      "(docs/invoke.md), whatever its Summary's Status.",
    content: {
      "application/json": { schema: functionInvocationsResponseListSchema },
      "application/x-ndjson": { schema: invokeStreamLineSchema },
    },
  },
  207: {
    ...functionInvocationsResponseListSchema,
    description: "At least one element failed (see its Error).",
  },
  ...errorResponses(403, 409, 422, 429, 503),
};

export async function functionRoutes(
  app: FastifyInstance,
  { db, functions, workerExecutor, enginePool }: FunctionRoutesOptions,
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
    async (request) => listSignatures(functions.list(), request.query.where),
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
      if (entity === undefined) return listSignatures(functions.list(), where);
      if (entity === "worker") {
        // The functions the worker announced on its latest connect (docs/bridge-workers.md).
        const worker = await getBridgeWorker(db, organizationId, id!);
        return listSignatures(supportedFunctions(worker.provided_info), where);
      }
      if (entity === "unit") await assertUnitExists(db, { organizationId, spaceId, unitId: id! });
      // A Unit's functions come from its Target's bridge worker, a Target's from its worker: there
      // are no Targets yet, so these listings are empty (docs/invoke.md says so).
      return {};
    },
  );

  app.get<{ Params: SpaceParams & { bridge_worker_id: string }; Querystring: Pick<ListQuery, "where"> }>(
    "/space/:space_id/bridge_worker/:bridge_worker_id/function",
    {
      schema: {
        operationId: "ListBridgeWorkerFunctions",
        summary: "List the functions a bridge worker announced on its latest connect",
        tags,
        params: {
          type: "object",
          properties: { ...spaceParams.properties, bridge_worker_id: spaceParams.properties.space_id },
          required: ["space_id", "bridge_worker_id"],
        },
        querystring: listOrganizationFunctionsQuerySchema,
        response: { 200: functionSignatureMapSchema, ...errorResponses() },
      },
    },
    async (request) => {
      const { space_id: spaceId, bridge_worker_id: workerId } = request.params;
      const worker = await getBridgeWorker(db, request.principal.organizationId, workerId, spaceId);
      return listSignatures(supportedFunctions(worker.provided_info), request.query.where);
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
      const deps = {
        db,
        functions,
        ...(workerExecutor ? { workerExecutor } : {}),
        ...(enginePool ? { enginePool } : {}),
      };
      if (wantsStream(request)) {
        // Checked before the 200: a request that is wrong gets its status as with the array.
        const run = await startInvocation(deps, invocation, writeContext(request));
        return reply
          .code(200)
          .type(`${NDJSON}; charset=utf-8`)
          .send(invokeStream(run, request, reply));
      }
      const gone = clientGone(reply);
      try {
        const response = await invokeFunctions(deps, invocation, writeContext(request), gone.signal);
        return reply.code(response.status).type("application/json; charset=utf-8").send(response.body);
      } catch (error) {
        if (!gone.signal.aborted) throw error;
        // Nobody is left to answer: the spool is discarded and the Units not run yet never run.
        request.log.info("client disconnected: invocation stopped");
        reply.hijack();
        reply.raw.destroy();
        return reply;
      } finally {
        gone.release();
      }
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

/** A listing (the builtins', or a worker's), narrowed by a `where` over FunctionSignature attributes. */
function listSignatures(signatures: FunctionSignatureMap, where: string | undefined): WireSignatureMap {
  const checked: CheckedWhere | undefined =
    where !== undefined && where.trim() !== ""
      ? checkFilterField("querystring/where", () => prepareWhere(where, functionSignatureCatalogue))
      : undefined;
  const listed: WireSignatureMap = {};
  for (const [toolchain, byName] of Object.entries(signatures)) {
    const kept = Object.values(byName ?? {})
      .filter((signature) => checked === undefined || evaluateWhere(checked, signature))
      .map((signature) => [signature.FunctionName, wireSignature(signature)] as const);
    if (kept.length > 0) listed[toolchain] = Object.fromEntries(kept);
  }
  return listed;
}

type WireSignature = Omit<FunctionSignature, "OutputInfo"> & { OutputInfo?: FunctionSignature["OutputInfo"] };
type WireSignatureMap = Record<string, Record<string, WireSignature>>;

/**
 * ConfigHub omits OutputInfo for a function without output (its schema has no null there); a
 * worker's signature (a Go struct) may carry null for any empty list or object: omitted alike.
 */
function wireSignature(signature: FunctionSignature): WireSignature {
  return withoutNulls(signature) as WireSignature;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, member]) => member !== null)
      .map(([key, member]) => [key, withoutNulls(member)]),
  );
}

/** Aborts when the client closes the connection before the answer was sent. */
function clientGone(reply: FastifyReply): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) controller.abort();
  };
  reply.raw.once("close", onClose);
  return { signal: controller.signal, release: () => reply.raw.off("close", onClose) };
}

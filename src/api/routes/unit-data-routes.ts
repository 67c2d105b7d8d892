// A Unit's config data as raw bytes, for clients that handle files rather than base64 JSON:
//   GET /space/{space_id}/unit/{unit_id}/data                         DownloadUnitData
//   GET /space/{space_id}/unit/{unit_id}/revision/{revision_id}/data  DownloadRevisionData
//   PUT /space/{space_id}/unit/{unit_id}/data                         replace the data (confn extension)
// Downloads answer application/octet-stream with `ETag: "<DataHash>"`. The upload takes the raw
// body (application/octet-stream, text/plain or application/yaml, at most UNIT_DATA_MAX_BYTES),
// checks it as Unit create/update do (UTF-8 text, the toolchain's format: 422 with line and column),
// honours `If-Match` (412 when the data changed since that ETag was read) and writes through
// modifyUnit like any Data change: one new Revision, the Space's triggers run.
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Kysely } from "kysely";
import type { EnginePool } from "../../invoke/index.ts";
import { UNIT_DATA_MAX_BYTES } from "../../config/index.ts";
import {
  getRevision,
  getUnit,
  modifyUnit,
  type DataChangeHook,
  type DatabaseSchema,
  type UnitKey,
  type UnitRecord,
} from "../../store/index.ts";
import { preconditionFailed, unsupportedMediaType } from "../errors.ts";
import { checkConfigData, checkLargeDataFirst, decodeDataBytes } from "../unit-data.ts";
import { toWireUnit } from "../wire/unit.ts";
import { writeContext } from "./request-context.ts";
import { errorResponses, revisionParams, unitParams } from "./responses.ts";

interface UnitParams {
  space_id: string;
  unit_id: string;
}
interface RevisionParams extends UnitParams {
  revision_id: string;
}

const tags = ["Unit"];
const UPLOAD_TYPES = ["application/octet-stream", "text/plain", "application/yaml"];
const rawData = {
  200: {
    description: "The config data, byte for byte; ETag is its DataHash.",
    headers: { ETag: { type: "string", description: 'The DataHash in quotes: "<sha-256 hex>".' } },
    content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
  },
  ...errorResponses(),
};

export async function unitDataRoutes(
  app: FastifyInstance,
  {
    db,
    dataChangeHook,
    enginePool,
  }: { db: Kysely<DatabaseSchema>; dataChangeHook: DataChangeHook; enginePool?: EnginePool | undefined },
): Promise<void> {
  // This plugin's own parsers (encapsulated: JSON routes elsewhere are unaffected).
  app.addContentTypeParser(UPLOAD_TYPES, { parseAs: "buffer" }, (_request, body, done) => done(null, body));
  const unitKey = (organizationId: string, params: UnitParams): UnitKey => ({
    organizationId,
    spaceId: params.space_id,
    unitId: params.unit_id,
  });

  app.get<{ Params: UnitParams }>(
    "/space/:space_id/unit/:unit_id/data",
    {
      schema: {
        operationId: "DownloadUnitData",
        summary: "Download a Unit's config data (raw bytes, ETag = DataHash)",
        tags,
        params: unitParams,
        response: rawData,
      },
    },
    async (request, reply) => {
      const unit = await getUnit(db, unitKey(request.principal.organizationId, request.params));
      return sendData(reply, unit.data, unit.data_hash);
    },
  );

  app.get<{ Params: RevisionParams }>(
    "/space/:space_id/unit/:unit_id/revision/:revision_id/data",
    {
      schema: {
        operationId: "DownloadRevisionData",
        summary: "Download the config data of one Revision of a Unit (raw bytes, ETag = DataHash)",
        tags: ["Revision"],
        params: revisionParams,
        response: rawData,
      },
    },
    async (request, reply) => {
      const key = unitKey(request.principal.organizationId, request.params);
      const revision = await getRevision(db, key, request.params.revision_id);
      return sendData(reply, revision.data, revision.data_hash);
    },
  );

  app.put<{ Params: UnitParams; Body: unknown; Headers: { "if-match"?: string } }>(
    "/space/:space_id/unit/:unit_id/data",
    {
      bodyLimit: UNIT_DATA_MAX_BYTES,
      schema: {
        operationId: "UploadUnitData",
        summary:
          "Replace a Unit's config data with the raw request body (If-Match: the ETag read; writes one Revision)",
        description:
          "confn extension. The body is the data itself (application/octet-stream, text/plain or " +
          `application/yaml; at most ${UNIT_DATA_MAX_BYTES} bytes). If-Match with the ETag of a download ` +
          "makes the write conditional: 412 when the data changed since. Identical data writes no Revision.",
        tags,
        params: unitParams,
        headers: {
          type: "object",
          properties: {
            "if-match": {
              type: "string",
              maxLength: 4096,
              description: 'The ETag read ("<DataHash>"), a list of them, or *.',
            },
          },
        },
        body: {
          content: Object.fromEntries(
            UPLOAD_TYPES.map((type) => [
              type,
              { schema: { format: "binary", description: "The config data." } },
            ]),
          ),
        },
        response: { 200: { $ref: "Unit#" }, ...errorResponses(403, 409, 412, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const field = "body";
      const { body } = request;
      // Any other type reaches here parsed by the app's own parsers (JSON): not raw data.
      if (body !== undefined && !Buffer.isBuffer(body)) {
        throw unsupportedMediaType(
          `unsupported Content-Type '${request.headers["content-type"] ?? ""}' for Unit data: send the raw data as ${UPLOAD_TYPES.join(", ")}`,
        );
      }
      const text = decodeDataBytes(body ?? Buffer.alloc(0), field);
      const ifMatch = request.headers["if-match"];
      const key = unitKey(request.principal.organizationId, request.params);
      const checkedFirst = await checkLargeDataFirst(db, key, text, enginePool, field);
      const { unit } = await modifyUnit(db, key, writeContext(request, dataChangeHook), (current) => {
        if (ifMatch !== undefined) checkIfMatch(ifMatch, current);
        const dataColumns = checkedFirst ?? checkConfigData(text, current.toolchain_type, field);
        return { attributes: unchangedAttributes(current), data: text, dataColumns, source: "UpdateUnit" };
      });
      void reply.header("ETag", etag(unit.data_hash));
      return toWireUnit(unit);
    },
  );
}

function sendData(reply: FastifyReply, data: string, hash: string): FastifyReply {
  return reply.header("ETag", etag(hash)).type("application/octet-stream").send(Buffer.from(data, "utf8"));
}

function etag(hash: string): string {
  return `"${hash}"`;
}

/**
 * RFC 9110 If-Match: `*` or a list of entity tags, compared strongly (a weak tag never matches),
 * against the Unit's data as it is inside the write's transaction.
 */
function checkIfMatch(header: string, current: UnitRecord): void {
  const trimmed = header.trim();
  if (trimmed === "*") return;
  const tags = trimmed.split(",").map((tag) => tag.trim());
  if (tags.includes(etag(current.data_hash))) return;
  throw preconditionFailed(
    `If-Match ${trimmed} does not match Unit ${current.slug}'s data (ETag ${etag(current.data_hash)}): ` +
      "it changed since it was read; download it again and reapply your change",
  );
}

/** The Unit's attributes as they are: a data upload changes the data only. */
function unchangedAttributes(current: UnitRecord) {
  return {
    slug: current.slug,
    displayName: current.display_name,
    labels: current.labels,
    annotations: current.annotations,
    lastChangeDescription: current.last_change_description,
    deleteGates: current.delete_gates,
    destroyGates: current.destroy_gates,
  };
}

// Maps every error to {"Code", "Message"} with the right status: ApiErrors as thrown, typed store
// and invoke-pipeline errors by code, filter errors as 400s, Fastify's own errors (schema validation naming the field, body too large,
// malformed JSON, unknown content type) by their status. Anything else is a 500 whose message
// carries the request id, and is logged with its stack.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ErrorObject } from "ajv";
import { UNIT_DATA_MAX_BYTES, base64Length } from "../../config/index.ts";
import { FilterFieldError, isFilterError } from "../../filter/index.ts";
import { InvokeError, type InvokeErrorCode } from "../../invoke/index.ts";
import { StoreError } from "../../store/index.ts";
import { ApiError, type StandardErrorResponse } from "../errors.ts";

const STORE_STATUS: Record<StoreError["code"], number> = {
  NOT_FOUND: 404,
  VERSION_CONFLICT: 409,
  DUPLICATE_SLUG: 409,
  NOT_EMPTY: 409,
  DELETE_GATED: 422,
  DATA_DIR_LOCKED: 503,
  MIGRATION_FAILED: 503,
  DATABASE_SETUP: 503,
};

const INVOKE_STATUS: Record<InvokeErrorCode, number> = {
  UNSUPPORTED_TOOLCHAIN: 400,
  UNKNOWN_FUNCTION: 400,
  INVALID_ARGUMENT: 400,
  FILTER_NOT_FOR_UNITS: 400,
  FILTER_SPACE_MISMATCH: 400,
  CHANGE_SET_MISMATCH: 409,
  NO_PROCESSABLE_DATA: 422,
  TRIGGER_DATA_INVALID: 422,
  TRIGGER_FAILED: 422,
  WORKERS_UNAVAILABLE: 503,
  WORKER_DISCONNECTED: 503,
  WORKER_BUSY: 429,
};

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const { status, message } = describeError(error, request);
    if (status >= 500 && !(error instanceof InvokeError)) request.log.error({ err: error }, "request failed");
    // A busy bridge worker: the client may retry after the worker's backlog drains.
    if (error instanceof InvokeError && error.retryAfterSeconds !== undefined) {
      void reply.header("retry-after", String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
    }
    return reply.code(status).type("application/json").send(errorBody(status, message));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody(404, `no route ${request.method} ${request.url.split("?")[0]}`)),
  );
}

export function errorBody(status: number, message: string): StandardErrorResponse {
  return { Code: String(status), Message: message };
}

/** The status and message an error gets; also the Error of one element of a bulk answer. */
export function describeError(
  error: FastifyError | Error,
  request: FastifyRequest,
): { status: number; message: string } {
  if (error instanceof ApiError) return { status: error.statusCode, message: error.message };
  if (error instanceof StoreError) return { status: STORE_STATUS[error.code], message: error.message };
  if (error instanceof InvokeError) return { status: INVOKE_STATUS[error.code], message: error.message };
  // A bad `where`/`where_data`/`contains` (FilterFieldError: with the input it came from): the
  // message quotes the text and gives its column. The only place a filter error becomes a status.
  if (isFilterError(error) || error instanceof FilterFieldError)
    return { status: 400, message: error.message };
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    return {
      status: 400,
      message: validationMessage(fastifyError.validationContext ?? "request", fastifyError.validation),
    };
  }
  switch (fastifyError.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return {
        status: 413,
        message:
          `request body is larger than the limit of ${request.routeOptions.bodyLimit} bytes ` +
          `(a Unit's config data may be at most ${UNIT_DATA_MAX_BYTES} bytes, ${base64Length(UNIT_DATA_MAX_BYTES)} as base64)`,
      };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return {
        status: 415,
        message: `unsupported Content-Type '${request.headers["content-type"] ?? ""}': send application/json`,
      };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { status: 400, message: "request body is empty: send a JSON object" };
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return { status: 400, message: `request body is not valid JSON: ${fastifyError.message}` };
  }
  if (error instanceof SyntaxError)
    return { status: 400, message: `request body is not valid JSON: ${error.message}` };
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) return { status, message: fastifyError.message };
  return { status: 500, message: `internal error (request ${request.id}); the server log has the details` };
}

const TYPE_WORDS: Record<string, string> = {
  string: "a string",
  integer: "an integer (a whole number)",
  number: "a number",
  boolean: "a boolean",
  object: "an object",
  array: "an array",
  null: "null",
};

/** "body/Labels/tier must be string": the part of the request, the field's path, the problem. */
function validationMessage(context: string, errors: ErrorObject[]): string {
  // ajv reports each failed branch of an anyOf before the anyOf itself: name the alternatives
  // ("must be a string, an integer or a boolean"), not only the first branch ("must be string").
  const alternatives = errors.find((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  if (alternatives) {
    const types = errors
      .filter((e) => e.keyword === "type" && e.instancePath === alternatives.instancePath)
      .map(
        (e) =>
          TYPE_WORDS[String((e.params as { type?: unknown }).type)] ??
          String((e.params as { type?: unknown }).type),
      );
    if (types.length > 1) {
      const listed = `${types.slice(0, -1).join(", ")} or ${types[types.length - 1]}`;
      return `${context}${alternatives.instancePath} must be ${listed}`;
    }
  }
  const error = errors[0];
  if (!error) return `${context} is invalid`;
  const path = `${context}${error.instancePath}`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return `${path}/${String(params.additionalProperty)} is not a supported property`;
    case "required":
      return `${path}/${String(params.missingProperty)} is required`;
    case "enum":
      return `${path} must be one of: ${(params.allowedValues as unknown[]).join(", ")}`;
    case "pattern":
      return `${path} must match the pattern ${String(params.pattern)}`;
    default:
      return `${path} ${error.message ?? "is invalid"}`;
  }
}

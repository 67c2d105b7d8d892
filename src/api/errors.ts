// The API's one error catalogue. Every non-2xx response is ConfigHub's StandardErrorResponse,
// {"Code": "<status>", "Message": "..."}, produced by plugins/error-handler.ts from an ApiError
// thrown here, a typed store error, or a Fastify error (validation, body limit, ...).

/** Stable error codes (UPPER_SNAKE_CASE like every error family; docs/errors.md says what each means). */
export const apiErrorCodes = [
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "CONFLICT",
  "PRECONDITION_FAILED",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "UNPROCESSABLE",
  "SERVICE_UNAVAILABLE",
  "SELECTION_REQUIRED",
  "SELECTION_TOO_LARGE",
  "NOTHING_SELECTED",
] as const;

export type ApiErrorCode = (typeof apiErrorCodes)[number];

export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new ApiError(400, "BAD_REQUEST", message);
export const unauthorized = (message: string) => new ApiError(401, "UNAUTHORIZED", message);
export const forbidden = (message: string) => new ApiError(403, "FORBIDDEN", message);
export const conflict = (message: string) => new ApiError(409, "CONFLICT", message);
export const preconditionFailed = (message: string) => new ApiError(412, "PRECONDITION_FAILED", message);
export const payloadTooLarge = (message: string) => new ApiError(413, "PAYLOAD_TOO_LARGE", message);
export const unsupportedMediaType = (message: string) => new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", message);
export const unprocessable = (message: string) => new ApiError(422, "UNPROCESSABLE", message);
/** A bulk operation without `where`, `contains` or `filter` (it would touch every Unit). */
export const selectionRequired = (message: string) => new ApiError(400, "SELECTION_REQUIRED", message);
/** A bulk operation over more entities than it may change in one call. */
export const selectionTooLarge = (message: string) => new ApiError(400, "SELECTION_TOO_LARGE", message);
/** A bulk operation whose selection matches nothing: a 404, not an empty success. */
export const nothingSelected = (message: string) => new ApiError(404, "NOTHING_SELECTED", message);
export const serviceUnavailable = (message: string) => new ApiError(503, "SERVICE_UNAVAILABLE", message);

/** The wire body of every error response. */
export interface StandardErrorResponse {
  readonly Code: string;
  readonly Message: string;
}

export const standardErrorResponseSchema = {
  $id: "StandardErrorResponse",
  type: "object",
  description: "Error response details.",
  properties: {
    Code: { type: "string", description: "HTTP status code of the response." },
    Message: { type: "string", description: "Message returned with the response." },
  },
  required: ["Code", "Message"],
} as const;

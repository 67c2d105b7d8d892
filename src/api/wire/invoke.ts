// Wire schemas of the function endpoints, after ConfigHub's (reference/confighub-openapi-functions.json):
// the FunctionInvocationsRequest body and invoke query strings (inline, as request schemas must be),
// and the shared response schemas FunctionSignature, ResponseError and FunctionInvocationsResponse.
import type { FunctionInvocation } from "../../engine/index.ts";
import { TOOLCHAIN_TYPES } from "../../engine/index.ts";
import { base64Schema, uuidSchema } from "./common.ts";

/** ConfigHub's FunctionInvocationsRequest, with the V25 fields confn still accepts. */
export interface FunctionInvocationsRequestBody {
  FunctionInvocations?: FunctionInvocation[] | null;
  Invocations?: string[] | null;
  Triggers?: string[] | null;
  NumFilters?: number;
  StopOnError?: boolean;
  ToolchainType?: string;
  ChangeDescription?: string;
  CastStringArgsToScalars?: boolean;
  CombineValidationResults?: boolean;
  CombineResults?: boolean;
  BridgeWorkerID?: string;
  OnLiveState?: boolean;
  UpdateApplyGates?: boolean;
  WhereResource?: string;
}

/** The query string of both invoke routes (the organization-wide one has no unit_id/revision_id). */
export interface InvokeQuery {
  unit_id?: string;
  revision_id?: string;
  dry_run?: "true" | "false";
  change_set_id?: string;
  where?: string;
  filter?: string;
  resource_type?: string;
  where_data?: string;
  subgroup?: string;
}

// ---------------------------------------------------------------------------------------------------
// Requests

const functionArgumentSchema = {
  type: "object",
  properties: {
    ParameterName: { type: "string", description: "Names the parameter; positional when omitted." },
    Value: {
      anyOf: [{ type: "string" }, { type: "integer" }, { type: "boolean" }],
      description: "string, int or bool; strings are cast per the signature (CastStringArgsToScalars).",
    },
    Evaluator: { type: "string", description: "Not supported: must be empty." },
  },
  required: ["Value"],
  additionalProperties: false,
} as const;

const functionInvocationSchema = {
  type: "object",
  properties: {
    FunctionName: { type: "string", minLength: 1 },
    Arguments: { type: "array", nullable: true, items: functionArgumentSchema },
    WhereResource: { type: "string", description: "Not supported: must be empty." },
  },
  required: ["FunctionName"],
  additionalProperties: false,
} as const;

/** Arguments of a saved Invocation or Trigger: the same FunctionArgument list. */
export const functionArgumentsSchema = {
  type: "array",
  nullable: true,
  items: functionArgumentSchema,
} as const;

export const functionInvocationsRequestSchema = {
  type: "object",
  properties: {
    FunctionInvocations: {
      type: "array",
      nullable: true,
      items: functionInvocationSchema,
      description: "Functions to run on each Unit, in this order.",
    },
    Invocations: {
      type: "array",
      nullable: true,
      items: uuidSchema,
      description: "Saved Invocations of the organization, run after FunctionInvocations, phased.",
    },
    Triggers: {
      type: "array",
      nullable: true,
      items: uuidSchema,
      description: "Saved Triggers of the organization, run after FunctionInvocations, phased.",
    },
    NumFilters: {
      type: "integer",
      minimum: 0,
      description: "The first N validating functions are filters: a Unit failing one is skipped quietly.",
    },
    StopOnError: { type: "boolean", description: "Stop each Unit at its first error." },
    ToolchainType: {
      type: "string",
      description: `Toolchain of the Units to run on: one of ${TOOLCHAIN_TYPES.join(", ")} (default Kubernetes/YAML); Units of others are skipped.`,
    },
    ChangeDescription: {
      type: "string",
      description: "Becomes LastChangeDescription and the new Revisions' Description.",
    },
    CastStringArgsToScalars: {
      type: "boolean",
      description: "Accept strings for int and bool parameters (default true).",
    },
    CombineValidationResults: {
      type: "boolean",
      description: "One combined ValidationResult per Unit instead of a ValidationResultList.",
    },
    CombineResults: { type: "boolean", description: "V25 spelling of CombineValidationResults." },
    BridgeWorkerID: {
      ...uuidSchema,
      description:
        "The bridge worker that runs FunctionInvocations (unset or the nil UUID: the built-in functions). " +
        "A worker of another organization is a 404.",
    },
    OnLiveState: { type: "boolean", description: "Not supported (Units have no live state): must be false." },
    UpdateApplyGates: { type: "boolean", description: "Not supported: must be false." },
    WhereResource: { type: "string", description: "Not supported: must be empty." },
  },
  additionalProperties: false,
} as const;

const selectionQueryProperties = {
  dry_run: {
    type: "string",
    enum: ["true", "false"],
    description: "true: run everything and return the results, write nothing.",
  },
  change_set_id: {
    ...uuidSchema,
    description: "Must equal the ChangeSetID of every selected Unit for a write (ignored by dry runs).",
  },
  where: { type: "string", description: "Unit `where` expression selecting the Units." },
  filter: { ...uuidSchema, description: "A saved Filter (From Unit) AND-ed with `where`." },
  resource_type: {
    type: "string",
    description: "Resource type `where_data` looks at ([group/]version/Kind).",
  },
  where_data: { type: "string", description: "Condition on the Units' config data." },
  subgroup: {
    type: "string",
    maxLength: 64,
    pattern: "^[A-Za-z0-9]*$",
    description: "Recorded as the Mutation's Subgroup (alphanumeric; the prefix ConfigHub is reserved).",
  },
} as const;

export const invokeSpaceQuerySchema = {
  type: "object",
  properties: {
    unit_id: { ...uuidSchema, description: "Only this Unit; with revision_id, the Unit of that Revision." },
    revision_id: {
      ...uuidSchema,
      description: "Run on this Revision's data instead (needs unit_id); nothing is written.",
    },
    ...selectionQueryProperties,
  },
  additionalProperties: false,
} as const;

export const invokeOrganizationQuerySchema = {
  type: "object",
  properties: selectionQueryProperties,
  additionalProperties: false,
} as const;

export const listFunctionsQuerySchema = {
  type: "object",
  properties: {
    entity: {
      type: "string",
      enum: ["unit", "target", "worker"],
      description: "With `id`: list the functions of that entity's bridge worker.",
    },
    id: { ...uuidSchema, description: "The entity's ID (with `entity`)." },
    where: { type: "string", description: "`where` over FunctionSignature attributes." },
  },
  additionalProperties: false,
} as const;

export const listOrganizationFunctionsQuerySchema = {
  type: "object",
  properties: { where: listFunctionsQuerySchema.properties.where },
  additionalProperties: false,
} as const;

// ---------------------------------------------------------------------------------------------------
// Responses (shared, by $id)

const functionParameterSchema = {
  type: "object",
  properties: {
    ParameterName: { type: "string" },
    Description: { type: "string" },
    Required: { type: "boolean" },
    DataType: { type: "string" },
    Example: { type: "string" },
    Regexp: { type: "string" },
    Min: { type: "integer" },
    Max: { type: "integer" },
    EnumValues: { type: "array", items: { type: "string" } },
  },
} as const;

export const functionSignatureSchema = {
  $id: "FunctionSignature",
  type: "object",
  properties: {
    FunctionName: { type: "string" },
    Parameters: { type: "array", items: functionParameterSchema, nullable: true },
    RequiredParameters: { type: "integer" },
    VarArgs: { type: "boolean" },
    OutputInfo: {
      type: "object",
      nullable: true,
      properties: {
        ResultName: { type: "string" },
        Description: { type: "string" },
        OutputType: { type: "string" },
      },
    },
    Mutating: { type: "boolean" },
    Validating: { type: "boolean" },
    Hermetic: { type: "boolean" },
    Idempotent: { type: "boolean" },
    Description: { type: "string" },
    FunctionType: { type: "string" },
    AttributeName: { type: "string" },
    AffectedResourceTypes: { type: "array", items: { type: "string" } },
    ToolchainType: { type: "string" },
    FinalMutating: { type: "boolean", description: "Extension: runs in the final-mutating phase." },
  },
} as const;

export const functionSignatureMapSchema = {
  type: "object",
  description: "ToolchainType -> function name -> FunctionSignature.",
  additionalProperties: { type: "object", additionalProperties: { $ref: "FunctionSignature#" } },
} as const;

export const responseErrorSchema = {
  $id: "ResponseError",
  type: "object",
  properties: {
    Message: { type: "string", description: "The primary error message." },
    Details: { type: "array", items: { type: "string" }, description: "Every message, in order." },
    Status: { type: "integer", description: "The HTTP status this error alone would have." },
    Type: { type: "string", description: "Stable error code (FUNCTION_FAILED, CONFIG_DATA_INVALID, ...)." },
    ErrorCategory: { type: "string", description: "request, function, data, conflict or internal." },
    ErrorMetadata: {
      type: "object",
      properties: {
        EntityID: { type: "string" },
        EntitySlug: { type: "string" },
        EntityType: { type: "string" },
      },
    },
  },
} as const;

export const functionInvocationsResponseSchema = {
  $id: "FunctionInvocationsResponse",
  type: "object",
  description: "The result of the functions on one Unit (or Revision).",
  properties: {
    UnitID: uuidSchema,
    UnitSlug: { type: "string" },
    SpaceID: uuidSchema,
    SpaceSlug: { type: "string" },
    OrganizationID: uuidSchema,
    RevisionID: {
      ...uuidSchema,
      description: "The Revision written, or the one the functions ran on when nothing was written.",
    },
    ConfigData: { ...base64Schema, description: "The resulting configuration data." },
    Outputs: {
      type: "object",
      nullable: true,
      additionalProperties: base64Schema,
      description:
        "OutputType -> base64 of the output JSON. A ValidationResult's Index is its function's position in the run " +
        "(the request's FunctionInvocations, then saved Invocations and Triggers); the results of saved Invocations " +
        "and Triggers also carry FunctionName.",
    },
    Mutations: {
      type: "array",
      nullable: true,
      items: { type: "object", additionalProperties: true },
      description: "ResourceMutationList of the change.",
    },
    Mutators: { type: "array", nullable: true, items: { type: "integer" } },
    HasNewMutations: { type: "boolean" },
    Success: { type: "boolean", description: "True when every function ran without error." },
    Error: { $ref: "ResponseError#" },
  },
} as const;

export const functionInvocationsResponseListSchema = {
  type: "array",
  items: { $ref: "FunctionInvocationsResponse#" },
} as const;

/**
 * One line of the streamed answer (Accept: application/x-ndjson): an element, exactly as in the
 * JSON array, or the last line, {"Summary": ...}. A confn extension: ConfigHub answers the array only
 * (docs/api-extensions.md).
 */
export const invokeStreamLineSchema = {
  description:
    "confn extension: with `Accept: application/x-ndjson` the answer is 200 at once and one JSON object per line: " +
    "each element (a FunctionInvocationsResponse, as in the array) as soon as its Unit finished, then a last " +
    'line {"Summary": {...}} with the status the array answer would have had (200, 207, or the error of a ' +
    "call that failed as a whole) and the counts. A stream without a Summary line was cut short.",
  anyOf: [
    { $ref: "FunctionInvocationsResponse#" },
    {
      type: "object",
      required: ["Summary"],
      properties: {
        Summary: {
          type: "object",
          required: ["Status", "Elements", "Succeeded", "Failed"],
          properties: {
            Status: {
              type: "integer",
              description:
                "The JSON array answer's status: 200, 207, or 422/429/503/500 for a call that failed as a whole.",
            },
            Elements: { type: "integer", description: "Element lines sent." },
            Succeeded: { type: "integer" },
            Failed: { type: "integer" },
            Error: { $ref: "StandardErrorResponse#" },
            RetryAfterSeconds: { type: "integer", description: "With Status 429: when a retry may succeed." },
          },
        },
      },
    },
  ],
} as const;

// One element of the invoke response: ConfigHub's V26 FunctionInvocationsResponse for one Unit (or
// Revision), with a ResponseError when it failed. The engine encodes the result (base64 data, base64
// JSON outputs per OutputType); this adds the Unit's identity, the Revision and the error.
import type { EngineError, ExecutionResult, ResourceMutationList } from "../engine/index.ts";
import { toBase64, toFunctionInvocationResponse } from "../engine/index.ts";

export interface WireResponseError {
  Message: string;
  Details: string[];
  Status: number;
  Type: string;
  ErrorCategory: "request" | "function" | "data" | "conflict";
  ErrorMetadata: { EntityID: string; EntitySlug: string; EntityType: "Unit" };
}

export interface WireFunctionInvocationsResponse {
  UnitID: string;
  UnitSlug: string;
  SpaceID: string;
  SpaceSlug: string;
  OrganizationID: string;
  RevisionID: string;
  ConfigData: string;
  Outputs: Record<string, string>;
  Mutations: ResourceMutationList;
  Mutators: number[];
  HasNewMutations: boolean;
  Success: boolean;
  Error?: WireResponseError;
}

/** Who the element is about. */
export interface ElementUnit {
  readonly unitId: string;
  readonly unitSlug: string;
  readonly spaceId: string;
  readonly spaceSlug: string;
  readonly organizationId: string;
  /** The Revision written, or the one the functions ran on. */
  readonly revisionId: string;
}

/** A failure that is not one of the engine's function errors. */
export interface ElementFailure {
  readonly status: number;
  readonly type: string;
  readonly category: WireResponseError["ErrorCategory"];
  readonly messages: readonly string[];
}

export interface ResultExtras {
  /** Overrides the function errors (e.g. a write conflict). */
  readonly failure?: ElementFailure;
  /** Added to the error's Details (e.g. "nothing was written"). */
  readonly notes?: readonly string[];
  /** Names where an error at a step index came from, when it is not the request's own list. */
  readonly origin?: (index: number | undefined) => string | undefined;
}

/** The element for an engine result. */
export function resultElement(
  unit: ElementUnit,
  result: ExecutionResult,
  extra: ResultExtras = {},
): WireFunctionInvocationsResponse {
  const encoded = toFunctionInvocationResponse(result);
  const element: WireFunctionInvocationsResponse = {
    ...identity(unit),
    ConfigData: encoded.ConfigData,
    Outputs: encoded.Outputs,
    Mutations: encoded.Mutations,
    Mutators: encoded.Mutators,
    HasNewMutations: encoded.HasNewMutations,
    Success: encoded.Success && extra.failure === undefined,
  };
  const failure =
    extra.failure ?? (result.success ? undefined : functionFailure(result.errors, extra.origin));
  if (failure) element.Error = responseError(unit, failure, extra.notes ?? []);
  return element;
}

/**
 * A successful result's element, failed afterwards for another reason (e.g. its write conflicted):
 * what resultElement gives for that result with `failure`.
 */
export function failedAfterwards(
  element: WireFunctionInvocationsResponse,
  failure: ElementFailure,
): WireFunctionInvocationsResponse {
  const unit = { unitId: element.UnitID, unitSlug: element.UnitSlug };
  return { ...element, Success: false, Error: responseError(unit, failure, []) };
}

/** The element for a Unit the engine could not run on (its data does not parse): the data unchanged. */
export function failedElement(
  unit: ElementUnit,
  data: string,
  failure: ElementFailure,
): WireFunctionInvocationsResponse {
  return {
    ...identity(unit),
    ConfigData: toBase64(data),
    Outputs: {},
    Mutations: [],
    Mutators: [],
    HasNewMutations: false,
    Success: false,
    Error: responseError(unit, failure, []),
  };
}

/** A bridge worker that could not run a Unit's functions: the status a gateway would answer. */
const WORKER_STATUS: Partial<Record<EngineError["code"], number>> = {
  WORKER_DISCONNECTED: 503,
  WORKER_TIMEOUT: 504,
  WORKER_BUSY: 429,
  WORKER_FAILED: 502,
};

/**
 * An unknown function or invalid arguments is the request's fault (400); a bridge worker's failure
 * its own status (WORKER_STATUS); anything else the data's (422).
 */
function functionFailure(
  errors: readonly EngineError[],
  origin: ResultExtras["origin"] = () => undefined,
): ElementFailure {
  const request = errors.some((e) => e.code === "UNKNOWN_FUNCTION" || e.code === "INVALID_ARGUMENT");
  const worker = errors[0] === undefined ? undefined : WORKER_STATUS[errors[0].code];
  return {
    status: request ? 400 : (worker ?? 422),
    type: errors[0]?.code ?? "FUNCTION_FAILED",
    category: request ? "request" : "function",
    messages: errors.map((e) => {
      const where = origin(e.index) ?? explicitCall(e);
      return where ? `${where}: ${e.message}` : e.message;
    }),
  };
}

/**
 * `set-replicas (#0)`: which call of the request failed, so a message that only says what was wrong
 * (ConfigHub's wording, kept) also says where. A saved Invocation or Trigger is named by `origin`.
 */
function explicitCall(error: EngineError): string | undefined {
  if (error.functionName === undefined) return undefined;
  return error.index === undefined ? error.functionName : `${error.functionName} (#${error.index})`;
}

function responseError(
  unit: Pick<ElementUnit, "unitId" | "unitSlug">,
  failure: ElementFailure,
  notes: readonly string[],
): WireResponseError {
  return {
    Message: `function invocation failed on Unit ${unit.unitSlug}`,
    Details: [...failure.messages, ...notes],
    Status: failure.status,
    Type: failure.type,
    ErrorCategory: failure.category,
    ErrorMetadata: { EntityID: unit.unitId, EntitySlug: unit.unitSlug, EntityType: "Unit" },
  };
}

function identity(unit: ElementUnit) {
  return {
    UnitID: unit.unitId,
    UnitSlug: unit.unitSlug,
    SpaceID: unit.spaceId,
    SpaceSlug: unit.spaceSlug,
    OrganizationID: unit.organizationId,
    RevisionID: unit.revisionId,
  };
}

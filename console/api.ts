// The console's only way to the server: the public /api with `Authorization: Bearer <token>`.
// A non-2xx answer becomes an ApiError carrying the server's StandardErrorResponse message.
import { forgetToken, storedToken } from "./session.ts";

export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    message: string,
    /** The parsed body when it was JSON (an invoke answers its per-Unit results with a 4xx too). */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  readonly method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  readonly query?: Query;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /** Answer the text of the body instead of parsing JSON. */
  readonly text?: boolean;
  /** Another token than the signed-in one (used to check a token before keeping it). */
  readonly token?: string;
}

/** Called when the server says the token is no longer valid. */
let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") params.set(name, String(value));
  }
  const search = params.toString();
  return `/api${path}${search ? `?${search}` : ""}`;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const token = options.token ?? storedToken();
  const headers: Record<string, string> = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(apiUrl(path, options.query), {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    signal: options.signal ?? null,
    credentials: "omit",
  });
  const text = await response.text();
  if (!response.ok) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const message =
      body && typeof body === "object" && "Message" in body && typeof body.Message === "string"
        ? body.Message
        : `${response.status} ${response.statusText}`;
    if (response.status === 401 && !options.token) {
      forgetToken();
      onUnauthorized();
    }
    throw new ApiError(response.status, message, body);
  }
  return (options.text ? text : text ? JSON.parse(text) : undefined) as T;
}

/** UTF-8 text of base64 data, as Unit Data travels. */
export function fromBase64(data: string | undefined): string {
  if (!data) return "";
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** A `where` string literal: quotes doubled. */
export function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

// The wire shapes the console reads (a subset of the OpenAPI schemas at /openapi.json).

export interface Me {
  readonly OrganizationSlug: string;
  readonly OrganizationID: string;
  readonly DisplayName: string;
  readonly Role: "admin" | "editor" | "viewer";
}

export interface Space {
  readonly SpaceID: string;
  readonly Slug: string;
  readonly DisplayName: string;
  readonly Labels: Record<string, string>;
}

export interface Unit {
  readonly UnitID: string;
  readonly SpaceID: string;
  readonly Slug: string;
  readonly ToolchainType: string;
  readonly SpaceSlug?: string;
  readonly Labels?: Record<string, string>;
  readonly HeadRevisionNum?: number;
  readonly HeadRevisionID?: string;
  readonly ApplyGates?: Record<string, boolean>;
  readonly ApplyWarnings?: Record<string, boolean>;
  readonly Data?: string;
  readonly LastChangeDescription?: string;
}

export interface Revision {
  readonly RevisionID: string;
  readonly RevisionNum: number;
  readonly Source: string;
  readonly Description?: string;
  readonly CreatedAt: string;
  readonly ApplyGates?: Record<string, boolean>;
}

export interface PathMutation {
  readonly MutationType: string;
  readonly Value?: string;
}

export interface Mutation {
  readonly MutationID: string;
  readonly RevisionID: string;
  readonly RevisionNum: number;
  readonly Source: string;
  readonly Description: string;
  readonly RestoredRevisionNum: number;
  readonly FunctionInvocations?: readonly FunctionInvocation[];
  readonly ResourceMutations?: readonly {
    readonly Resource?: { readonly ResourceName: string; readonly ResourceType: string };
    readonly ResourceMutationInfo?: PathMutation;
    readonly PathMutationMap?: Record<string, PathMutation>;
  }[];
}

export interface Argument {
  readonly ParameterName?: string;
  readonly Value: string | number | boolean;
}

export interface FunctionInvocation {
  readonly FunctionName: string;
  readonly Arguments?: readonly Argument[];
}

export interface FunctionParameter {
  readonly ParameterName: string;
  readonly Description?: string;
  readonly Required?: boolean;
  readonly DataType: string;
  readonly Example?: string;
  readonly Regexp?: string;
  readonly Min?: number;
  readonly Max?: number;
  readonly EnumValues?: readonly string[];
}

export interface FunctionSignature {
  readonly FunctionName: string;
  readonly Parameters?: readonly FunctionParameter[] | null;
  readonly RequiredParameters?: number;
  readonly VarArgs?: boolean;
  readonly Mutating?: boolean;
  readonly Validating?: boolean;
  readonly Description?: string;
  readonly ToolchainType?: string;
}

export interface Filter {
  readonly FilterID: string;
  readonly Slug: string;
  readonly From: string;
  readonly Where?: string;
  readonly WhereData?: string;
}

export interface Trigger {
  readonly TriggerID: string;
  readonly Slug: string;
  readonly Event: string;
  readonly ToolchainType: string;
  readonly FunctionName: string;
  readonly Arguments?: readonly Argument[];
  readonly Disabled?: boolean;
  readonly Warn?: boolean;
  readonly WhereUnit?: string;
  readonly Validating?: boolean;
  readonly Description?: string;
}

/** A bridge worker as the organization's list shows it (`include=SpaceID` adds its Space). */
export interface BridgeWorker {
  readonly BridgeWorkerID: string;
  readonly SpaceID: string;
  readonly Slug: string;
  readonly Condition: string;
}

export interface ListedBridgeWorker {
  readonly BridgeWorker: BridgeWorker;
  readonly Space?: { readonly Slug?: string };
}

export interface InvokeResult {
  readonly UnitID: string;
  readonly UnitSlug: string;
  readonly SpaceID: string;
  readonly SpaceSlug: string;
  readonly RevisionID?: string;
  readonly ConfigData?: string;
  readonly Outputs?: Record<string, string> | null;
  readonly Mutations?: readonly unknown[] | null;
  readonly HasNewMutations?: boolean;
  readonly Success: boolean;
  readonly Error?: { readonly Message?: string; readonly Code?: string } | null;
}

/** Lists answer `[{ Space: {...} }]`, `[{ Unit: {...} }]`, ...: the entities under `key`. */
export function entities<T>(list: readonly Record<string, unknown>[], key: string): T[] {
  return list.map((item) => item[key] as T);
}

/** A single read answers the entity or its Extended wrapper (`{ Space: {...} }`): the entity either way. */
export function unwrap<T>(answer: T | Record<string, unknown>, key: string): T {
  const inner = (answer as Record<string, unknown>)[key];
  return (inner && typeof inner === "object" ? inner : answer) as T;
}

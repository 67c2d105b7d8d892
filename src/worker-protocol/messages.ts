// The bridge worker protocol's messages (spec/server-api.md §4), as a ConfigHub worker built with
// ConfigHub's Go library sends and expects them. One definition shared by the server's worker port,
// its dispatcher and the TypeScript worker SDK, so the two ends cannot drift apart.
import type { FunctionInvocationRequest, FunctionSignature, ToolchainType } from "../engine/index.ts";

/** A target a bridge offers (deployment; confn stores it and does not use it). */
export interface AvailableTarget {
  Name: string;
  Params?: Record<string, unknown>;
}

export interface SupportedConfigType {
  ToolchainType: string;
  ProviderType: string;
  AvailableTargets?: AvailableTarget[] | null;
}

export interface BridgeWorkerInfo {
  SupportedConfigTypes?: SupportedConfigType[] | null;
}

/** A worker's functions, by toolchain then function name. */
export type SupportedFunctions = Partial<Record<ToolchainType | string, Record<string, FunctionSignature>>>;

export interface FunctionWorkerInfo {
  SupportedFunctions?: SupportedFunctions | null;
  ToolchainTypes?: string[] | null;
}

/** The registration a worker sends as the body of `POST /api/bridge_worker/{id}/stream`. */
export interface WorkerInfo {
  BridgeWorkerInfo?: BridgeWorkerInfo;
  FunctionWorkerInfo?: FunctionWorkerInfo;
  IsServerWorker?: boolean;
  UseUserIdentity?: boolean;
}

export type ActionType =
  | "Heartbeat"
  | "InvokeFunctions"
  | "ListFunctions"
  | "Apply"
  | "Destroy"
  | "Refresh"
  | "Import"
  | "Finalize"
  | "Cancel";

export type ActionStatus =
  "None" | "Pending" | "Submitted" | "Progressing" | "Completed" | "Failed" | "Canceled" | "Aborted";

export type ActionResultType =
  | "None"
  | "ApplyCompleted"
  | "ApplyFailed"
  | "ApplyWaitFailed"
  | "DestroyCompleted"
  | "DestroyFailed"
  | "DestroyWaitFailed"
  | "RefreshFailed"
  | "RefreshAndDrifted"
  | "RefreshAndNoDrift"
  | "ImportCompleted"
  | "ImportFailed"
  | "FunctionInvocationCompleted"
  | "FunctionInvocationFailed";

/** The event types on the stream; the type travels inside the JSON of each `data: ` line. */
export type StreamEventType = "WorkerEvent" | "FunctionWorkerEvent" | "BridgeWorkerEvent";

export interface HeartbeatEvent {
  Event: "WorkerEvent";
  Data: { Action: "Heartbeat"; Payload: { Timestamp: number } };
}

export interface InvokeFunctionsPayload {
  QueuedOperationID: string;
  InvocationRequest: FunctionInvocationRequest;
}

export interface InvokeFunctionsEvent {
  Event: "FunctionWorkerEvent";
  Data: { Action: "InvokeFunctions"; Payload: InvokeFunctionsPayload };
}

/** Every event the server sends a function worker. */
export type ServerEvent = HeartbeatEvent | InvokeFunctionsEvent;

/**
 * What a worker posts to `POST /api/bridge_worker/{id}/action_result`. For `InvokeFunctions`,
 * `Data` is base64 of the JSON FunctionInvocationResponse; correlate on QueuedOperationID alone.
 */
export interface ActionResult {
  QueuedOperationID?: string;
  UnitID?: string;
  SpaceID?: string;
  RevisionNum?: number;
  Action?: ActionType | string;
  Result?: ActionResultType | string;
  Status?: ActionStatus | string;
  Message?: string;
  StartedAt?: string;
  TerminatedAt?: string;
  /** base64 */
  Data?: string;
  /** base64 */
  LiveState?: string;
  /** base64 */
  Outputs?: string;
  ErrorMessages?: string[] | null;
}

/** `Condition` of a BridgeWorker. */
export type WorkerCondition = "Ready" | "NotReady" | "Unresponsive" | "Disconnected";

/** `Status` of a BridgeWorkerStatus (connection history) row. */
export type WorkerStatusKind = "Connected" | "Disconnected" | "ActionSent" | "ActionResultReceived";

/** The worker's answer to a heartbeat under memory pressure (less than 200 MB free). */
export const MEMORY_PRESSURE_MESSAGE = "MemoryPressure";

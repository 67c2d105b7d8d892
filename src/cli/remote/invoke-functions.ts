// POST /api/space/{id}/function/invoke (one Space) or /api/function/invoke (the organization):
// the request as `cub function do` sends it (every argument a string, CastStringArgsToScalars).
import type { FunctionInvocation } from "../../engine/index.ts";
import type { ConfnClient } from "./http-client.ts";
import { readInvokeResponse, type InvokeElement } from "./invoke-response.ts";
import type { SelectedSpace } from "./space-selection.ts";

export interface InvokeSelection {
  /** One Space, or undefined for every Space of the organization. */
  readonly space: SelectedSpace | undefined;
  readonly where?: string;
  readonly whereData?: string;
  readonly resourceType?: string;
  readonly filterId?: string;
}

export interface InvokeOptions {
  readonly dryRun: boolean;
  readonly changeDescription?: string;
  readonly numFilters: number;
  readonly stopOnError: boolean;
  readonly toolchain?: string;
  /** The bridge worker that runs the functions (ConfigHub's BridgeWorkerID). */
  readonly bridgeWorkerId?: string;
  /** Saved Invocations and Triggers run after the functions (their IDs). */
  readonly savedInvocationIds?: readonly string[];
  readonly triggerIds?: readonly string[];
}

export interface InvokeOutcome {
  /** 200 (all succeeded) or 207 (some failed). */
  readonly status: number;
  /** The body as the server sent it (what --json prints). */
  readonly raw: unknown;
  readonly elements: InvokeElement[];
}

export async function invokeFunctions(
  client: ConfnClient,
  selection: InvokeSelection,
  invocations: readonly FunctionInvocation[],
  options: InvokeOptions,
): Promise<InvokeOutcome> {
  const { space } = selection;
  const path = space ? `/space/${space.spaceId}/function/invoke` : "/function/invoke";
  const saved = (options.savedInvocationIds?.length ?? 0) + (options.triggerIds?.length ?? 0);
  const names =
    [...invocations.map((i) => i.FunctionName), ...(saved > 0 ? [`${saved} saved`] : [])].join(", ") ||
    "nothing";
  const what = `invoke ${names} ${space ? `in space ${space.label}` : "in the organization"}`;
  const query = {
    where: selection.where,
    where_data: selection.whereData,
    resource_type: selection.resourceType,
    filter: selection.filterId,
    dry_run: options.dryRun ? "true" : undefined,
  };
  const body = {
    FunctionInvocations: invocations,
    NumFilters: options.numFilters,
    StopOnError: options.stopOnError,
    CastStringArgsToScalars: true,
    ...(options.changeDescription === undefined ? {} : { ChangeDescription: options.changeDescription }),
    ...(options.toolchain === undefined ? {} : { ToolchainType: options.toolchain }),
    ...(options.bridgeWorkerId === undefined ? {} : { BridgeWorkerID: options.bridgeWorkerId }),
    ...(options.savedInvocationIds?.length ? { Invocations: options.savedInvocationIds } : {}),
    ...(options.triggerIds?.length ? { Triggers: options.triggerIds } : {}),
  };
  const response = await client.post<unknown>(path, what, query, body);
  return { status: response.status, raw: response.body, elements: readInvokeResponse(response.body) };
}

// BridgeWorkers on a confn server: /api/space/{space_id}/bridge_worker[/{id}], the organization's
// /api/bridge_worker list, and POST .../secret (rotation). Workers are named on the command line by
// slug (looked up with the list's where filter, as cub does) or by ID; the client always sends IDs.
import { isToolchainType, NIL_UUID, type FunctionSignature } from "../../engine/index.ts";
import { localRegistry } from "../local/local-engine.ts";
import { CliUsageError } from "../cli-error.ts";
import type { ConfnClient } from "./http-client.ts";
import { RemoteError, withHint } from "./remote-error.ts";
import { suggestion } from "./slug-resolution.ts";
import { isUuid, type SelectedSpace } from "./space-selection.ts";

/** A BridgeWorker as the API shows it (the fields the CLI reads). */
export interface WireWorker {
  readonly BridgeWorkerID: string;
  readonly SpaceID: string;
  readonly Slug: string;
  /** Only in the answers of create and rotation. */
  readonly Secret?: string;
  readonly Condition?: string;
  readonly IPAddress?: string;
  readonly LastSeenAt?: string;
  readonly LastMessage?: string;
  readonly ProvidedInfo?: {
    FunctionWorkerInfo?: { SupportedFunctions?: Record<string, Record<string, FunctionSignature>> | null };
  } | null;
}

/** A worker with the slug of its Space (from `include=SpaceID`), for listings. */
export interface ListedWorker {
  readonly worker: WireWorker;
  readonly spaceSlug: string | undefined;
}

/** ConfigHub's slug rule: no quote can appear, so the where literal needs no escaping. */
const SLUG = /^[A-Za-z0-9]([-_.A-Za-z0-9]*[A-Za-z0-9])?$/;

export function checkWorkerSlug(slug: string): void {
  if (!SLUG.test(slug) || slug.length > 128) {
    throw new CliUsageError(
      `worker ${slug}: expected a slug (letters, digits and -_. inside, at most 128) or an ID`,
    );
  }
}

/** The workers of one Space, or of the organization; `where` is passed to the server. */
export async function listWorkers(
  client: ConfnClient,
  space: SelectedSpace | undefined,
  where?: string,
): Promise<ListedWorker[]> {
  const path = space ? `/space/${space.spaceId}/bridge_worker` : "/bridge_worker";
  const what = space ? `workers of space ${space.label}` : "workers";
  const found = await client.get<{ BridgeWorker: WireWorker; Space?: { Slug?: string } }[]>(path, what, {
    where,
    include: "SpaceID",
  });
  return (found ?? []).map((entry) => ({ worker: entry.BridgeWorker, spaceSlug: entry.Space?.Slug }));
}

/**
 * The worker named `ref` (slug or ID) in `space`, or anywhere in the organization when `space` is
 * undefined (then a slug used in several Spaces is ambiguous). Undefined when there is none.
 */
export async function findWorker(
  client: ConfnClient,
  space: SelectedSpace | undefined,
  ref: string,
): Promise<ListedWorker | undefined> {
  const byId = isUuid(ref);
  if (!byId) checkWorkerSlug(ref);
  const where = byId ? `BridgeWorkerID = '${ref.toLowerCase()}'` : `Slug = '${ref}'`;
  const matches = await listWorkers(client, space, where);
  if (matches.length > 1) {
    const spaces = matches.map((m) => m.spaceSlug ?? m.worker.SpaceID).join(", ");
    throw new CliUsageError(`worker ${ref} exists in several Spaces (${spaces}): name one with --space`);
  }
  return matches[0];
}

/**
 * Like findWorker, but a missing worker is a usage error: with a close slug that exists, which was
 * meant; otherwise (`createHint`, for commands that use a worker) how to create it.
 */
export async function requireWorker(
  client: ConfnClient,
  space: SelectedSpace | undefined,
  ref: string,
  createHint = true,
): Promise<ListedWorker> {
  const found = await findWorker(client, space, ref);
  if (found) return found;
  const where = space ? `space ${space.label}` : "the organization";
  if (isUuid(ref)) throw new CliUsageError(`there is no worker ${ref} in ${where}`);
  const slugs = (await listWorkers(client, space)).map((listed) => listed.worker.Slug);
  const create =
    space && createHint ? ` (create it with: confn worker create ${ref} --space ${space.label})` : "";
  const hint = suggestion(ref, slugs) || create;
  throw new CliUsageError(`there is no worker ${ref} in ${where}${hint}`);
}

/**
 * The worker a call or a saved call names with `--worker REF`: the one in `space` (the Units' or
 * the entity's Space), else the one of that slug or ID anywhere in the organization (a worker in a
 * Space of its own can serve every Space, as the API allows).
 */
export async function workerForCall(
  client: ConfnClient,
  space: SelectedSpace | undefined,
  ref: string,
): Promise<ListedWorker> {
  const inSpace = space ? await findWorker(client, space, ref) : undefined;
  if (inSpace) return inSpace;
  const byId = isUuid(ref);
  const matches = await listWorkers(
    client,
    undefined,
    byId ? `BridgeWorkerID = '${ref.toLowerCase()}'` : `Slug = '${ref}'`,
  );
  if (matches.length > 1) {
    const ids = matches
      .map((m) => `${m.spaceSlug ?? m.worker.SpaceID}: ${m.worker.BridgeWorkerID}`)
      .join(", ");
    throw new CliUsageError(`worker ${ref} exists in several Spaces (${ids}): name it by ID with --worker`);
  }
  const found = matches[0];
  if (found) return found;
  if (byId) throw new CliUsageError(`there is no worker ${ref} in the organization`);
  const slugs = (await listWorkers(client, undefined)).map((listed) => listed.worker.Slug);
  const create = space ? ` (create it with: confn worker create ${ref} --space ${space.label})` : "";
  throw new CliUsageError(`there is no worker ${ref} in the organization${suggestion(ref, slugs) || create}`);
}

/**
 * The ID to store for a saved call's `--worker REF` (Invocation, Trigger): workerForCall's. The
 * empty string is the built-ins (the nil UUID).
 */
export async function savedCallWorkerId(
  client: ConfnClient,
  space: SelectedSpace | undefined,
  ref: string,
): Promise<string> {
  if (ref === "") return NIL_UUID;
  return (await workerForCall(client, space, ref)).worker.BridgeWorkerID;
}

/** A worker that registered a function, and the toolchains it registered it for (sorted). */
export interface OfferingWorker extends ListedWorker {
  readonly toolchains: readonly string[];
}

/** The workers of the organization that registered `functionName`, for any toolchain. */
export async function workersOffering(client: ConfnClient, functionName: string): Promise<OfferingWorker[]> {
  const all = await listWorkers(client, undefined);
  return all
    .map((listed) => ({
      ...listed,
      toolchains: Object.entries(listed.worker.ProvidedInfo?.FunctionWorkerInfo?.SupportedFunctions ?? {})
        .filter(([, functions]) => functions?.[functionName] !== undefined)
        .map(([toolchain]) => toolchain)
        .sort(),
    }))
    .filter((offering) => offering.toolchains.length > 0);
}

/**
 * When bridge workers offer `functionName` where the call did not find it: a line saying which, and
 * the flags that reach it, to append to the "does not exist" message; else "". Without `namedWorker`
 * (the call ran on the built-ins) the mistake is a forgotten --worker, and perhaps --toolchain too;
 * with it, a worker that registered the function for another toolchain wants --toolchain. The hint
 * is a courtesy: if the list cannot be read, there is none.
 */
export async function workerOfferHint(
  client: ConfnClient,
  toolchain: string,
  functionName: string,
  namedWorker?: string,
): Promise<string> {
  let offering: OfferingWorker[];
  try {
    offering = await workersOffering(client, functionName);
  } catch {
    return "";
  }
  if (namedWorker !== undefined) {
    const named = offering.find(({ worker }) => worker.BridgeWorkerID === namedWorker);
    if (named && !named.toolchains.includes(toolchain)) {
      return `\n(${named.worker.Slug} offers ${functionName} for ${named.toolchains.join(", ")}: name the toolchain with --toolchain ${named.toolchains[0]})`;
    }
    // A built-in called through a worker that does not offer it: the worker is what is wrong.
    const builtIn = isToolchainType(toolchain) && localRegistry().lookup(toolchain, functionName);
    return !named && builtIn
      ? `\n(${functionName} is a built-in function: leave out --worker to run it)`
      : "";
  }
  const sameToolchain = offering.filter((o) => o.toolchains.includes(toolchain));
  const shown = sameToolchain.length > 0 ? sameToolchain : offering;
  if (shown.length === 0) return "";
  const otherToolchain = sameToolchain.length === 0;
  const named = shown
    .slice(0, 3)
    .map(
      ({ worker, spaceSlug, toolchains }) =>
        `${worker.Slug} (space ${spaceSlug ?? worker.SpaceID}${otherToolchain ? `, for ${toolchains.join(", ")}` : ""})`,
    )
    .join(", ");
  const others = shown.length > 3 ? " and others" : "";
  const first = shown[0]!;
  const flags = otherToolchain
    ? `name the worker and its toolchain with --worker ${first.worker.Slug} --toolchain ${first.toolchains[0]}`
    : `name the worker with --worker ${first.worker.Slug}`;
  return `\n(${functionName} is a bridge worker's function, offered by ${named}${others}: ${flags})`;
}

/**
 * A server's 400 saying one of `functionNames` does not exist (on the built-ins, or on `namedWorker`),
 * with workerOfferHint's line; anything else unchanged.
 */
export async function withWorkerOfferHint(
  error: unknown,
  client: ConfnClient,
  toolchain: string,
  functionNames: readonly string[],
  namedWorker?: string,
): Promise<unknown> {
  if (!(error instanceof RemoteError) || error.code !== "BAD_REQUEST") return error;
  const name = functionNames.find((n) =>
    error.message.includes(`function ${n} does not exist for toolchain`),
  );
  const hint = name === undefined ? "" : await workerOfferHint(client, toolchain, name, namedWorker);
  return hint === "" ? error : withHint(error, hint);
}

/**
 * The saved Invocations and Triggers of the organization that name the worker (`Trigger shop/policy`),
 * which fail closed once it is gone.
 */
export async function callsNamingWorker(client: ConfnClient, bridgeWorkerId: string): Promise<string[]> {
  const named: string[] = [];
  for (const [title, path] of [
    ["Trigger", "/trigger"],
    ["Invocation", "/invocation"],
  ] as const) {
    const found = await client.get<Record<string, { Slug?: string }>[] | null>(path, `${title}s`, {
      where: `BridgeWorkerID = '${bridgeWorkerId}'`,
      include: "SpaceID",
    });
    for (const entry of found ?? [])
      named.push(`${title} ${entry.Space?.Slug ?? "?"}/${entry[title]?.Slug ?? "?"}`);
  }
  return named;
}

/** Creates a worker; the answer carries its secret, this once. */
export async function createWorker(
  client: ConfnClient,
  space: SelectedSpace,
  slug: string,
): Promise<WireWorker> {
  checkWorkerSlug(slug);
  const { body } = await client.post<WireWorker>(
    `/space/${space.spaceId}/bridge_worker`,
    `create worker ${slug} in space ${space.label}`,
    {},
    { Slug: slug },
  );
  return body;
}

/** Replaces a worker's secret (the old one stops working, its streams end); the answer carries the new one. */
export async function rotateWorkerSecret(client: ConfnClient, worker: WireWorker): Promise<WireWorker> {
  const { body } = await client.post<WireWorker>(
    `/space/${worker.SpaceID}/bridge_worker/${worker.BridgeWorkerID}/secret`,
    `rotate the secret of worker ${worker.Slug}`,
    {},
    {},
  );
  return body;
}

export async function deleteWorker(client: ConfnClient, worker: WireWorker): Promise<void> {
  await client.delete(
    `/space/${worker.SpaceID}/bridge_worker/${worker.BridgeWorkerID}`,
    `delete worker ${worker.Slug}`,
  );
}

/** The functions a worker registered, `{ ToolchainType: { name: FunctionSignature } }`, narrowed by `where`. */
export async function fetchWorkerSignatures(
  client: ConfnClient,
  worker: WireWorker,
  where: string | undefined,
): Promise<Record<string, Record<string, FunctionSignature>>> {
  const map = await client.get<unknown>(
    `/space/${worker.SpaceID}/bridge_worker/${worker.BridgeWorkerID}/function`,
    `functions of worker ${worker.Slug}`,
    { where },
  );
  if (map === null || typeof map !== "object" || Array.isArray(map)) {
    throw new RemoteError(
      "BAD_RESPONSE",
      `functions of worker ${worker.Slug}: the server did not answer with a map of toolchains`,
    );
  }
  return map as Record<string, Record<string, FunctionSignature>>;
}

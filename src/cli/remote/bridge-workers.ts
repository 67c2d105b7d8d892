// BridgeWorkers on a confn server: /api/space/{space_id}/bridge_worker[/{id}], the organization's
// /api/bridge_worker list, and POST .../secret (rotation). Workers are named on the command line by
// slug (looked up with the list's where filter, as cub does) or by ID; the client always sends IDs.
import { NIL_UUID, type FunctionSignature } from "../../engine/index.ts";
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

/** Like findWorker, but a missing worker is a usage error that says how to create it. */
export async function requireWorker(
  client: ConfnClient,
  space: SelectedSpace | undefined,
  ref: string,
): Promise<ListedWorker> {
  const found = await findWorker(client, space, ref);
  if (found) return found;
  const where = space ? `space ${space.label}` : "the organization";
  if (isUuid(ref)) throw new CliUsageError(`there is no worker ${ref} in ${where}`);
  // A slug close to one that exists was probably mistyped: say which; otherwise how to create it.
  const slugs = (await listWorkers(client, space)).map((listed) => listed.worker.Slug);
  const create = space ? ` (create it with: confn worker create ${ref} --space ${space.label})` : "";
  const hint = suggestion(ref, slugs) || create;
  throw new CliUsageError(`there is no worker ${ref} in ${where}${hint}`);
}

/**
 * The ID to store for a saved call's `--worker REF` (Invocation, Trigger): the worker in the
 * entity's Space, else the one of that slug or ID anywhere in the organization (a worker in a
 * Space of its own can serve every Space). The empty string is the built-ins (the nil UUID).
 */
export async function savedCallWorkerId(
  client: ConfnClient,
  space: SelectedSpace | undefined,
  ref: string,
): Promise<string> {
  if (ref === "") return NIL_UUID;
  const inSpace = space ? await findWorker(client, space, ref) : undefined;
  if (inSpace) return inSpace.worker.BridgeWorkerID;
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
  return (matches[0] ?? (await requireWorker(client, undefined, ref))).worker.BridgeWorkerID;
}

/** The workers of the organization that registered `functionName` for `toolchain`. */
export async function workersOffering(
  client: ConfnClient,
  toolchain: string,
  functionName: string,
): Promise<ListedWorker[]> {
  const all = await listWorkers(client, undefined);
  return all.filter(
    ({ worker }) =>
      worker.ProvidedInfo?.FunctionWorkerInfo?.SupportedFunctions?.[toolchain]?.[functionName] !== undefined,
  );
}

/**
 * When bridge workers of the organization offer `functionName` (a function the built-ins lack):
 * a line naming them and the flag that names one, to append to the "does not exist" message; else
 * "". A worker's function runs only where a call names its worker, so this is the mistake of
 * someone who forgot --worker. The hint is a courtesy: if the list cannot be read, there is none.
 */
export async function workerOfferHint(
  client: ConfnClient,
  toolchain: string,
  functionName: string,
): Promise<string> {
  let offering: ListedWorker[];
  try {
    offering = await workersOffering(client, toolchain, functionName);
  } catch {
    return "";
  }
  if (offering.length === 0) return "";
  const named = offering
    .slice(0, 3)
    .map(({ worker, spaceSlug }) => `${worker.Slug} (space ${spaceSlug ?? worker.SpaceID})`)
    .join(", ");
  const others = offering.length > 3 ? " and others" : "";
  return `\n(${functionName} is a bridge worker's function, offered by ${named}${others}: name the worker with --worker ${offering[0]!.worker.Slug})`;
}

/** A server's 400 saying one of `functionNames` does not exist, with workerOfferHint's line; anything else unchanged. */
export async function withWorkerOfferHint(
  error: unknown,
  client: ConfnClient,
  toolchain: string,
  functionNames: readonly string[],
): Promise<unknown> {
  if (!(error instanceof RemoteError) || error.code !== "BAD_REQUEST") return error;
  const name = functionNames.find((n) =>
    error.message.includes(`function ${n} does not exist for toolchain`),
  );
  const hint = name === undefined ? "" : await workerOfferHint(client, toolchain, name);
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

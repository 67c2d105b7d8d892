// `confn worker list|get|create|rotate-secret` texts: a table of workers, one worker's details with
// its functions, and the environment a worker process needs (ConfigHub's variable names), printed
// when a secret is issued so it can go straight into a file.
import type { FunctionSignature } from "../../engine/index.ts";
import type { ListedWorker, WireWorker } from "../remote/bridge-workers.ts";
import { when } from "../remote/entity-kinds.ts";
import { shownSignature } from "./function-listing.ts";
import { formatTable } from "./table.ts";

/** The worker's functions as `toolchain/name` → signature, sorted. */
function functionsOf(worker: WireWorker): [string, string, FunctionSignature][] {
  const byToolchain = worker.ProvidedInfo?.FunctionWorkerInfo?.SupportedFunctions ?? {};
  const rows: [string, string, FunctionSignature][] = [];
  for (const [toolchain, functions] of Object.entries(byToolchain)) {
    for (const [name, signature] of Object.entries(functions ?? {})) rows.push([toolchain, name, signature]);
  }
  return rows.sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1));
}

export function formatWorkerList(workers: readonly ListedWorker[]): string {
  if (workers.length === 0) return "no workers\n";
  const rows = [["SPACE", "SLUG", "CONDITION", "LAST-SEEN", "FUNCTIONS", "ID"]];
  const sorted = [...workers].sort((a, b) =>
    `${a.spaceSlug}/${a.worker.Slug}` < `${b.spaceSlug}/${b.worker.Slug}` ? -1 : 1,
  );
  for (const { worker, spaceSlug } of sorted) {
    rows.push([
      spaceSlug ?? worker.SpaceID,
      worker.Slug,
      worker.Condition || "-",
      worker.LastSeenAt ? when(worker.LastSeenAt) : "never",
      String(functionsOf(worker).length),
      worker.BridgeWorkerID,
    ]);
  }
  // As the other entity lists: two spaces between columns, times to the minute (get shows the exact one).
  return formatTable(rows, 2);
}

export function formatWorkerDetails({ worker, spaceSlug }: ListedWorker): string {
  const lines = formatTable([
    ["Slug", worker.Slug],
    ["BridgeWorkerID", worker.BridgeWorkerID],
    ["Space", spaceSlug ?? worker.SpaceID],
    ["Condition", worker.Condition || "-"],
    ["LastSeenAt", worker.LastSeenAt ?? "never"],
    ["LastMessage", worker.LastMessage || "-"],
    ["IPAddress", worker.IPAddress || "-"],
  ]);
  const functions = functionsOf(worker);
  if (functions.length === 0) {
    return `${lines}\nno functions registered (the worker has not connected yet)\n`;
  }
  const table = formatTable([
    ["TOOLCHAIN", "FUNCTION", "MUTATING", "VALIDATING", "DESCRIPTION"],
    ...functions.map(([toolchain, name, s]) => [
      toolchain,
      name,
      String(s.Mutating),
      String(s.Validating),
      shownSignature(s).Description,
    ]),
  ]);
  return `${lines}\n${table}`;
}

/** `KEY=value` lines a worker process reads (its secret included): for a file or `export`. */
export function formatWorkerEnvironment(serverUrl: string, worker: WireWorker): string {
  return [
    `CONFIGHUB_URL=${serverUrl}`,
    `CONFIGHUB_WORKER_ID=${worker.BridgeWorkerID}`,
    `CONFIGHUB_WORKER_SECRET=${worker.Secret ?? ""}`,
    "",
  ].join("\n");
}

// Where a worker connects and who it is: the server URL, the BridgeWorker's ID and secret, read from
// the environment under ConfigHub's names (CONFIGHUB_URL, CONFIGHUB_WORKER_ID, CONFIGHUB_WORKER_SECRET,
// CONFIGHUB_WORKER_PORT) or confn's (CONFN_URL, CONFN_WORKER_ID, CONFN_WORKER_SECRET), and checked
// before the first connection so a typo is one clear error, not a reconnect loop.
import { WorkerError } from "./worker-error.ts";

export interface WorkerSettings {
  /** The server's base URL, e.g. http://127.0.0.1:7878 (the API is under /api). */
  readonly url: string;
  /** The BridgeWorker's ID (a UUID). */
  readonly workerId: string;
  /** The BridgeWorker's secret, as create or rotate-secret printed it. */
  readonly secret: string;
  /** The worker port, when it should not be read from the server's /api/info. */
  readonly workerPort?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** ConfigHub's Go client refuses shorter secrets. */
const MIN_SECRET_LENGTH = 8;

/**
 * The settings: each one given in `given`, or else read from `env` (ConfigHub's names first, then
 * confn's). Throws WORKER_CONFIG naming the variables when one is missing or malformed.
 */
export function workerSettingsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  given: Partial<WorkerSettings> = {},
): WorkerSettings {
  const read = (names: readonly string[]): { name: string; value: string } | undefined => {
    for (const name of names) {
      const value = env[name]?.trim();
      if (value) return { name, value };
    }
    return undefined;
  };
  const setting = (value: string | undefined, option: string, names: readonly string[]) => {
    if (value !== undefined) return { name: option, value };
    const found = read(names);
    if (!found) throw new WorkerError("WORKER_CONFIG", `set ${names.join(" or ")}`);
    return found;
  };
  const url = setting(given.url, "url", ["CONFIGHUB_URL", "CONFN_URL"]);
  const id = setting(given.workerId, "workerId", ["CONFIGHUB_WORKER_ID", "CONFN_WORKER_ID"]);
  const secret = setting(given.secret, "secret", ["CONFIGHUB_WORKER_SECRET", "CONFN_WORKER_SECRET"]);
  // Only ConfigHub's name: the server's CONFN_WORKER_PORT is the port it listens on, which a worker
  // elsewhere must not take for the port to connect to.
  const port = read(["CONFIGHUB_WORKER_PORT"]);
  const workerPort = given.workerPort ?? (port ? parsePort(port.value, port.name) : undefined);
  return checkWorkerSettings(
    {
      url: url.value,
      workerId: id.value,
      secret: secret.value,
      ...(workerPort === undefined ? {} : { workerPort }),
    },
    { url: url.name, workerId: id.name, secret: secret.name },
  );
}

/** Refuses a secret no server issues (ConfigHub's client refuses it too); `name` says where it came from. */
export function checkWorkerSecret(secret: string, name: string): void {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new WorkerError(
      "WORKER_CONFIG",
      `${name}: a worker secret has at least ${MIN_SECRET_LENGTH} characters; this one has ${secret.length}`,
    );
  }
}

/** Checks settings given in code or read from the environment; `names` says what to call each in messages. */
export function checkWorkerSettings(
  settings: WorkerSettings,
  names: { url: string; workerId: string; secret: string } = {
    url: "url",
    workerId: "workerId",
    secret: "secret",
  },
): WorkerSettings {
  let url: URL;
  try {
    url = new URL(settings.url);
  } catch {
    throw new WorkerError(
      "WORKER_CONFIG",
      `${names.url} ${settings.url}: not a URL (expected e.g. http://127.0.0.1:7878)`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new WorkerError(
      "WORKER_CONFIG",
      `${names.url} ${settings.url}: expected an http:// or https:// URL`,
    );
  }
  if (!UUID.test(settings.workerId)) {
    throw new WorkerError(
      "WORKER_CONFIG",
      `${names.workerId} ${settings.workerId}: expected the worker's BridgeWorkerID (a UUID), not its slug`,
    );
  }
  checkWorkerSecret(settings.secret, names.secret);
  if (settings.workerPort !== undefined) parsePort(String(settings.workerPort), "workerPort");
  return { ...settings, url: url.href.replace(/\/+$/, "") };
}

/** A TCP port, 1-65535, from a string or number (ConfigHub's /api/info sends WorkerPort as a string). */
export function parsePort(value: string, name: string): number {
  const port = /^\d{1,5}$/.test(value.trim()) ? Number(value) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new WorkerError("WORKER_CONFIG", `${name} ${value}: expected a port number between 1 and 65535`);
  }
  return port;
}

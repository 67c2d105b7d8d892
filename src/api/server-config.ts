// The server's settings, from the environment (and `confn serve` flags, which override it).
// A malformed value is a ServerConfigError naming the variable, never a silent default.
import { dirname, resolve } from "node:path";
import { defaultEngineThreads } from "../invoke/index.ts";
import { MEMORY_DATA_DIR, databaseConfigFromEnv, type DatabaseConfig } from "../store/index.ts";
import { DEFAULT_BODY_LIMIT } from "./app.ts";

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 7878;
/** How long shutdown waits for in-flight requests before closing their connections. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly bodyLimit: number;
  readonly logLevel: LogLevel;
  /** Shutdown waits this long for in-flight requests, then closes their connections. */
  readonly shutdownTimeoutMs: number;
  readonly database: DatabaseConfig;
  /** Where the first start writes the admin token; undefined: print it only (in-memory database). */
  readonly adminTokenFile: string | undefined;
  readonly worker: WorkerPortConfig;
  /**
   * CONFN_ENGINE_THREADS: engine threads for large calls that write nothing (issue 17); 0 or 1 runs
   * every Unit on the main thread. Default: the cores the process may use.
   */
  readonly engineThreads: number;
}

/** The most engine threads CONFN_ENGINE_THREADS may ask for. */
export const MAX_ENGINE_THREADS = 256;

/** The bridge worker port and the limits of worker dispatch (docs/bridge-workers.md). */
export interface WorkerPortConfig {
  /**
   * CONFN_WORKER_PORT; 0 picks a free port (GET /api/info tells workers which). Unset: the API's
   * port + 1 (7879 by default), or a free port when the API's port is 0 (see workerPortFor).
   */
  readonly port: number | undefined;
  /** CONFN_WORKER_TLS_CERT and CONFN_WORKER_TLS_KEY (PEM files): TLS with ALPN h2; cleartext h2c without. */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  /** CONFN_WORKER_HEARTBEAT_INTERVAL, milliseconds between heartbeats on each worker stream. */
  readonly heartbeatIntervalMs: number;
  /** CONFN_WORKER_TIMEOUT, milliseconds an invocation waits for a worker's result. */
  readonly invokeTimeoutMs: number;
  /** CONFN_WORKER_MAX_OUTSTANDING, operations in flight per worker before a call is refused (429). */
  readonly maxOutstanding: number;
}

export class ServerConfigError extends Error {
  override readonly name = "ServerConfigError";
}

export function serverConfigFromEnv(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ServerConfig {
  const database = databaseConfigFromEnv(env, cwd);
  return {
    host: env.HOST?.trim() || DEFAULT_HOST,
    port: env.PORT?.trim() ? parsePort(env.PORT, "PORT") : DEFAULT_PORT,
    bodyLimit: env.CONFN_BODY_LIMIT?.trim() ? parseBodyLimit(env.CONFN_BODY_LIMIT) : DEFAULT_BODY_LIMIT,
    logLevel: env.CONFN_LOG_LEVEL?.trim() ? parseLogLevel(env.CONFN_LOG_LEVEL) : "info",
    shutdownTimeoutMs: env.CONFN_SHUTDOWN_TIMEOUT?.trim()
      ? parseShutdownTimeout(env.CONFN_SHUTDOWN_TIMEOUT)
      : DEFAULT_SHUTDOWN_TIMEOUT_MS,
    database,
    adminTokenFile: adminTokenFile(env, cwd, database),
    worker: workerPortConfig(env, cwd),
    engineThreads: env.CONFN_ENGINE_THREADS?.trim()
      ? parseEngineThreads(env.CONFN_ENGINE_THREADS)
      : defaultEngineThreads(),
  };
}

function parseEngineThreads(text: string): number {
  const threads = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || threads > MAX_ENGINE_THREADS) {
    throw new ServerConfigError(
      `CONFN_ENGINE_THREADS must be a whole number from 0 to ${MAX_ENGINE_THREADS} (0 or 1: no engine threads), got '${text}'`,
    );
  }
  return threads;
}

/** The worker port to listen on: the configured one, else the API's port + 1 (a free one for port 0). */
export function workerPortFor(config: Pick<ServerConfig, "port" | "worker">): number {
  if (config.worker.port !== undefined) return config.worker.port;
  if (config.port === 0) return 0;
  if (config.port === 65535)
    throw new ServerConfigError("PORT 65535 leaves no port + 1 for the worker port: set CONFN_WORKER_PORT");
  return config.port + 1;
}

function workerPortConfig(env: NodeJS.ProcessEnv, cwd: string): WorkerPortConfig {
  const cert = env.CONFN_WORKER_TLS_CERT?.trim();
  const key = env.CONFN_WORKER_TLS_KEY?.trim();
  if (Boolean(cert) !== Boolean(key)) {
    throw new ServerConfigError(
      "CONFN_WORKER_TLS_CERT and CONFN_WORKER_TLS_KEY go together: set both (PEM files) for TLS, or neither for cleartext h2c",
    );
  }
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const text = env[name]?.trim();
    if (!text) return fallback;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      throw new ServerConfigError(`${name} must be a whole number from ${min} to ${max}, got '${env[name]}'`);
    }
    return value;
  };
  return {
    port: env.CONFN_WORKER_PORT?.trim() ? parsePort(env.CONFN_WORKER_PORT, "CONFN_WORKER_PORT") : undefined,
    tls: cert && key ? { certFile: resolve(cwd, cert), keyFile: resolve(cwd, key) } : undefined,
    heartbeatIntervalMs: number("CONFN_WORKER_HEARTBEAT_INTERVAL", 30_000, 10, 600_000),
    invokeTimeoutMs: number("CONFN_WORKER_TIMEOUT", 30_000, 1, 3_600_000),
    maxOutstanding: number("CONFN_WORKER_MAX_OUTSTANDING", 256, 1, 100_000),
  };
}

/**
 * Beside the data directory (`.confn/admin-token` for the default `.confn/data`); `.confn/` of
 * the working directory with DATABASE_URL; CONFN_ADMIN_TOKEN_FILE overrides both. An in-memory
 * database writes no file unless CONFN_ADMIN_TOKEN_FILE asks: its token dies with the process,
 * and it must not overwrite the token of a persisted database.
 */
function adminTokenFile(env: NodeJS.ProcessEnv, cwd: string, database: DatabaseConfig): string | undefined {
  const explicit = env.CONFN_ADMIN_TOKEN_FILE?.trim();
  if (explicit) return resolve(cwd, explicit);
  if (database.kind === "postgres") return resolve(cwd, ".confn", "admin-token");
  if (database.dataDir === MEMORY_DATA_DIR) return undefined;
  return resolve(dirname(database.dataDir), "admin-token");
}

export function parsePort(text: string, name: string): number {
  const port = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || port > 65535) {
    throw new ServerConfigError(`${name} must be a port number from 0 to 65535, got '${text}'`);
  }
  return port;
}

function parseBodyLimit(text: string): number {
  const limit = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(limit) || limit < 1024) {
    throw new ServerConfigError(`CONFN_BODY_LIMIT must be a number of bytes of at least 1024, got '${text}'`);
  }
  return limit;
}

function parseShutdownTimeout(text: string): number {
  const ms = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(ms) || ms > 3_600_000) {
    throw new ServerConfigError(
      `CONFN_SHUTDOWN_TIMEOUT must be a number of milliseconds from 0 to 3600000, got '${text}'`,
    );
  }
  return ms;
}

function parseLogLevel(text: string): LogLevel {
  const level = text.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ServerConfigError(`CONFN_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got '${text}'`);
  }
  return level as LogLevel;
}

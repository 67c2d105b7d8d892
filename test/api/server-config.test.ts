import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { DEFAULT_BODY_LIMIT } from "../../src/api/app.ts";
import { ServerConfigError, serverConfigFromEnv, workerPortFor } from "../../src/api/server-config.ts";

const cwd = "/srv/confn";

describe("serverConfigFromEnv", () => {
  it("defaults: 127.0.0.1:7878, PGlite in .confn/data, admin token beside it, bodies that fit 16 MiB of Unit data", () => {
    expect(serverConfigFromEnv({}, cwd)).toEqual({
      host: "127.0.0.1",
      port: 7878,
      bodyLimit: DEFAULT_BODY_LIMIT,
      logLevel: "info",
      shutdownTimeoutMs: 10_000,
      database: { kind: "pglite", dataDir: "/srv/confn/.confn/data" },
      adminTokenFile: "/srv/confn/.confn/admin-token",
      worker: {
        port: undefined,
        tls: undefined,
        heartbeatIntervalMs: 30_000,
        invokeTimeoutMs: 30_000,
        maxOutstanding: 256,
      },
      // One engine thread per core the process may use.
      engineThreads: availableParallelism(),
    });
    // Base64 of 16 MiB (22,369,624 characters) plus 1 MiB for the rest of the request.
    expect(DEFAULT_BODY_LIMIT).toBe(22_369_624 + 1_048_576);
  });

  it("reads HOST, PORT, CONFN_DATA_DIR, CONFN_BODY_LIMIT, CONFN_LOG_LEVEL, CONFN_SHUTDOWN_TIMEOUT and CONFN_ADMIN_TOKEN_FILE", () => {
    const config = serverConfigFromEnv(
      {
        HOST: "0.0.0.0",
        PORT: "8080",
        CONFN_DATA_DIR: "var/db",
        CONFN_BODY_LIMIT: "1048576",
        CONFN_LOG_LEVEL: "WARN",
        CONFN_SHUTDOWN_TIMEOUT: "2500",
        CONFN_ADMIN_TOKEN_FILE: "/run/secrets/confn-admin",
      },
      cwd,
    );
    expect(config).toMatchObject({
      host: "0.0.0.0",
      port: 8080,
      bodyLimit: 1048576,
      logLevel: "warn",
      shutdownTimeoutMs: 2500,
      database: { kind: "pglite", dataDir: "/srv/confn/var/db" },
      adminTokenFile: "/run/secrets/confn-admin",
    });
  });

  it("reads the worker port's settings, and refuses half a TLS configuration or a bad number", () => {
    const config = serverConfigFromEnv(
      {
        CONFN_WORKER_PORT: "0",
        CONFN_WORKER_TLS_CERT: "tls/cert.pem",
        CONFN_WORKER_TLS_KEY: "/etc/confn/key.pem",
        CONFN_WORKER_HEARTBEAT_INTERVAL: "5000",
        CONFN_WORKER_TIMEOUT: "120000",
        CONFN_WORKER_MAX_OUTSTANDING: "16",
      },
      cwd,
    );
    expect(config.worker).toEqual({
      port: 0,
      tls: { certFile: "/srv/confn/tls/cert.pem", keyFile: "/etc/confn/key.pem" },
      heartbeatIntervalMs: 5000,
      invokeTimeoutMs: 120_000,
      maxOutstanding: 16,
    });
    expect(() => serverConfigFromEnv({ CONFN_WORKER_TLS_CERT: "cert.pem" }, cwd)).toThrow(
      /CONFN_WORKER_TLS_CERT and CONFN_WORKER_TLS_KEY go together/,
    );
    expect(() => serverConfigFromEnv({ CONFN_WORKER_TIMEOUT: "soon" }, cwd)).toThrow(
      "CONFN_WORKER_TIMEOUT must be a whole number from 1 to 3600000, got 'soon'",
    );
    expect(() => serverConfigFromEnv({ CONFN_WORKER_PORT: "70000" }, cwd)).toThrow(ServerConfigError);
  });

  it("reads CONFN_ENGINE_THREADS (0 and 1: none), and refuses what is not a thread count", () => {
    expect(serverConfigFromEnv({ CONFN_ENGINE_THREADS: "4" }, cwd).engineThreads).toBe(4);
    expect(serverConfigFromEnv({ CONFN_ENGINE_THREADS: "0" }, cwd).engineThreads).toBe(0);
    for (const bad of ["two", "-1", "1.5", "257"]) {
      expect(() => serverConfigFromEnv({ CONFN_ENGINE_THREADS: bad }, cwd)).toThrow(
        `CONFN_ENGINE_THREADS must be a whole number from 0 to 256 (0 or 1: no engine threads), got '${bad}'`,
      );
    }
  });

  it("puts the worker port beside the API's unless told otherwise", () => {
    expect(workerPortFor(serverConfigFromEnv({}, cwd))).toBe(7879);
    expect(workerPortFor(serverConfigFromEnv({ PORT: "9000" }, cwd))).toBe(9001);
    // Tests and ad-hoc servers on a free port get a free worker port too, never a fixed one.
    expect(workerPortFor(serverConfigFromEnv({ PORT: "0" }, cwd))).toBe(0);
    expect(workerPortFor(serverConfigFromEnv({ PORT: "9000", CONFN_WORKER_PORT: "9443" }, cwd))).toBe(9443);
  });

  it("puts the admin token beside a custom data directory", () => {
    expect(serverConfigFromEnv({ CONFN_DATA_DIR: "/data/confn/db" }, cwd).adminTokenFile).toBe(
      "/data/confn/admin-token",
    );
  });

  it("uses PostgreSQL when DATABASE_URL is set, with the token in ./.confn", () => {
    const config = serverConfigFromEnv({ DATABASE_URL: "postgres://u:p@db:5432/confn" }, cwd);
    expect(config.database).toEqual({ kind: "postgres", url: "postgres://u:p@db:5432/confn" });
    expect(config.adminTokenFile).toBe("/srv/confn/.confn/admin-token");
  });

  it("keeps an in-memory database's token off disk unless asked", () => {
    expect(serverConfigFromEnv({ CONFN_DATA_DIR: "memory://" }, cwd)).toMatchObject({
      database: { kind: "pglite", dataDir: "memory://" },
      adminTokenFile: undefined,
    });
    expect(
      serverConfigFromEnv({ CONFN_DATA_DIR: "memory://", CONFN_ADMIN_TOKEN_FILE: "t" }, cwd).adminTokenFile,
    ).toBe("/srv/confn/t");
  });

  it.each([
    [{ PORT: "http" }, "PORT must be a port number from 0 to 65535, got 'http'"],
    [{ PORT: "70000" }, "PORT must be a port number from 0 to 65535, got '70000'"],
    [{ PORT: "-1" }, "PORT must be a port number from 0 to 65535, got '-1'"],
    [
      { CONFN_BODY_LIMIT: "64MiB" },
      "CONFN_BODY_LIMIT must be a number of bytes of at least 1024, got '64MiB'",
    ],
    [{ CONFN_BODY_LIMIT: "10" }, "CONFN_BODY_LIMIT must be a number of bytes of at least 1024, got '10'"],
    [
      { CONFN_SHUTDOWN_TIMEOUT: "10s" },
      "CONFN_SHUTDOWN_TIMEOUT must be a number of milliseconds from 0 to 3600000, got '10s'",
    ],
    [
      { CONFN_LOG_LEVEL: "loud" },
      "CONFN_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got 'loud'",
    ],
  ])("rejects %j", (env, message) => {
    expect(() => serverConfigFromEnv(env, cwd)).toThrow(new ServerConfigError(message));
  });
});

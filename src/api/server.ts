// Starting and stopping the confn server: open the database, apply migrations, create the default
// organization on first start (its admin token reported once), build the app and listen. close()
// stops accepting connections, lets in-flight requests finish — for at most the shutdown timeout,
// then closes their connections — and closes the database.
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { ReplicatedWorkerExecutor, WorkerConnections } from "../invoke/index.ts";
import {
  bootstrapDefaultOrganization,
  openDatabase,
  type Database,
  migrateToLatest,
  startStatisticsUpkeep,
  startUnitDataJsonBackfill,
  type Backfill,
  type StatisticsUpkeep,
} from "../store/index.ts";
import { writeAdminTokenFile } from "./admin-token-file.ts";
import { buildApp } from "./app.ts";
import { ServerConfigError, workerPortFor, type ServerConfig } from "./server-config.ts";
import { buildWorkerPort } from "./worker-port.ts";

export interface FirstStart {
  readonly organizationSlug: string;
  readonly adminToken: string;
  /** Where the token was also written, if anywhere. */
  readonly adminTokenFile: string | undefined;
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly database: Database;
  /** e.g. http://127.0.0.1:7878 */
  readonly url: string;
  /** The bridge worker port (HTTP/2), e.g. http://127.0.0.1:7879 (https with TLS). */
  readonly workerUrl: string;
  /** The HTTP/2 instance serving the worker port. */
  readonly workerApp: FastifyInstance;
  /** Set on the first start of an empty database only. */
  readonly firstStart: FirstStart | undefined;
  close(): Promise<Shutdown>;
}

export interface Shutdown {
  /** In-flight requests outlived the shutdown timeout and their connections were closed. */
  readonly forced: boolean;
}

/** After the forced close, how long the app's close hooks and the database close may take. */
const CLOSE_AFTER_FORCE_MS = 5_000;

export interface StartOptions {
  /** Called on the first start of an empty database, before the server logs or listens. */
  readonly onFirstStart?: (firstStart: FirstStart) => void;
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const tls = config.worker.tls && {
    cert: readPem(config.worker.tls.certFile, "CONFN_WORKER_TLS_CERT"),
    key: readPem(config.worker.tls.keyFile, "CONFN_WORKER_TLS_KEY"),
  };
  const database = await openDatabase(config.database);
  let app: FastifyInstance | undefined;
  let workerApp: FastifyInstance | undefined;
  let replicated: ReplicatedWorkerExecutor | undefined;
  let backfill: Backfill | undefined;
  let statistics: StatisticsUpkeep | undefined;
  try {
    await migrateToLatest(database);
    const bootstrapped = await bootstrapDefaultOrganization(database.db);
    let firstStart: FirstStart | undefined;
    if (bootstrapped) {
      if (config.adminTokenFile) writeAdminTokenFile(config.adminTokenFile, bootstrapped.adminToken);
      firstStart = {
        organizationSlug: bootstrapped.organization.slug,
        adminToken: bootstrapped.adminToken,
        adminTokenFile: config.adminTokenFile,
      };
      options.onFirstStart?.(firstStart);
    }
    const workerConnections = new WorkerConnections(
      database.db,
      {
        heartbeatIntervalMs: config.worker.heartbeatIntervalMs,
        invokeTimeoutMs: config.worker.invokeTimeoutMs,
        maxOutstandingPerWorker: config.worker.maxOutstanding,
      },
      (error, context) => workerApp?.log.error({ err: error }, context),
    );
    workerApp = await buildWorkerPort({
      db: database.db,
      workerConnections,
      bodyLimit: config.bodyLimit,
      logger: { level: config.logLevel },
      ...(tls ? { tls } : {}),
    });
    // PostgreSQL may be shared by several replicas: a worker held by another one is reached through
    // queued operations and LISTEN/NOTIFY. The embedded database has one process: memory only.
    if (database.dialect === "postgres") {
      replicated = await ReplicatedWorkerExecutor.start(database, workerConnections, (error, context) =>
        workerApp?.log.error({ err: error }, context),
      );
    }
    await workerApp.listen({ host: config.host, port: workerPortFor(config) });
    const workerPort = listeningPort(workerApp);
    app = await buildApp({
      db: database.db,
      bodyLimit: config.bodyLimit,
      logger: { level: config.logLevel },
      workerConnections,
      ...(replicated ? { workerExecutor: replicated } : {}),
      workerPort,
      engineThreads: { threads: config.engineThreads },
    });
    await app.listen({ host: config.host, port: config.port });
    const port = listeningPort(app);
    // Units stored before where_data's pre-filter copy existed get it in the background.
    const log = app.log;
    backfill = startUnitDataJsonBackfill(database.db, (error) =>
      log.error(
        { err: error },
        "filling units.data_json for older Units failed; where_data still checks them exactly",
      ),
    );
    // PGlite has no autovacuum: the server keeps the planner's statistics fresh itself.
    if (database.dialect === "pglite") {
      statistics = startStatisticsUpkeep(database.db, (error) =>
        log.warn({ err: error }, "refreshing the embedded database's planner statistics failed"),
      );
    }
    const runningBackfill = backfill;
    const runningStatistics = statistics;
    const host = config.host.includes(":") ? `[${config.host}]` : config.host;
    const running = app;
    const runningWorkerPort = workerApp;
    const runningReplicated = replicated;
    let closing: Promise<Shutdown> | undefined;
    return {
      app: running,
      database,
      url: `http://${host}:${port}`,
      workerUrl: `${tls ? "https" : "http"}://${host}:${workerPort}`,
      workerApp,
      firstStart,
      close() {
        closing ??= (async () => {
          // Workers first: their streams end (pending operations fail at once), then the API drains.
          await settlesWithin(runningWorkerPort.close(), config.shutdownTimeoutMs).catch((error: unknown) =>
            running.log.warn({ err: error }, "shutdown: the worker port did not close cleanly"),
          );
          // No more operations from other replicas; those in hand have their outcomes written.
          await runningReplicated
            ?.close()
            .catch((error: unknown) =>
              running.log.warn({ err: error }, "shutdown: listening for other replicas did not stop cleanly"),
            );
          await runningBackfill.stop();
          await runningStatistics?.stop();
          const appClosed = running.close();
          let forced = false;
          try {
            if (!(await settlesWithin(appClosed, config.shutdownTimeoutMs))) {
              forced = true;
              running.log.warn(
                `shutdown: requests still in flight after ${config.shutdownTimeoutMs} ms ` +
                  `(CONFN_SHUTDOWN_TIMEOUT); closing their connections`,
              );
              running.server.closeAllConnections();
              await settlesWithin(appClosed, CLOSE_AFTER_FORCE_MS);
            }
          } finally {
            // The worker port's close ended the streams and wrote their disconnects; a stream whose
            // close arrived during the API's drain has its write waited for here, before the pool ends.
            if (!(await settlesWithin(workerConnections.close(), CLOSE_AFTER_FORCE_MS))) {
              running.log.warn("shutdown: bridge worker disconnects were not recorded in time");
            }
            // A request stuck on a database connection would keep the pool from ending: bounded too.
            const closed = database.close();
            if (!(await settlesWithin(closed, forced ? CLOSE_AFTER_FORCE_MS : Infinity))) {
              running.log.warn("shutdown: the database did not close in time; leaving it to the exit");
            }
          }
          return { forced };
        })();
        return closing;
      },
    };
  } catch (error) {
    await backfill?.stop();
    await statistics?.stop();
    await app?.close().catch(() => undefined);
    await workerApp?.close().catch(() => undefined);
    await replicated?.close().catch(() => undefined);
    await database.close();
    throw error;
  }
}

function listeningPort(app: FastifyInstance): number {
  const address = app.server.address();
  if (typeof address !== "object" || !address) throw new Error("the server is not listening on a TCP port");
  return address.port;
}

/** A PEM file of the worker port's TLS configuration, or a ServerConfigError naming the variable. */
function readPem(file: string, variable: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ServerConfigError(`${variable}: cannot read ${file}: ${(error as Error).message}`);
  }
}

/** Whether `promise` settles (either way) within `ms`; its rejection is rethrown. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  if (ms === Infinity) {
    await promise;
    return true;
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

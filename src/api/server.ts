// Starting and stopping the confn server: open the database, apply migrations, create the default
// organization on first start (its admin token reported once), build the app and listen. close()
// stops accepting connections, lets in-flight requests finish, then closes the database.
import type { FastifyInstance } from "fastify";
import {
  bootstrapDefaultOrganization,
  openDatabase,
  type Database,
  migrateToLatest,
} from "../store/index.ts";
import { writeAdminTokenFile } from "./admin-token-file.ts";
import { buildApp } from "./app.ts";
import type { ServerConfig } from "./server-config.ts";

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
  /** Set on the first start of an empty database only. */
  readonly firstStart: FirstStart | undefined;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Called on the first start of an empty database, before the server logs or listens. */
  readonly onFirstStart?: (firstStart: FirstStart) => void;
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const database = await openDatabase(config.database);
  let app: FastifyInstance | undefined;
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
    app = await buildApp({
      db: database.db,
      bodyLimit: config.bodyLimit,
      logger: { level: config.logLevel },
    });
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    const host = config.host.includes(":") ? `[${config.host}]` : config.host;
    const running = app;
    let closing: Promise<void> | undefined;
    return {
      app: running,
      database,
      url: `http://${host}:${port}`,
      firstStart,
      close() {
        closing ??= (async () => {
          try {
            await running.close();
          } finally {
            await database.close();
          }
        })();
        return closing;
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    await database.close();
    throw error;
  }
}

// `confn serve` (and `npm start`): runs the API server until SIGINT or SIGTERM, then shuts down
// gracefully (in-flight requests finish within CONFN_SHUTDOWN_TIMEOUT or lose their connections,
// the database closes; exit code 1 when requests had to be cut off). A second signal exits at once.
import type { Command } from "commander";
import { limitHeapGrowth } from "../../api/heap-growth.ts";
import { ServerConfigError, parsePort, serverConfigFromEnv } from "../../api/server-config.ts";
import { startServer, type FirstStart } from "../../api/server.ts";
import { CliUsageError, EXIT_FAILURE, action, reportCliError } from "../cli-error.ts";

export function register(program: Command): void {
  program
    .command("serve")
    .description("run the confn API server (configuration: HOST, PORT, DATABASE_URL, CONFN_* variables)")
    .option("--host <host>", "interface to listen on (default: $HOST or 127.0.0.1)")
    .option("--port <port>", "port to listen on (default: $PORT or 7878)")
    .option(
      "--worker-port <port>",
      "HTTP/2 port bridge workers connect to (default: $CONFN_WORKER_PORT, else the API port + 1; 0: a free port)",
    )
    .action(
      action(async (options: { host?: string; port?: string; workerPort?: string }) => {
        let config;
        try {
          const fromEnv = serverConfigFromEnv();
          config = {
            ...fromEnv,
            ...(options.host ? { host: options.host } : {}),
            ...(options.port !== undefined ? { port: parsePort(options.port, "--port") } : {}),
            ...(options.workerPort !== undefined
              ? { worker: { ...fromEnv.worker, port: parsePort(options.workerPort, "--worker-port") } }
              : {}),
          };
        } catch (error) {
          if (error instanceof ServerConfigError) throw new CliUsageError(error.message);
          throw error;
        }
        // Before the server allocates anything: its peak memory (heap-growth.ts).
        limitHeapGrowth();
        const server = await startServer(config, { onFirstStart: announceFirstStart });
        server.app.log.info(`confn listening on ${server.url} (${server.database.description})`);
        server.app.log.info(`bridge workers connect to ${server.workerUrl} (HTTP/2)`);

        let stopping = false;
        const stop = (signal: NodeJS.Signals) => {
          if (stopping) {
            server.app.log.warn(`${signal} again: exiting without waiting`);
            process.exit(EXIT_FAILURE);
          }
          stopping = true;
          server.app.log.info(
            `${signal}: finishing in-flight requests (at most ${config.shutdownTimeoutMs} ms), then closing the database`,
          );
          server.close().then(
            ({ forced }) => process.exit(forced ? EXIT_FAILURE : 0),
            (error: unknown) => process.exit(reportCliError(error)),
          );
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      }),
    );
}

function announceFirstStart({ organizationSlug, adminToken, adminTokenFile }: FirstStart): void {
  const where = adminTokenFile ? ` It is also in ${adminTokenFile} (mode 0600).` : "";
  process.stdout.write(
    `\nconfn: first start - created organization '${organizationSlug}' and its admin token.\n` +
      `This is the only time it is shown; only its hash is stored.${where}\n\n` +
      `    ${adminToken}\n\n`,
  );
}

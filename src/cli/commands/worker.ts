// `confn worker create|list|get|delete|rotate-secret` manage BridgeWorkers on a confn server;
// `confn worker run SLUG MODULE` serves a module's functions as that worker: it finds or creates the
// worker, obtains a secret (create shows one once; for an existing worker it rotates, unless
// CONFIGHUB_WORKER_SECRET holds one), connects with the worker SDK and runs until SIGTERM/SIGINT.
import type { Command } from "commander";
import {
  WorkerError,
  checkWorkerSecret,
  runWorker,
  workerFunctions,
  workerOrigin,
  type Worker,
} from "../../worker/index.ts";
import { CliUsageError } from "../cli-error.ts";
import { formatWorkerDetails, formatWorkerEnvironment, formatWorkerList } from "../output/worker-listing.ts";
import {
  callsNamingWorker,
  createWorker,
  deleteWorker,
  findWorker,
  listWorkers,
  requireWorker,
  rotateWorkerSecret,
  type ListedWorker,
} from "../remote/bridge-workers.ts";
import { ConfnClient } from "../remote/http-client.ts";
import { RemoteError } from "../remote/remote-error.ts";
import { resolveConnection, type ConnectionFlags } from "../remote/server-connection.ts";
import { isUuid, selectSpace, type SelectedSpace } from "../remote/space-selection.ts";
import { loadWorkerModule } from "../worker-module.ts";
import { addConnectionOptions, runCommand, type CommandIo, type CommandResult } from "../command-run.ts";

export interface WorkerFlags extends ConnectionFlags {
  space?: string;
  where?: string;
  json?: boolean;
}

export interface RunFlags extends ConnectionFlags {
  space?: string;
  concurrency?: string;
}

const processIo = (): CommandIo => ({
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
});

function client(flags: ConnectionFlags, io: CommandIo): ConfnClient {
  return new ConfnClient(resolveConnection(flags, io), io.fetch);
}

async function requiredSpace(
  c: ConfnClient,
  flags: { space?: string },
  action: string,
): Promise<SelectedSpace> {
  if (flags.space === undefined || flags.space === "*") {
    throw new CliUsageError(`name the worker's Space with --space SPACE to ${action}`);
  }
  return selectSpace(c, flags.space);
}

async function optionalSpace(c: ConfnClient, flags: { space?: string }): Promise<SelectedSpace | undefined> {
  return flags.space === undefined || flags.space === "*" ? undefined : selectSpace(c, flags.space);
}

export async function createWorkerCommand(
  slug: string,
  flags: WorkerFlags,
  io: CommandIo = processIo(),
): Promise<CommandResult> {
  const c = client(flags, io);
  const space = await requiredSpace(c, flags, "create a worker");
  const worker = await createWorker(c, space, slug);
  if (flags.json) return { text: `${JSON.stringify(worker, null, 2)}\n`, exitCode: 0 };
  io.stderr.write(
    `created worker ${slug} in space ${space.label}; its secret is shown only now ` +
      "(confn worker rotate-secret issues a new one):\n",
  );
  return { text: formatWorkerEnvironment(c.connection.baseUrl, worker), exitCode: 0 };
}

export async function listWorkersCommand(
  flags: WorkerFlags,
  io: CommandIo = processIo(),
): Promise<CommandResult> {
  const c = client(flags, io);
  const workers = await listWorkers(c, await optionalSpace(c, flags), flags.where);
  if (flags.json)
    return {
      text: `${JSON.stringify(
        workers.map((w) => w.worker),
        null,
        2,
      )}\n`,
      exitCode: 0,
    };
  return { text: formatWorkerList(workers), exitCode: 0 };
}

export async function getWorkerCommand(
  ref: string,
  flags: WorkerFlags,
  io: CommandIo = processIo(),
): Promise<CommandResult> {
  const c = client(flags, io);
  const found = await requireWorker(c, await optionalSpace(c, flags), ref);
  if (flags.json) return { text: `${JSON.stringify(found.worker, null, 2)}\n`, exitCode: 0 };
  return { text: formatWorkerDetails(found), exitCode: 0 };
}

export async function deleteWorkerCommand(
  ref: string,
  flags: WorkerFlags,
  io: CommandIo = processIo(),
): Promise<CommandResult> {
  const c = client(flags, io);
  const { worker, spaceSlug } = await requireWorker(c, await optionalSpace(c, flags), ref, false);
  await deleteWorker(c, worker);
  // Saved calls that still name it now fail closed (a Trigger blocks its Space's changes): say which.
  const orphaned = await callsNamingWorker(c, worker.BridgeWorkerID).catch(() => []);
  if (orphaned.length > 0) {
    const one = orphaned.length === 1;
    io.stderr.write(
      `warning: ${orphaned.join(", ")} still name${one ? "s" : ""} worker ${worker.Slug}: ` +
        `${one ? "it fails" : "they fail"} (and a Trigger blocks its Space's changes) until given ` +
        "another worker (--worker SLUG, or --worker '' for the built-ins) or deleted\n",
    );
  }
  return {
    text: `deleted worker ${worker.Slug} (${worker.BridgeWorkerID}) of space ${spaceSlug ?? worker.SpaceID}\n`,
    exitCode: 0,
  };
}

export async function rotateSecretCommand(
  ref: string,
  flags: WorkerFlags,
  io: CommandIo = processIo(),
): Promise<CommandResult> {
  const c = client(flags, io);
  const { worker } = await requireWorker(c, await optionalSpace(c, flags), ref);
  const rotated = await rotateWorkerSecret(c, worker);
  if (flags.json) return { text: `${JSON.stringify(rotated, null, 2)}\n`, exitCode: 0 };
  io.stderr.write(
    `rotated the secret of worker ${worker.Slug}: the old one no longer works and its connections are ` +
      "closed; the new one is shown only now:\n",
  );
  return { text: formatWorkerEnvironment(c.connection.baseUrl, rotated), exitCode: 0 };
}

function concurrencyOf(flags: RunFlags): number | undefined {
  if (flags.concurrency === undefined) return undefined;
  const n = Number(flags.concurrency);
  if (!Number.isInteger(n) || n < 1 || n > 1024) {
    throw new CliUsageError(`--concurrency ${flags.concurrency}: expected a whole number from 1 to 1024`);
  }
  return n;
}

/** The worker to run as and a secret for it: found or created, the secret given, created or rotated. */
async function workerToRun(
  c: ConfnClient,
  space: SelectedSpace,
  ref: string,
  io: CommandIo,
): Promise<{ id: string; slug: string; secret: string }> {
  const givenIn = ["CONFIGHUB_WORKER_SECRET", "CONFN_WORKER_SECRET"].find((name) => nonEmpty(io.env[name]));
  const given = givenIn === undefined ? undefined : nonEmpty(io.env[givenIn]);
  // Told before anything is looked up, and by the variable's name.
  if (givenIn !== undefined && given !== undefined) checkWorkerSecret(given, givenIn);
  const found: ListedWorker | undefined = await findWorker(c, space, ref);
  if (!found) {
    if (isUuid(ref)) throw new CliUsageError(`there is no worker ${ref} in space ${space.label}`);
    const created = await createWorker(c, space, ref);
    io.stderr.write(`created worker ${ref} in space ${space.label}\n`);
    return { id: created.BridgeWorkerID, slug: created.Slug, secret: secretOf(created.Secret, ref) };
  }
  const { worker } = found;
  if (given !== undefined) {
    return { id: worker.BridgeWorkerID, slug: worker.Slug, secret: given };
  }
  const rotated = await rotateWorkerSecret(c, worker);
  io.stderr.write(
    `rotated the secret of worker ${worker.Slug} to connect (a secret is shown only once; set ` +
      "CONFIGHUB_WORKER_SECRET to reuse one instead)\n",
  );
  return { id: worker.BridgeWorkerID, slug: worker.Slug, secret: secretOf(rotated.Secret, ref) };
}

function secretOf(secret: string | undefined, ref: string): string {
  if (!secret) {
    throw new RemoteError("BAD_RESPONSE", `worker ${ref}: the server's answer carries no Secret`);
  }
  return secret;
}

export interface RunIo extends CommandIo {
  /** Stop on SIGTERM and SIGINT. Default true; tests stop the worker themselves. */
  readonly handleSignals?: boolean;
  readonly onWorker?: (worker: Worker) => void;
}

/** Runs until stopped; returns the exit code (0 after a clean stop). */
export async function runWorkerCommand(
  ref: string,
  modulePath: string,
  flags: RunFlags,
  io: RunIo = processIo(),
): Promise<0 | 1 | 2> {
  try {
    const concurrency = concurrencyOf(flags);
    const c = client(flags, io);
    // The module first, its definitions checked as the worker will: a broken module creates
    // nothing and rotates no secret (so a worker already serving with it keeps running).
    const functions = await loadWorkerModule(modulePath, io.cwd);
    workerFunctions(functions);
    const space = await requiredSpace(c, flags, "run a worker");
    // A server that takes no workers is told before a secret is created or rotated for nothing.
    if (nonEmpty(io.env.CONFIGHUB_WORKER_PORT) === undefined) {
      await workerOrigin({ url: c.connection.baseUrl }, c.connection.timeoutMs, io.fetch);
    }
    const { id, slug, secret } = await workerToRun(c, space, ref, io);
    io.stderr.write(`serving ${modulePath} as worker ${slug} (${id}) of space ${space.label}\n`);
    await runWorker({
      functions,
      url: c.connection.baseUrl,
      workerId: id,
      secret,
      env: io.env,
      handleSignals: io.handleSignals ?? true,
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(io.onWorker ? { onWorker: io.onWorker } : {}),
      // A fatal error ends the command with its message below; do not print it twice.
      log: (level, message) => {
        if (level !== "error") io.stderr.write(`${new Date().toISOString()} ${message}\n`);
      },
    });
    io.stderr.write(`worker ${slug} stopped\n`);
    return 0;
  } catch (error) {
    if (error instanceof WorkerError) {
      io.stderr.write(`confn: ${error.message}\n`);
      return error.code === "WORKER_CONFIG" ? 2 : 1;
    }
    return runCommand(() => Promise.reject(error), io);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

export function register(program: Command): void {
  const worker = program
    .command("worker")
    .description("manage bridge workers on a confn server, and run one from a module of functions");
  const run = (command: () => Promise<CommandResult>) => async () => {
    process.exitCode = await runCommand(command);
  };

  addConnectionOptions(
    worker
      .command("create")
      .description(
        "create a worker and print its environment: CONFIGHUB_URL, _WORKER_ID and _WORKER_SECRET " +
          "(the secret is shown only now)",
      )
      .argument("<slug>", "the worker's slug, unique in its Space")
      .requiredOption("--space <space>", "the worker's Space (slug or ID)")
      .option("--json", "print the BridgeWorker (with its Secret)"),
  ).action((slug: string, flags: WorkerFlags) => run(() => createWorkerCommand(slug, flags))());

  addConnectionOptions(
    worker
      .command("list")
      .description("list the workers of a Space, or of the organization: condition, last seen, functions")
      .option("--space <space>", "only this Space's workers (slug or ID)")
      .option("--where <expr>", "server-side filter, e.g. \"Condition = 'Ready'\"")
      .option("--json", "print the BridgeWorkers"),
  ).action((flags: WorkerFlags) => run(() => listWorkersCommand(flags))());

  addConnectionOptions(
    worker
      .command("get")
      .description("show one worker: condition, last heartbeat, address and its functions")
      .argument("<worker>", "slug or ID")
      .option("--space <space>", "the worker's Space (needed when the slug is used in several)")
      .option("--json", "print the BridgeWorker"),
  ).action((ref: string, flags: WorkerFlags) => run(() => getWorkerCommand(ref, flags))());

  addConnectionOptions(
    worker
      .command("delete")
      .description("delete a worker (a connected one is disconnected)")
      .argument("<worker>", "slug or ID")
      .option("--space <space>", "the worker's Space (needed when the slug is used in several)"),
  ).action((ref: string, flags: WorkerFlags) => run(() => deleteWorkerCommand(ref, flags))());

  addConnectionOptions(
    worker
      .command("rotate-secret")
      .description(
        "replace a worker's secret and print its environment: the old secret stops working at once " +
          "and its connections are closed",
      )
      .argument("<worker>", "slug or ID")
      .option("--space <space>", "the worker's Space (needed when the slug is used in several)")
      .option("--json", "print the BridgeWorker (with its new Secret)"),
  ).action((ref: string, flags: WorkerFlags) => run(() => rotateSecretCommand(ref, flags))());

  addConnectionOptions(
    worker
      .command("run")
      .description(
        "serve a module's functions as a worker until SIGTERM or Ctrl-C: finds the worker or creates it, " +
          "connects, reconnects with backoff. A new worker's secret comes from its creation; for an existing " +
          "worker the secret is ROTATED (other processes using the old one are disconnected) unless " +
          "CONFIGHUB_WORKER_SECRET holds it",
      )
      .argument("<slug>", "the worker's slug (created in --space when missing) or ID")
      .argument("<module>", "a .js or .ts module whose default export lists FunctionDefinitions")
      .requiredOption("--space <space>", "the worker's Space (slug or ID)")
      .option("--concurrency <n>", "Units run side by side at most (default 16)"),
  ).action(async (ref: string, modulePath: string, flags: RunFlags) => {
    process.exitCode = await runWorkerCommand(ref, modulePath, flags);
  });
}

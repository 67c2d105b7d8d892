// The few-lines way to run a worker: settings from the environment (ConfigHub's variable names),
// started at once, stopped cleanly on SIGTERM or SIGINT (a second signal exits at once). Resolves
// when the worker has stopped; rejects with a WorkerError when it cannot work at all.
import { Worker, type WorkerOptions } from "./worker.ts";
import { workerSettingsFromEnv, type WorkerSettings } from "./worker-settings.ts";

export type RunWorkerOptions = Omit<WorkerOptions, keyof WorkerSettings> &
  Partial<WorkerSettings> & {
    /** Where unset settings are read from. Default process.env. */
    readonly env?: NodeJS.ProcessEnv;
    /** Stop on SIGTERM and SIGINT. Default true. */
    readonly handleSignals?: boolean;
    /** Called with the worker once it is created, e.g. to listen to its events. */
    readonly onWorker?: (worker: Worker) => void;
  };

export async function runWorker(options: RunWorkerOptions): Promise<void> {
  const { env, handleSignals = true, onWorker, url, workerId, secret, workerPort, ...rest } = options;
  const given = { url, workerId, secret, workerPort };
  const settings = workerSettingsFromEnv(
    env ?? process.env,
    Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)),
  );
  const worker = new Worker({ ...rest, ...settings });
  onWorker?.(worker);
  const log = options.log ?? ((_level: string, message: string) => process.stderr.write(`${message}\n`));
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      log("warn", `${signal} again: exiting without waiting for running invocations`);
      process.exit(1);
    }
    signalled = true;
    log("info", `${signal}: stopping (running invocations finish first; ${signal} again to exit at once)`);
    void worker.stop();
  };
  if (handleSignals) {
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  }
  try {
    void worker.start().catch(() => {});
    await worker.done;
  } finally {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  }
}

// The bridge worker of `bench worker`, in a process of its own as a deployed worker runs (`confn
// worker run`): the built-in set-label's very definition, served through the TypeScript SDK. The
// benchmark passes the server's URL and the worker's ID and secret in the environment, reads
// "ready" on stdout once the worker is connected, and stops it with SIGTERM.
import { standardFunctions } from "../functions/index.ts";
import { FunctionRegistry } from "../src/engine/index.ts";
import { Worker } from "../src/worker/index.ts";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`bench worker process: ${name} is not set`);
  return value;
}

const setLabel = FunctionRegistry.from(standardFunctions).lookup("Kubernetes/YAML", "set-label")!.definition;
const worker = new Worker({
  url: required("CONFN_BENCH_WORKER_URL"),
  workerId: required("CONFN_BENCH_WORKER_ID"),
  secret: required("CONFN_BENCH_WORKER_SECRET"),
  functions: [setLabel],
  log: (level, message) => {
    if (level !== "info") console.error(`worker: ${message}`);
  },
});
process.once("SIGTERM", () => {
  void worker.stop().then(() => process.exit(0));
});
await worker.start();
process.stdout.write("ready\n");

// What this machine's cores give right now on work like the engine's, with nothing shared: the same
// YAML parse and serialisation of generated Units (bench/_generate.ts) on one worker thread alone,
// then on two at once, each thread a plain `yaml` loop (no pool, no messages, no database). The
// speed-up of the two (their work over the slower one's time, against one thread's) is the most a
// thread pool could reach; on a VM whose two vCPUs share a physical core's caches and execution
// units with each other or with a neighbour, it is well below 2 for this allocation-heavy work.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { generateUnits } from "./_generate.ts";

// A plain CommonJS thread body: no TypeScript loader needed in the thread.
const THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const { parseAllDocuments } = require(workerData.yaml);
const started = performance.now();
let bytes = 0;
for (let pass = 0; pass < workerData.passes; pass++)
  for (const text of workerData.texts) for (const doc of parseAllDocuments(text)) bytes += String(doc).length;
parentPort.postMessage({ ms: performance.now() - started, bytes });
`;

function onThread(texts: readonly string[], passes: number): Promise<number> {
  const yaml = createRequire(import.meta.url).resolve("yaml");
  return new Promise((resolve, reject) => {
    const worker = new Worker(THREAD, { eval: true, workerData: { texts, passes, yaml } });
    worker.once("message", (message: { ms: number }) => resolve(message.ms));
    worker.once("error", reject);
  });
}

/** Two threads' throughput over one thread's on the same YAML work (2 would be perfect). */
export async function parallelCeiling(units = 400, passes = 3): Promise<number> {
  const texts = generateUnits(units);
  await onThread(texts, 1); // warm the file cache and the code
  const alone = await onThread(texts, passes);
  const together = await Promise.all([onThread(texts, passes), onThread(texts, passes)]);
  return (2 * alone) / Math.max(...together);
}

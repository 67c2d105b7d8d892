// Runs jq programs (jq 1.8 compiled to WebAssembly, from jq-wasm) away from the caller's thread.
// A jq program is Turing-complete (`until(false; .)`, `def f: f; f`) and its regexes backtrack, so it
// runs in a worker thread under a time limit: when the limit passes, the worker is terminated (that
// stops WebAssembly loops too) and the next run starts a fresh one. The worker lives as long as the
// process uses it and runs one job at a time. It keeps the process alive only while a job runs: idle,
// it is unref'd, so a command that has printed its answer (`confn do - yq .a`) exits on its own.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** What jq printed for one input: its exit status, its JSON outputs (one per line) and stderr. */
export interface JqRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export class JqTimeoutError extends Error {
  constructor(readonly milliseconds: number) {
    super(`the jq program did not finish within ${milliseconds} ms`);
    this.name = "JqTimeoutError";
  }
}

/** The worker crashed (for example, jq's WebAssembly memory ran out). */
export class JqWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JqWorkerError";
  }
}

// The worker is plain CommonJS evaluated from this string, so it needs no TypeScript loader; it
// loads jq-wasm from the path this module resolved. It answers each job with one JqRun per input,
// stopping after a compile error (exit code 3), which would repeat for every input.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const ready = require(workerData.jqModule).loadJq();
parentPort.on("message", async ({ program, inputs }) => {
  try {
    const jq = await ready;
    const runs = [];
    for (const input of inputs) {
      const run = jq.raw(input, program, ["-c"]);
      runs.push({ exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr });
      if (run.exitCode === 3) break;
    }
    parentPort.postMessage({ runs });
  } catch (error) {
    parentPort.postMessage({ failure: String(error && error.message ? error.message : error) });
  }
});
`;

interface Job {
  readonly program: string;
  readonly inputs: readonly unknown[];
  readonly timeoutMs: number;
  resolve(runs: JqRun[]): void;
  reject(error: Error): void;
}

type Reply = { runs: JqRun[] } | { failure: string };

export class JqRunner {
  readonly #jqModule: string;
  #worker: Worker | undefined;
  #current: Job | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #queue: Job[] = [];

  constructor() {
    this.#jqModule = createRequire(import.meta.url).resolve("jq-wasm");
  }

  /** Runs `program` once per input, in order; rejects with JqTimeoutError past `timeoutMs`. */
  run(program: string, inputs: readonly unknown[], timeoutMs: number): Promise<JqRun[]> {
    return new Promise<JqRun[]>((resolve, reject) => {
      this.#queue.push({ program, inputs, timeoutMs, resolve, reject });
      this.#next();
    });
  }

  #next(): void {
    if (this.#current || this.#queue.length === 0) return;
    const job = this.#queue.shift()!;
    this.#current = job;
    const worker = this.#ensureWorker();
    // Busy: the process must wait for the answer (#settle unrefs it again).
    worker.ref();
    // The clock starts when the job reaches the worker, not while it waits in the queue.
    this.#timer = setTimeout(() => this.#fail(new JqTimeoutError(job.timeoutMs), true), job.timeoutMs);
    worker.postMessage({ program: job.program, inputs: job.inputs });
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { jqModule: this.#jqModule },
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    // Events of a worker that was already replaced (stopped after a timeout) concern no current job.
    const active = (): boolean => this.#worker === worker;
    worker.on("message", (reply: Reply) => {
      if (active()) this.#finish(reply);
    });
    // An error ends the worker: drop it, so the next job starts a fresh one.
    worker.on("error", (error: Error) => {
      if (active()) this.#fail(new JqWorkerError(`jq failed: ${error.message}`), true);
    });
    worker.on("exit", (code) => {
      if (!active()) return;
      this.#worker = undefined;
      this.#fail(new JqWorkerError(`jq stopped unexpectedly (exit code ${code})`), false);
    });
    this.#worker = worker;
    return worker;
  }

  #finish(reply: Reply): void {
    const job = this.#current;
    if (!job) return;
    this.#settle();
    if ("failure" in reply) job.reject(new JqWorkerError(`jq failed: ${reply.failure}`));
    else job.resolve(reply.runs);
    this.#next();
  }

  #fail(error: Error, terminate: boolean): void {
    const job = this.#current;
    if (!job) return;
    this.#settle();
    if (terminate && this.#worker) {
      const worker = this.#worker;
      this.#worker = undefined;
      void worker.terminate();
    }
    job.reject(error);
    this.#next();
  }

  /** Ends the current job; the idle worker no longer holds the process open. */
  #settle(): void {
    // Unref after the listeners exist: adding a "message" listener refs a worker's port again.
    this.#worker?.unref();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#current = undefined;
  }
}

let shared: JqRunner | undefined;

/** The process-wide runner: one worker, started on first use. */
export function jqRunner(): JqRunner {
  shared ??= new JqRunner();
  return shared;
}

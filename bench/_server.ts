// A `confn serve` child process for the HTTP benchmarks (invoke, worker): started on free ports with
// the given environment and waited for until /healthz answers, and its peak memory read from /proc.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * Extra Node options for a benchmark's child process, from the environment variable `name`
 * (space-separated), e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it: NODE_OPTIONS
 * refuses --cpu-prof.
 */
export function childNodeOptions(name: string): string[] {
  return (process.env[name] ?? "").split(" ").filter((o) => o !== "");
}

/** `confn serve` on a free port; `bench` names the benchmark in errors. */
export async function startServer(
  bench: string,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...childNodeOptions("CONFN_BENCH_SERVER_NODE_OPTIONS"), join(root, "bin", "confn.js"), "serve"],
    {
      cwd: root,
      env: {
        ...process.env,
        // PORT + 1 may be taken: the worker port takes any free port unless the benchmark names one.
        CONFN_WORKER_PORT: "0",
        ...env,
        HOST: "127.0.0.1",
        PORT: String(port),
        CONFN_LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`bench ${bench}: the server exited (${child.exitCode})`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`bench ${bench}: the server did not become ready within 60 s`);
}

/** Stops the server (SIGTERM) and waits for it to exit. */
export async function stopServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/**
 * CPU time a process has used so far (user + system, all its threads), in seconds, from
 * /proc/PID/stat (clock ticks of 1/100 s: USER_HZ is 100 on Linux); with `thread`, that thread's
 * alone (/proc/PID/task/TID/stat; a process's main thread has TID = PID).
 */
export function cpuSeconds(pid: number, thread?: number): number {
  const stat = readFileSync(
    thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`,
    "utf8",
  );
  // The fields after the command name (which may hold spaces) in parentheses.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Peak resident set size of a process (VmHWM), in bytes. */
export function peakRss(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error("bench: no VmHWM in /proc status");
  return Number(match[1]) * 1024;
}

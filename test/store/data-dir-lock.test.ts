// The embedded database's lock: a second process is kept out while the holder runs, and a lock
// left by a crashed holder is taken over — also when a new process has the holder's PID, as a
// restarted container's server is PID 1 again (issue 11: it refused to start "in use by process 1").
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { currentHolder, lockDataDir, parseHolder } from "../../src/store/data-dir-lock.ts";
import { DataDirLockedError } from "../../src/store/errors.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const CONFN = join(ROOT, "bin", "confn.js");

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "confn-lock-"));
  dirs.push(dir);
  return join(dir, "data");
}

describe("the data directory lock", () => {
  it("keeps a second holder out until the first releases it", () => {
    const dataDir = tempDataDir();
    const lock = lockDataDir(dataDir);
    expect(parseHolder(readFileSync(`${dataDir}.lock`, "utf8"))).toEqual(currentHolder());
    expect(() => lockDataDir(dataDir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dataDir)).toThrow(`in use by process ${process.pid}`);
    lock.release();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    lockDataDir(dataDir).release();
  });

  it("takes over a lock whose PID is alive but belongs to a process that started later", () => {
    const dataDir = tempDataDir();
    // What a restarted container finds: its own PID, recorded by the crashed process before it.
    const me = currentHolder();
    if (me.startTime === undefined) return; // no /proc: start times cannot be compared here
    const predecessor = { ...me, startTime: String(Number(me.startTime) - 1) };
    writeFileSync(`${dataDir}.lock`, JSON.stringify(predecessor));
    const lock = lockDataDir(dataDir);
    expect(parseHolder(readFileSync(`${dataDir}.lock`, "utf8"))).toEqual(me);
    lock.release();
  });

  it("takes over a lock of a process that is gone, or a bare PID of our own from an earlier version", () => {
    const dataDir = tempDataDir();
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
    writeFileSync(`${dataDir}.lock`, gone.stdout.toString());
    lockDataDir(dataDir).release();
    writeFileSync(`${dataDir}.lock`, String(process.pid));
    lockDataDir(dataDir).release();
    writeFileSync(`${dataDir}.lock`, "not a lock");
    lockDataDir(dataDir).release();
  });

  it("refuses a lock held by another running process", async () => {
    const dataDir = tempDataDir();
    const holder = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        `const { lockDataDir } = await import(${JSON.stringify(join(ROOT, "src/store/data-dir-lock.ts"))});
         lockDataDir(${JSON.stringify(dataDir)}); console.log("locked"); setInterval(() => {}, 1000);`,
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    children.push(holder);
    await waitForOutput(holder, "locked");
    expect(() => lockDataDir(dataDir)).toThrow(`in use by process ${holder.pid}`);
  });
});

/** unshare(1) with a new PID namespace, or why it cannot be used here. */
function pidNamespaceUnavailable(): string | undefined {
  if (process.platform !== "linux") return "PID namespaces are Linux only";
  const probe = spawnSync("unshare", ["--pid", "--fork", "--mount-proc", "--kill-child", "true"]);
  if (probe.error) return `unshare is not installed (${probe.error.message})`;
  if (probe.status !== 0) return `unshare --pid is not permitted here: ${probe.stderr.toString().trim()}`;
  return undefined;
}

const noNamespace = pidNamespaceUnavailable();

describe.skipIf(noNamespace !== undefined)(
  `confn serve restarted as PID 1 of a new PID namespace${noNamespace ? ` (skipped: ${noNamespace})` : ""}`,
  () => {
    /** `confn serve` as PID 1 of its own PID namespace, on `dataDir`, once it listens. */
    async function serveAsPid1(dataDir: string): Promise<ChildProcess> {
      const server = spawn(
        "unshare",
        ["--pid", "--fork", "--mount-proc", "--kill-child", process.execPath, CONFN, "serve", "--port", "0"],
        {
          cwd: ROOT,
          env: { ...process.env, CONFN_DATA_DIR: dataDir, CONFN_LOG_LEVEL: "info", DATABASE_URL: "" },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      children.push(server);
      await waitForOutput(server, "confn listening on");
      return server;
    }

    it("starts again after a crash although the lock names a live PID 1", async () => {
      const dataDir = tempDataDir();
      const first = await serveAsPid1(dataDir);
      expect(parseHolder(readFileSync(`${dataDir}.lock`, "utf8"))?.pid).toBe(1);
      // A crash: SIGKILL, nothing cleaned up. The lock stays behind, naming PID 1.
      first.kill("SIGKILL");
      await new Promise((done) => first.once("exit", done));
      expect(parseHolder(readFileSync(`${dataDir}.lock`, "utf8"))?.pid).toBe(1);
      const second = await serveAsPid1(dataDir);
      second.kill("SIGTERM");
    }, 120_000);
  },
);

/** Resolves once `child` printed `text` on stdout; rejects with its output if it exits first. */
function waitForOutput(child: ChildProcess, text: string): Promise<void> {
  return new Promise((done, fail) => {
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(text)) done();
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => fail(new Error(`exited (${code}) before printing '${text}':\n${output}`)));
  });
}

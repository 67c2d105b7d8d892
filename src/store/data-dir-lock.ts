// PGlite is a single-process database: two processes opening the same data directory corrupt it.
// A lock file beside the directory keeps a second `confn serve` (or `confn token create` while the
// server runs) out, and a lock left by a process that died is taken over.
//
// "Died" cannot mean "no process has that PID": in a container the restarted server is PID 1 again,
// as its crashed predecessor was, and would refuse to start for ever. So the lock records who holds
// it — PID, the process's start time (field 22 of /proc/<pid>/stat) and the kernel's boot id — and
// a holder counts as alive only if a process with that PID exists and started at that same moment
// of the same boot. Where /proc is missing (not Linux) the PID alone decides, as before.
import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { DataDirLockedError } from "./errors.ts";

export interface DataDirLock {
  release(): void;
}

/** Who holds a lock: what the lock file says. */
export interface LockHolder {
  readonly pid: number;
  /** Clock ticks after boot at which the process started; absent where /proc is not available. */
  readonly startTime?: string;
  readonly bootId?: string;
}

/** Lock files this process holds: its own PID in a lock file is a predecessor's only if absent here. */
const held = new Set<string>();

export function lockDataDir(dataDir: string): DataDirLock {
  const lockFile = `${dataDir}.lock`;
  const me = currentHolder();
  for (let attempt = 0; attempt < 3; attempt++) {
    if (create(lockFile, me)) {
      held.add(lockFile);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          held.delete(lockFile);
          try {
            unlinkSync(lockFile);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    }
    const text = readText(lockFile);
    if (text === undefined) continue; // Removed meanwhile: try again.
    const holder = parseHolder(text);
    if (holder && (held.has(lockFile) || isAlive(holder, me)))
      throw new DataDirLockedError(dataDir, holder.pid);
    removeIfStill(lockFile, text);
  }
  throw new DataDirLockedError(dataDir, parseHolder(readText(lockFile) ?? "")?.pid ?? 0);
}

/** Creates the lock file with its content in one step (a reader never sees it empty); false if it exists. */
function create(lockFile: string, holder: LockHolder): boolean {
  const draft = `${lockFile}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(draft, `${JSON.stringify(holder)}\n`, { mode: 0o600 });
  try {
    linkSync(draft, lockFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    unlinkSync(draft);
  }
}

/**
 * Removes a stale lock, unless another process replaced it since we read `stale`: it is moved
 * aside first and checked, so two processes taking over the same stale lock cannot remove each
 * other's new one.
 */
function removeIfStill(lockFile: string, stale: string): void {
  const aside = `${lockFile}.stale.${process.pid}.${randomBytes(4).toString("hex")}`;
  try {
    renameSync(lockFile, aside);
  } catch {
    return; // Someone else removed it first; the next attempt decides.
  }
  if (readText(aside) !== stale) {
    // A fresh lock: put it back (unless yet another appeared, which then wins).
    try {
      linkSync(aside, lockFile);
    } catch {
      // Another lock exists now; the next attempt reads it.
    }
  }
  unlinkSync(aside);
}

export function currentHolder(): LockHolder {
  const startTime = processStartTime(process.pid);
  const bootId = readText("/proc/sys/kernel/random/boot_id")?.trim();
  return {
    pid: process.pid,
    ...(startTime !== undefined ? { startTime } : {}),
    ...(bootId ? { bootId } : {}),
  };
}

/** Whether the recorded holder is still running (a different process may have its PID now). */
function isAlive(holder: LockHolder, me: LockHolder): boolean {
  if (holder.bootId !== undefined && me.bootId !== undefined && holder.bootId !== me.bootId) return false;
  if (!pidExists(holder.pid)) return false;
  // A lock without a start time (written where /proc was missing) or a holder whose start time
  // cannot be read (another PID namespace): the PID is all there is to go on.
  if (holder.startTime === undefined) return holder.pid !== me.pid;
  const startTime = processStartTime(holder.pid);
  return startTime === undefined || startTime === holder.startTime;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses. */
function processStartTime(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const startTime = fields[19]; // fields[0] is field 3 (state)
  return startTime !== undefined && /^\d+$/.test(startTime) ? startTime : undefined;
}

/** A lock file's holder: JSON, or the bare PID that earlier versions wrote. */
export function parseHolder(text: string): LockHolder | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return validPid(Number(trimmed)) ? { pid: Number(trimmed) } : undefined;
  try {
    const parsed = JSON.parse(trimmed) as Partial<Record<keyof LockHolder, unknown>>;
    if (typeof parsed.pid !== "number" || !validPid(parsed.pid)) return undefined;
    return {
      pid: parsed.pid,
      ...(typeof parsed.startTime === "string" ? { startTime: parsed.startTime } : {}),
      ...(typeof parsed.bootId === "string" ? { bootId: parsed.bootId } : {}),
    };
  } catch {
    return undefined;
  }
}

function validPid(pid: number): boolean {
  return Number.isSafeInteger(pid) && pid > 0;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

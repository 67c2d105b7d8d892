// PGlite is a single-process database: two processes opening the same data directory corrupt it.
// A pid file beside the directory keeps a second `confn serve` (or `confn token create` while the
// server runs) out, and a lock left by a process that died is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { DataDirLockedError } from "./errors.ts";

export interface DataDirLock {
  release(): void;
}

export function lockDataDir(dataDir: string): DataDirLock {
  const lockFile = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(lockFile);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readHolder(lockFile);
      if (holder !== undefined && isAlive(holder)) throw new DataDirLockedError(dataDir, holder);
      // Stale: its process is gone. Remove it and try once more.
      try {
        unlinkSync(lockFile);
      } catch {
        // Someone else removed it first; the retry decides.
      }
    }
  }
  throw new DataDirLockedError(dataDir, readHolder(lockFile) ?? 0);
}

function readHolder(lockFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockFile, "utf8").trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

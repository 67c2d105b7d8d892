// Writes the first-start admin token where the operator can read it and nobody else can: mode
// 0600, written to a temporary file and renamed, so the file never exists with the secret and
// looser permissions, and a crash never leaves half a token.
import { chmodSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export function writeAdminTokenFile(file: string, token: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${token}\n`, { mode: 0o600 });
  // The mode given to writeFileSync is filtered by the umask; make it exact.
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

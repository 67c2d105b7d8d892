// Writes a file so that a crash never leaves it half-written: the new text goes to a temporary file
// in the same directory (same file system), is flushed, keeps the original's permissions, and is
// renamed over the original in one step.
import { randomBytes } from "node:crypto";
import { open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export async function writeFileAtomically(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.confn-${randomBytes(6).toString("hex")}.tmp`);
  const { mode } = await stat(path);
  const handle = await open(temporary, "wx", mode & 0o777);
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

// The response array of an invocation, collected element by element. The HTTP status (200, 207 or
// 422) depends on every element, so the body cannot be sent before the last Unit ran; elements are
// kept as JSON text, and once they pass `memoryLimitBytes` they overflow to a temporary file, so a
// call over any number of Units holds at most that much of its response in memory.
import { createReadStream, rmSync } from "node:fs";
import { mkdtemp, open, rm, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";

/** 32 MiB of JSON in memory before spilling to disk. */
export const DEFAULT_SPOOL_MEMORY_BYTES = 32 * 1024 * 1024;

export class ResponseSpool {
  private readonly memoryLimitBytes: number;
  private chunks: string[] = [];
  private bufferedBytes = 0;
  private count = 0;
  private file: { dir: string; path: string; handle: FileHandle } | undefined;
  private closed = false;

  constructor(options: { memoryLimitBytes?: number } = {}) {
    this.memoryLimitBytes = options.memoryLimitBytes ?? DEFAULT_SPOOL_MEMORY_BYTES;
  }

  /** Elements added so far. */
  get length(): number {
    return this.count;
  }

  /** Whether the elements spilled to a temporary file (for tests and logs). */
  get spilled(): boolean {
    return this.file !== undefined;
  }

  async add(element: unknown): Promise<void> {
    if (this.closed) throw new Error("ResponseSpool: add after the body was taken");
    const text = (this.count === 0 ? "" : ",") + JSON.stringify(element);
    this.count++;
    this.chunks.push(text);
    this.bufferedBytes += Buffer.byteLength(text);
    if (this.bufferedBytes > this.memoryLimitBytes) await this.flush();
  }

  /**
   * The JSON array as a stream; the spool is then closed, and its temporary file, if any, is
   * removed once the stream ends or is destroyed (a client that disconnects).
   */
  async body(): Promise<Readable> {
    this.closed = true;
    if (!this.file) {
      const text = `[${this.chunks.join("")}]`;
      this.chunks = [];
      return Readable.from([text]);
    }
    await this.flush();
    const { dir, path, handle } = this.file;
    await handle.close();
    // Synchronous, so the file is gone by the time the response is finished.
    const cleanup = () => rmSync(dir, { recursive: true, force: true });
    const stream = Readable.from(concat(path));
    stream.once("close", cleanup);
    return stream;
  }

  /** Drops everything (the response became an error); removes the temporary file. */
  async discard(): Promise<void> {
    this.closed = true;
    this.chunks = [];
    if (this.file) {
      const { dir, handle } = this.file;
      this.file = undefined;
      await handle.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async flush(): Promise<void> {
    if (!this.file) {
      const dir = await mkdtemp(join(tmpdir(), "confn-invoke-"));
      const path = join(dir, "response.json");
      this.file = { dir, path, handle: await open(path, "wx", 0o600) };
    }
    const text = this.chunks.join("");
    this.chunks = [];
    this.bufferedBytes = 0;
    if (text !== "") await this.file.handle.write(text);
  }
}

async function* concat(path: string): AsyncGenerator<string | Buffer> {
  yield "[";
  for await (const chunk of createReadStream(path)) yield chunk as Buffer;
  yield "]";
}

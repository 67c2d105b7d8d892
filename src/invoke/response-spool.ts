// The response array of an invocation, collected element by element. The HTTP status (200, 207 or
// 422) depends on every element, so the body cannot be sent before the last Unit ran; elements are
// kept as JSON text, and once they pass `memoryLimitBytes` they overflow to a temporary file, so a
// call over any number of Units holds at most that much of its response in memory.
// The text leaves (to the client, or to the file) in pieces of about PIECE_BYTES, never joined into
// one string: a whole response as one string would be a second and, once V8 flattens it to measure
// or write it, a third copy of up to memoryLimitBytes, each long-lived enough to reach the old
// generation (measured: ~45 MB of such copies per 5,000-Unit response, the largest source of the
// server's old-generation garbage).
import { createReadStream, rmSync } from "node:fs";
import { mkdtemp, open, rm, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";

/** 32 MiB of JSON in memory before spilling to disk. */
export const DEFAULT_SPOOL_MEMORY_BYTES = 32 * 1024 * 1024;

/** Elements are joined into pieces of about this many bytes as they are sent or spilled. */
const PIECE_BYTES = 64 * 1024;

export class ResponseSpool {
  private readonly memoryLimitBytes: number;
  /** Each element's JSON, not yet sent or spilled. */
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
    const text = JSON.stringify(element);
    this.count++;
    this.chunks.push(text);
    this.bufferedBytes += Buffer.byteLength(text) + 1;
    if (this.bufferedBytes > this.memoryLimitBytes) await this.flush();
  }

  /**
   * The JSON array as a stream; the spool is then closed, and its temporary file, if any, is
   * removed once the stream ends or is destroyed (a client that disconnects).
   */
  async body(): Promise<Readable> {
    this.closed = true;
    if (!this.file) {
      const chunks = this.chunks;
      this.chunks = [];
      return Readable.from(inPieces(chunks, "[", "]"));
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
    const chunks = this.chunks;
    if (chunks.length === 0) return;
    // The brackets come from concat(); a comma joins these elements to those already in the file.
    const prefix = this.count > chunks.length ? "," : "";
    this.chunks = [];
    this.bufferedBytes = 0;
    for (const piece of inPieces(chunks, prefix, "")) await this.file.handle.write(piece);
  }
}

/**
 * The elements' JSON, comma-separated, in pieces of about PIECE_BYTES, after `prefix` and before
 * `suffix`. Each element is dropped from `chunks` once it is in a piece.
 */
function* inPieces(chunks: string[], prefix: string, suffix: string): Generator<string> {
  let piece: string[] = [prefix];
  let bytes = 0;
  for (let i = 0; i < chunks.length; i++) {
    if (i > 0) piece.push(",");
    piece.push(chunks[i]!);
    bytes += chunks[i]!.length;
    chunks[i] = "";
    if (bytes >= PIECE_BYTES) {
      yield piece.join("");
      piece = [];
      bytes = 0;
    }
  }
  piece.push(suffix);
  const last = piece.join("");
  if (last !== "") yield last;
}

async function* concat(path: string): AsyncGenerator<string | Buffer> {
  yield "[";
  for await (const chunk of createReadStream(path)) yield chunk as Buffer;
  yield "]";
}

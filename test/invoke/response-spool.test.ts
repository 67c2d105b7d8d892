// The invoke response's spool: the body is the JSON array of the elements added, in order, whether
// it stayed in memory or overflowed to a temporary file, and it leaves in pieces, never as one
// string of the whole response.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ResponseSpool } from "../../src/invoke/index.ts";

async function pieces(spool: ResponseSpool): Promise<string[]> {
  const out: string[] = [];
  for await (const piece of await spool.body()) out.push(Buffer.isBuffer(piece) ? piece.toString() : piece);
  return out;
}

/** The spool's temporary file (private: the tests look at it from outside). */
function spoolFile(spool: ResponseSpool): string {
  return (spool as unknown as { file: { path: string } }).file.path;
}

/** Elements of about `bytes` of JSON each, told apart by index. */
function elements(count: number, bytes: number): { Index: number; Text: string }[] {
  return Array.from({ length: count }, (_, i) => ({ Index: i, Text: `${i}:`.padEnd(bytes, "x") }));
}

describe("ResponseSpool", () => {
  it("answers [] for no elements", async () => {
    expect((await pieces(new ResponseSpool())).join("")).toBe("[]");
  });

  it("sends a large in-memory body in pieces of about 64 KiB, the elements in order", async () => {
    const spool = new ResponseSpool();
    const added = elements(400, 1000);
    for (const element of added) await spool.add(element);
    expect(spool.spilled).toBe(false);
    const sent = await pieces(spool);
    expect(JSON.parse(sent.join(""))).toEqual(added);
    expect(sent.length).toBeGreaterThan(4);
    for (const piece of sent) expect(piece.length).toBeLessThan(64 * 1024 + 2000);
  });

  it("gives the same array after spilling to a file several times, and removes the file", async () => {
    const spool = new ResponseSpool({ memoryLimitBytes: 10_000 });
    const added = elements(95, 1000);
    for (const element of added) await spool.add(element);
    expect(spool.spilled).toBe(true);
    const path = spoolFile(spool);
    const stream = await spool.body();
    const closed = new Promise((resolve) => stream.once("close", resolve));
    let text = "";
    for await (const piece of stream) text += Buffer.isBuffer(piece) ? piece.toString() : piece;
    expect(JSON.parse(text)).toEqual(added);
    await closed;
    expect(existsSync(path)).toBe(false);
  });

  it("spills exactly at the limit without a stray comma when nothing was added since", async () => {
    // The last element passes the limit: the body's own flush then has nothing left to write.
    const added = elements(10, 999);
    const allButLast = added.slice(0, -1).reduce((sum, e) => sum + JSON.stringify(e).length + 1, 0);
    const spool = new ResponseSpool({ memoryLimitBytes: allButLast });
    for (const element of added.slice(0, -1)) await spool.add(element);
    expect(spool.spilled).toBe(false);
    await spool.add(added.at(-1));
    expect(spool.spilled).toBe(true);
    expect(JSON.parse((await pieces(spool)).join(""))).toEqual(added);
  });

  it("removes the temporary file when the response is discarded", async () => {
    const spool = new ResponseSpool({ memoryLimitBytes: 100 });
    await spool.add({ a: "x".repeat(200) });
    const path = spoolFile(spool);
    expect(existsSync(path)).toBe(true);
    await spool.discard();
    expect(existsSync(path)).toBe(false);
  });
});

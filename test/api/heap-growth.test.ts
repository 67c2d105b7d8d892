// `confn serve` limits how far its heaps grow between full collections (src/api/heap-growth.ts):
// checked in a process of its own that keeps ~60 MB live and promotes garbage the way an
// invocation's Units in flight do, against the same process without the limit.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { limitHeapGrowth } from "../../src/api/heap-growth.ts";

const run = promisify(execFile);
const module = pathToFileURL(join(import.meta.dirname, "../../src/api/heap-growth.ts")).href;
const work = mkdtempSync(join(tmpdir(), "confn-heap-growth-"));
const script = join(work, "churn.mjs");
writeFileSync(
  script,
  `if (process.argv[2] === "limit") (await import(${JSON.stringify(module)})).limitHeapGrowth();
const live = Array.from({ length: 60000 }, (_, i) => "x".repeat(1000) + i);
// Each object outlives a few young-generation collections, so it dies in the old generation.
const ring = new Array(20000);
let peak = 0;
for (let i = 0; i < 600000; i++) {
  ring[i % ring.length] = { text: "y".repeat(500) + i, i };
  if (i % 5000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
}
console.log(JSON.stringify({ live: live.length, peak }));
`,
);

async function peakHeap(mode: "limit" | "default"): Promise<number> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", script, mode], {
    cwd: join(import.meta.dirname, "../.."),
  });
  return (JSON.parse(stdout) as { peak: number }).peak;
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the server's heap growth limit", () => {
  it("keeps the heap's peak well below V8's default growth", async () => {
    const [limited, unlimited] = await Promise.all([peakHeap("limit"), peakHeap("default")]);
    // Measured: ~86 MB against ~168 MB.
    expect(limited).toBeLessThan(unlimited * 0.75);
  });

  it("leaves a --heap-growing-percent given to node alone", () => {
    expect(limitHeapGrowth(["--heap-growing-percent=20"])).toBe(false);
    expect(limitHeapGrowth(["--heap_growing_percent", "20"])).toBe(false);
    expect(limitHeapGrowth(["--max-old-space-size=512"])).toBe(true);
  });
});

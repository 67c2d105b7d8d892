// The README runs: its shell blocks, in order, in one bash session in a fresh directory, against one
// fresh server (temp data dir, free port), as a reader following it from a clean clone would.
//
// The convention (README.md's source):
// - ```sh blocks run; each must exit 0 (errexit and pipefail on). A ```json or ```text block right
//   after one is its output, and must match.
// - ```console blocks are transcripts: each `$ ` line runs (in the same session, errexit off, so a
//   transcript can show a failure and `echo $?`), the other lines are what they print
//   (stdout and stderr), and must match.
// - `<!-- docs-test: skip (reason) -->` on the line before a block excludes it, with its reason
//   shown here as a skipped test.
// - `<!-- docs-test: background until "TEXT" -->` on the line before a sh block runs it in the
//   background (a process the reader starts in a second terminal, like `confn worker run`): the
//   next blocks run once its output shows TEXT (within a minute); it is stopped at the end. Its
//   output block is not compared (it holds times and ports).
// The fresh directory holds the clone's examples/ (a symlink), since the README runs in a clone.
// In comparisons UUIDs and minute-precision times are placeholders (they differ on every run),
// trailing blanks are ignored (fctl's lines end in spaces; curl prints no final newline), and
// the documented server address http://127.0.0.1:7878 is the test server's. `npx confn` runs this
// checkout's bin/confn.js, as it does in a clone after `npm ci` (without npx's own start-up).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const DOCUMENTED_URL = "http://127.0.0.1:7878";
const SLOW = 600_000;

interface Block {
  readonly index: number;
  /** 1-based line of the opening fence in README.md. */
  readonly line: number;
  readonly lang: string;
  readonly body: string;
  readonly skip?: string;
  /** For a background block: the text its output shows once it is ready. */
  readonly readyWhen?: string;
  /** The output block that follows a sh block, or a console block's output lines. */
  expected?: string;
}

/** The fenced blocks of a markdown text that run: sh and console, with their expected output. */
export function runnableBlocks(markdown: string): Block[] {
  const lines = markdown.split("\n");
  const all: (Block & { end: number })[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    let before = i - 1;
    while (before >= 0 && lines[before]!.trim() === "") before--;
    const skip = /^<!-- docs-test: skip \((.+)\) -->$/.exec(lines[before] ?? "")?.[1];
    const readyWhen = /^<!-- docs-test: background until "(.+)" -->$/.exec(lines[before] ?? "")?.[1];
    all.push({
      index: all.length,
      line: i + 1,
      lang: open[1]!,
      body: lines.slice(i + 1, end).join("\n"),
      end,
      ...(skip ? { skip } : {}),
      ...(readyWhen ? { readyWhen } : {}),
    });
    i = end;
  }
  const runnable: Block[] = [];
  all.forEach((block, n) => {
    if (block.lang === "sh") {
      const next = all[n + 1];
      const between = next ? lines.slice(block.end + 1, next.line - 1) : [];
      const follows = between.every((l) => l.trim() === "");
      if (next && ["json", "text"].includes(next.lang) && follows && !block.readyWhen) {
        block.expected = `${next.body}\n`;
      }
      runnable.push(block);
    } else if (block.lang === "console") {
      block.expected = block.body
        .split("\n")
        .filter((l) => !l.startsWith("$ "))
        .map((l) => `${l}\n`)
        .join("");
      runnable.push(block);
    }
  });
  return runnable;
}

/** What may differ between runs: IDs, times, the server's port; and trailing blanks (curl ends without a newline). */
function normalize(text: string, url: string): string {
  return text
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .trimEnd()
    .replaceAll(url, DOCUMENTED_URL)
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>")
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d/g, "<time>");
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const blocks = runnableBlocks(readFileSync(join(REPO, "README.md"), "utf8"));

describe("README.md runs as written", () => {
  let dir: string;
  let url: string;
  let server: ChildProcess | undefined;
  let serverLog = "";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "confn-readme-"));
    symlinkSync(join(REPO, "examples"), join(dir, "examples"));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [join(REPO, "bin/confn.js"), "serve", "--port", String(port)], {
      cwd: dir,
      env: { ...process.env, DATABASE_URL: "", CONFN_DATA_DIR: ".confn/data", CONFN_LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout!.on("data", (chunk: Buffer) => (serverLog += chunk.toString()));
    server.stderr!.on("data", (chunk: Buffer) => (serverLog += chunk.toString()));
    const deadline = Date.now() + 180_000;
    for (;;) {
      const up = await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (up && existsSync(join(dir, ".confn/admin-token"))) break;
      if (server.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the server did not start:\n${serverLog}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    // One bash session runs every block; each block's output and status land in files.
    const out = join(dir, ".docs-test");
    mkdirSync(out);
    let script = [
      "set -o pipefail",
      "background=()",
      // A background block is a subshell running the command: stop the command (its child), then it.
      'trap \'for p in "${background[@]}"; do pkill -TERM -P "$p"; wait "$p" 2>/dev/null; done\' EXIT',
      `npx() { if [ "$1" = confn ]; then shift; node ${JSON.stringify(join(REPO, "bin/confn.js"))} "$@"; else command npx "$@"; fi; }`,
      "",
    ].join("\n");
    for (const block of blocks) {
      if (block.skip) continue;
      const body = block.body.replaceAll(DOCUMENTED_URL, url);
      if (block.readyWhen) {
        const log = `${out}/${block.index}.out`;
        writeFileSync(join(out, `${block.index}.sh`), `${body}\n`);
        script +=
          `(source ${out}/${block.index}.sh) > ${log} 2>&1 & background+=($!)\n` +
          `for _ in $(seq 600); do grep -qF ${JSON.stringify(block.readyWhen)} ${log} && break; sleep 0.1; done\n` +
          `grep -qF ${JSON.stringify(block.readyWhen)} ${log} && echo 0 > ${out}/${block.index}.rc\n`;
      } else if (block.lang === "sh") {
        writeFileSync(join(out, `${block.index}.sh`), `${body}\n`);
        script += `set -e; source ${out}/${block.index}.sh > ${out}/${block.index}.out 2>&1; set +e; echo 0 > ${out}/${block.index}.rc\n`;
      } else {
        const commands = body
          .split("\n")
          .filter((l) => l.startsWith("$ "))
          .map((l) => l.slice(2));
        writeFileSync(join(out, `${block.index}.sh`), `${commands.join("\n")}\n`);
        script += `set +e; source ${out}/${block.index}.sh > ${out}/${block.index}.out 2>&1; echo done > ${out}/${block.index}.rc\n`;
      }
    }
    writeFileSync(join(out, "all.sh"), script);
    spawnSync("bash", [join(out, "all.sh")], {
      cwd: dir,
      env: { ...process.env, CONFN_URL: url, DATABASE_URL: "", NO_COLOR: "1", CONFN_TOKEN: "" },
      timeout: SLOW - 60_000,
      stdio: "ignore",
    });
  }, SLOW);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once("exit", resolve));
      server.kill("SIGTERM");
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("has runnable blocks, and skips only with a reason", () => {
    expect(blocks.filter((b) => !b.skip).length).toBeGreaterThan(5);
    expect(blocks.filter((b) => b.lang === "console").length).toBeGreaterThan(1);
  });

  for (const block of blocks) {
    const title = `block at README.md:${block.line} (${block.lang})`;
    if (block.skip) {
      it.skip(`${title}: ${block.skip}`, () => undefined);
      continue;
    }
    it(title, () => {
      const base = join(dir, ".docs-test", String(block.index));
      const output = existsSync(`${base}.out`) ? readFileSync(`${base}.out`, "utf8") : "(did not run)";
      const status = existsSync(`${base}.rc`) ? readFileSync(`${base}.rc`, "utf8").trim() : "failed";
      expect(status, `it stopped on a failing command; its output:\n${output}`).not.toBe("failed");
      if (block.expected !== undefined) {
        expect(normalize(output, url)).toBe(normalize(block.expected, url));
      }
    });
  }
});

// The README and every page of docs/ run: each page's shell blocks, in order, in one bash session in
// a fresh directory, against a fresh server of its own (temp data dir, free port), as a reader
// following it from a clean clone would.
//
// The convention (in the markdown source):
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
// - `<!-- docs-test: continues README.md "SECTION" -->` anywhere in a page: the page's examples
//   build on that README section (its variables, files and entities), so the section's blocks run
//   first in the page's session (their output is not compared here; the README's own test does).
// The fresh directory holds the clone's examples/ (a symlink), since the docs run in a clone.
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
  readdirSync,
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
  /** 1-based line of the opening fence in its page. */
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
function runnableBlocks(markdown: string): Block[] {
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

/** The blocks of one README section: from its heading to the next heading of the same or a higher level. */
function sectionBlocks(markdown: string, heading: string): Block[] {
  const lines = markdown.split("\n");
  // Heading levels by line, outside fenced blocks (a shell comment is not a heading).
  let fenced = false;
  const levels = lines.map((line) => {
    if (/^```/.test(line)) fenced = !fenced;
    return !fenced && /^#+ /.test(line) ? /^#+/.exec(line)![0].length : 0;
  });
  const start = lines.findIndex((l, i) => levels[i]! > 0 && l.replace(/^#+ /, "") === heading);
  if (start === -1) throw new Error(`README.md has no section "${heading}"`);
  let end = start + 1;
  while (end < lines.length && !(levels[end]! > 0 && levels[end]! <= levels[start]!)) end++;
  // Blank lines in place of the rest keep the blocks' line numbers.
  const section = lines.map((l, i) => (i >= start && i < end ? l : "")).join("\n");
  return runnableBlocks(section);
}

interface Page {
  /** Path from the repository root. */
  readonly file: string;
  readonly blocks: Block[];
  /** The README section's blocks that run first (`docs-test: continues`). */
  readonly prelude: Block[];
}

function page(file: string): Page {
  const markdown = readFileSync(join(REPO, file), "utf8");
  const continues = /^<!-- docs-test: continues README\.md "(.+)" -->$/m.exec(markdown)?.[1];
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  return {
    file,
    blocks: runnableBlocks(markdown),
    prelude: continues ? sectionBlocks(readme, continues).filter((b) => !b.skip) : [],
  };
}

/** The bash lines that run `block` with its output and status in OUT/ID.out and OUT/ID.rc. */
function blockScript(block: Block, id: string, out: string, url: string): string {
  const body = block.body.replaceAll(DOCUMENTED_URL, url);
  writeFileSync(join(out, `${id}.sh`), `${body}\n`);
  if (block.readyWhen) {
    const log = `${out}/${id}.out`;
    return (
      `(source ${out}/${id}.sh) > ${log} 2>&1 & background+=($!)\n` +
      `for _ in $(seq 600); do grep -qF ${JSON.stringify(block.readyWhen)} ${log} && break; sleep 0.1; done\n` +
      `grep -qF ${JSON.stringify(block.readyWhen)} ${log} && echo 0 > ${out}/${id}.rc\n`
    );
  }
  if (block.lang === "sh") {
    return `set -e; source ${out}/${id}.sh > ${out}/${id}.out 2>&1; set +e; echo 0 > ${out}/${id}.rc\n`;
  }
  const commands = body
    .split("\n")
    .filter((l) => l.startsWith("$ "))
    .map((l) => l.slice(2));
  writeFileSync(join(out, `${id}.sh`), `${commands.join("\n")}\n`);
  return `set +e; source ${out}/${id}.sh > ${out}/${id}.out 2>&1; echo done > ${out}/${id}.rc\n`;
}

/** Every page whose shell blocks run: the README, then docs/ in name order. */
const pages = [
  page("README.md"),
  ...readdirSync(join(REPO, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => page(`docs/${name}`))
    .filter((p) => p.blocks.length > 0),
];

describe.each(pages)("$file runs as written", ({ file, blocks, prelude }) => {
  let dir: string;
  let url: string;
  let server: ChildProcess | undefined;
  let serverLog = "";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "confn-docs-"));
    symlinkSync(join(REPO, "examples"), join(dir, "examples"));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [join(REPO, "bin/confn.js"), "serve", "--port", String(port)], {
      cwd: dir,
      // The worker port defaults to PORT + 1, which another test's process may hold: any free one
      // (the docs' workers find it through /api/info).
      env: {
        ...process.env,
        DATABASE_URL: "",
        CONFN_DATA_DIR: ".confn/data",
        CONFN_LOG_LEVEL: "warn",
        CONFN_WORKER_PORT: "0",
      },
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
    for (const block of prelude) script += blockScript(block, `prelude-${block.index}`, out, url);
    for (const block of blocks) if (!block.skip) script += blockScript(block, String(block.index), out, url);
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
    // CONFN_DOCS_TEST_KEEP=1 keeps the directory (each block's script, output and status) to debug a failure.
    if (dir && !process.env.CONFN_DOCS_TEST_KEEP) rmSync(dir, { recursive: true, force: true });
  });

  if (file === "README.md") {
    it("has runnable blocks, and skips only with a reason", () => {
      expect(blocks.filter((b) => !b.skip).length).toBeGreaterThan(5);
      expect(blocks.filter((b) => b.lang === "console").length).toBeGreaterThan(1);
    });
  }

  if (prelude.length > 0) {
    it("runs the README section it continues", () => {
      for (const block of prelude) {
        const base = join(dir, ".docs-test", `prelude-${block.index}`);
        const output = existsSync(`${base}.out`) ? readFileSync(`${base}.out`, "utf8") : "(did not run)";
        expect(existsSync(`${base}.rc`), `README.md:${block.line} failed here; its output:\n${output}`).toBe(
          true,
        );
      }
    });
  }

  for (const block of blocks) {
    const title = `block at ${file}:${block.line} (${block.lang})`;
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

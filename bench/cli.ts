// `npm run bench -- cli`: what a CLI call costs to start, against bare node measured in the same run
// (issue 16 §1). Each command runs ROUNDS times; the fastest run counts (the least disturbed by other
// work on a shared machine). Targets: `confn do` on a one-document file ≤ 5x `node -e 0`, and
// `confn --help` ≤ 3x. The compiled dist/ is what `confn` runs after `npm ci` (the `prepare` build);
// the run through the TypeScript loader is printed for comparison.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROUNDS = 7;
const root = fileURLToPath(new URL("..", import.meta.url));
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: web
        image: nginx:1.25
`;

function fastest(args: string[]): number {
  let best = Infinity;
  for (let i = 0; i < ROUNDS; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) {
      throw new Error(`node ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    }
    best = Math.min(best, ms);
  }
  return best;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "confn-bench-cli-"));
  try {
    const file = join(dir, "web.yaml");
    writeFileSync(file, DEPLOYMENT);
    const build = spawnSync("npm", ["run", "build"], { cwd: root, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
    const main = join(root, "dist", "src", "cli", "main.js");
    const node = fastest(["-e", "0"]);
    const rows: [string, number, number | undefined][] = [
      ["node -e 0 (baseline)", node, undefined],
      ["confn --help", fastest([main, "--help"]), 3],
      ["confn do web.yaml set-replicas 3", fastest([main, "do", file, "set-replicas", "3"]), 5],
      [
        "  the same through the TypeScript loader",
        fastest(["--import", "tsx", join(root, "src", "cli", "main.ts"), "do", file, "set-replicas", "3"]),
        undefined,
      ],
    ];
    console.log(`fastest of ${ROUNDS} runs, wall clock`);
    for (const [name, ms, target] of rows) {
      const ratio = ms / node;
      const verdict =
        target === undefined
          ? ""
          : ratio <= target
            ? `  (target ≤ ${target}x: met)`
            : `  (target ≤ ${target}x: NOT met)`;
      console.log(
        `${name.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  ${ratio.toFixed(1).padStart(5)}x${verdict}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

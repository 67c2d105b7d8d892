// `npm run bench -- cli`: what a CLI call costs to start, against bare node measured in the same run
// (issue 16 §1). Each command runs ROUNDS times through bin/confn.js, as a user runs it; the targets
// are on CPU time (user + system, the mean over the rounds, read from /proc/self/stat's children
// times on Linux): `confn do` on a one-document file ≤ 5x `node -e 0`, and `confn --help` ≤ 3x. The
// fastest wall-clock run is printed beside it. The build is fresh, so bin/confn.js runs dist/ (what
// `confn` runs after `npm ci`); the run through the TypeScript loader is printed for comparison.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

/** CPU ms (user + system) of this process's waited-for children so far; undefined off Linux. */
function childrenCpuMs(): number | undefined {
  try {
    // Fields after the parenthesised command name; cutime and cstime are the 16th and 17th fields.
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

interface Cost {
  readonly wallMs: number;
  readonly cpuMs: number | undefined;
}

function measure(args: string[]): Cost {
  let best = Infinity;
  const cpuBefore = childrenCpuMs();
  for (let i = 0; i < ROUNDS; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) {
      throw new Error(`node ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    }
    best = Math.min(best, ms);
  }
  const cpuAfter = childrenCpuMs();
  const cpuMs =
    cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / ROUNDS;
  return { wallMs: best, cpuMs };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "confn-bench-cli-"));
  try {
    const file = join(dir, "web.yaml");
    writeFileSync(file, DEPLOYMENT);
    const build = spawnSync("npm", ["run", "build"], { cwd: root, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
    const bin = join(root, "bin", "confn.js");
    const node = measure(["-e", "0"]);
    const rows: [string, Cost, number | undefined][] = [
      ["node -e 0 (baseline)", node, undefined],
      ["confn --help", measure([bin, "--help"]), 3],
      ["confn do web.yaml set-replicas 3", measure([bin, "do", file, "set-replicas", "3"]), 5],
      [
        "  the same through the TypeScript loader",
        measure(["--import", "tsx", join(root, "src", "cli", "main.ts"), "do", file, "set-replicas", "3"]),
        undefined,
      ],
    ];
    console.log(`CPU: mean of ${ROUNDS} runs; wall: fastest of ${ROUNDS}`);
    for (const [name, cost, target] of rows) {
      // Without /proc the targets are judged on wall-clock time.
      const [mine, base] =
        cost.cpuMs !== undefined && node.cpuMs !== undefined
          ? [cost.cpuMs, node.cpuMs]
          : [cost.wallMs, node.wallMs];
      const ratio = mine / base;
      const verdict =
        target === undefined
          ? ""
          : ratio <= target
            ? `  (target ≤ ${target}x: met)`
            : `  (target ≤ ${target}x: NOT met)`;
      const cpu = cost.cpuMs === undefined ? "     -" : cost.cpuMs.toFixed(0).padStart(6);
      console.log(
        `${name.padEnd(42)} cpu ${cpu} ms  wall ${cost.wallMs.toFixed(0).padStart(5)} ms  ${ratio.toFixed(1).padStart(5)}x${verdict}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

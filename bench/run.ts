// `npm run bench -- <name> [...]` runs bench/<name>.ts (all of them without a name). Each benchmark
// measures its own baseline in the same run and prints ratios, because these machines are shared
// and absolute numbers are noise.
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const available = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.startsWith("_"))
  .map((f) => f.slice(0, -3))
  .sort();
// Benchmark names come first; everything from the first option on belongs to the benchmarks, so
// `npm run bench -- config --units 500` works.
const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith("-"));
const wanted = firstOption === -1 ? args : args.slice(0, firstOption);
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length > 0) {
  console.error(
    `bench: unknown benchmark ${unknown.join(", ")}; available: ${available.join(", ") || "none"}`,
  );
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : available) {
  console.log(`\n== bench ${name}`);
  const mod = (await import(pathToFileURL(`${dir}${name}.ts`).href)) as {
    run?: (args: string[]) => Promise<void>;
  };
  if (typeof mod.run !== "function") throw new Error(`bench/${name}.ts must export run(args)`);
  await mod.run(process.argv.slice(2));
}

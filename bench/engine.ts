// `npm run bench -- engine [--units N] [--rounds N]`: generated ~1 KB three-resource Units through the
// engine's pipeline [set-image, set-replicas, set-label] (parse once, three functions with atomicity,
// change detection and mutation diffs, serialise once), against the plain `yaml` baseline doing the
// same three edits with parse + setIn + toString, on the same Units in the same run.
// Targets (issue): >= 1,000 Units/s on one core, and engine time <= 1.5x baseline time.
import { isDeepStrictEqual } from "node:util";
import { parseAllDocuments } from "yaml";
import type { Document } from "yaml";
import { standardFunctions } from "../functions/index.ts";
import { FunctionRegistry, execute } from "../src/engine/index.ts";
import type { FunctionInvocation } from "../src/engine/index.ts";
import { generateUnits } from "./_generate.ts";
import { run as runValidateScenario } from "./validate.ts";

const IMAGE = "registry.example.com/bumped:2.0.0";
const REPLICAS = 4;
const LABEL = ["environment", "production"] as const;

const PIPELINE: FunctionInvocation[] = [
  { FunctionName: "set-image", Arguments: [{ Value: "app" }, { Value: IMAGE }] },
  { FunctionName: "set-replicas", Arguments: [{ Value: String(REPLICAS) }] },
  { FunctionName: "set-label", Arguments: [{ Value: LABEL[0] }, { Value: LABEL[1] }] },
];

/** `--name N` or `--name=N`. */
function option(args: string[], name: string, fallback: number): number {
  const joined = args.find((a) => a.startsWith(`--${name}=`));
  const at = args.indexOf(`--${name}`);
  const text = joined !== undefined ? joined.slice(name.length + 3) : at >= 0 ? args[at + 1] : undefined;
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`bench engine: --${name} must be a positive integer`);
  return value;
}

/** The same three edits with the `yaml` Document API: the cost of doing the job without the engine. */
function baselineUnit(text: string): string {
  const documents = parseAllDocuments(text) as Document.Parsed[];
  for (const document of documents) {
    if (document.get("kind") === "Deployment") {
      const containers = document.getIn(["spec", "template", "spec", "containers"]) as {
        items: { get(key: string): unknown; set(key: string, value: unknown): void }[];
      };
      for (const container of containers.items) {
        if (container.get("name") === "app") container.set("image", IMAGE);
      }
      document.setIn(["spec", "replicas"], REPLICAS);
    }
    document.setIn(["metadata", "labels", LABEL[0]], LABEL[1]);
  }
  // Documents that had a `---` line print it themselves.
  return documents
    .map((d, i) => {
      const text = d.toString();
      return i === 0 || text.startsWith("---") ? text : `---\n${text}`;
    })
    .join("");
}

/** Timed runs keep only a byte count, so peak RSS reflects the work and not a list of results. */
function baseline(units: readonly string[]): number {
  let bytes = 0;
  for (const unit of units) bytes += baselineUnit(unit).length;
  return bytes;
}

async function engineUnit(registry: FunctionRegistry, unit: string): Promise<string> {
  const result = await execute({ registry, configData: unit, invocations: PIPELINE });
  if (!result.success) throw new Error(`bench engine: pipeline failed: ${result.errorMessages.join("; ")}`);
  return result.configData;
}

async function viaEngine(registry: FunctionRegistry, units: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const unit of units) bytes += (await engineUnit(registry, unit)).length;
  return bytes;
}

async function time(fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const yamlData = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as unknown);

export async function run(args: string[]): Promise<void> {
  const count = option(args, "units", 10_000);
  const rounds = option(args, "rounds", 3);
  const registry = FunctionRegistry.from(standardFunctions);
  const missing = PIPELINE.map((i) => i.FunctionName).filter((n) => !registry.lookup("Kubernetes/YAML", n));
  if (missing.length > 0) {
    console.log(`bench engine: not run, the standard library does not register ${missing.join(", ")} yet`);
    return;
  }
  const units = generateUnits(count);
  const averageBytes = Math.round(units.reduce((n, u) => n + u.length, 0) / units.length);

  // Both paths must do the same job, or the ratio means nothing.
  for (const [i, unit] of units.slice(0, 20).entries()) {
    if (!isDeepStrictEqual(yamlData(await engineUnit(registry, unit)), yamlData(baselineUnit(unit)))) {
      throw new Error(`bench engine: engine and baseline disagree on unit ${i}`);
    }
  }

  // Warm up (JIT, grammar compilation), then alternate the two and keep each one's best round.
  const warm = units.slice(0, Math.min(500, count));
  await viaEngine(registry, warm);
  baseline(warm);
  let best = { engine: Infinity, baseline: Infinity };
  for (let round = 0; round < rounds; round++) {
    best = {
      baseline: Math.min(best.baseline, await time(() => baseline(units))),
      engine: Math.min(best.engine, await time(() => viaEngine(registry, units))),
    };
  }
  const rate = (seconds: number) => Math.round(count / seconds);
  const ratio = best.engine / best.baseline;
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(
    `units: ${count} (~${averageBytes} bytes, 3 resources each), best of ${rounds} rounds, one core`,
  );
  console.log(`baseline yaml parse + 3 edits + toString:          ${rate(best.baseline)} units/s`);
  console.log(
    `engine [set-image, set-replicas, set-label]:         ${rate(best.engine)} units/s (target >= 1000: ${rate(best.engine) >= 1000 ? "met" : "NOT met"})`,
  );
  console.log(
    `ratio (engine time / baseline time): ${ratio.toFixed(3)} (target <= 1.5: ${ratio <= 1.5 ? "met" : "NOT met"})`,
  );
  console.log(`peak RSS: ${peakRssMiB} MiB`);

  // The engine benchmark also carries the validate scenario (Function library II): 1,000 resources
  // through schema validation, reported as resources/s against its own baseline.
  console.log("\nvalidate scenario (bench/validate.ts):");
  await runValidateScenario();
}

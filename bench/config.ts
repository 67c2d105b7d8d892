// `npm run bench -- config [--units N] [--rounds N]`: parse + one edit + serialise per Unit through
// the config layer, against the plain `yaml` Document API doing parse + setIn + toString on the
// same Units in the same run. Target: ratio (config time / baseline time) <= 1.0.
import { isDeepStrictEqual } from "node:util";
import { parseAllDocuments } from "yaml";
import { parseConfig } from "../src/config/index.ts";
import { generateUnits } from "./_generate.ts";

const imagePath = "spec.template.spec.containers.0.image";
const imageKeys = ["spec", "template", "spec", "containers", 0, "image"];

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(`--${name}`);
  const value = at >= 0 ? Number(args[at + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`bench config: --${name} must be a positive integer`);
  return value;
}

function configUnit(unit: string, i: number): string {
  const set = parseConfig(unit);
  set.documents[0]!.set(imagePath, `registry.example.com/bumped:${i}`);
  return set.toString();
}

function baselineUnit(unit: string, i: number): string {
  const documents = parseAllDocuments(unit);
  if (!Array.isArray(documents)) throw new Error("expected a document list");
  documents[0]!.setIn(imageKeys, `registry.example.com/bumped:${i}`);
  // A document that had a `---` line prints it itself; only the others need a separator.
  return documents.reduce((text, d, at) => {
    const printed = d.toString();
    return text + (at === 0 || printed.startsWith("---") ? printed : `---\n${printed}`);
  }, "");
}

/** Timed runs keep only a byte count, so the work is not optimised away and no results pile up. */
function bytesOf(units: readonly string[], edit: (unit: string, i: number) => string): number {
  let bytes = 0;
  for (let i = 0; i < units.length; i++) bytes += edit(units[i]!, i).length;
  return bytes;
}

const viaConfig = (units: readonly string[]) => bytesOf(units, configUnit);
const viaDocumentApi = (units: readonly string[]) => bytesOf(units, baselineUnit);
const yamlData = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as unknown);

function time(fn: () => number): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export async function run(args: string[]): Promise<void> {
  const count = option(args, "units", 10_000);
  const rounds = option(args, "rounds", 3);
  const units = generateUnits(count);
  const averageBytes = Math.round(units.reduce((n, u) => n + u.length, 0) / units.length);

  // Both paths must produce the same data, or the ratio means nothing.
  for (const [i, unit] of units.slice(0, 20).entries()) {
    if (!isDeepStrictEqual(yamlData(configUnit(unit, i)), yamlData(baselineUnit(unit, i)))) {
      throw new Error(`bench config: config layer and baseline disagree on unit ${i}`);
    }
  }

  // Warm up both paths (JIT, grammar compilation) before measuring.
  const warm = units.slice(0, Math.min(500, count));
  viaConfig(warm);
  viaDocumentApi(warm);

  // Alternate the two so machine noise hits both; keep each one's best round.
  let best = { config: Infinity, baseline: Infinity };
  for (let round = 0; round < rounds; round++) {
    best = {
      baseline: Math.min(
        best.baseline,
        time(() => viaDocumentApi(units)),
      ),
      config: Math.min(
        best.config,
        time(() => viaConfig(units)),
      ),
    };
  }
  const rate = (seconds: number) => Math.round(count / seconds);
  console.log(`units: ${count} (~${averageBytes} bytes, 3 resources each), best of ${rounds} rounds`);
  console.log(`baseline yaml Document parse + setIn + toString: ${rate(best.baseline)} units/s`);
  console.log(`config layer parseConfig + set + toString:       ${rate(best.config)} units/s`);
  const ratio = best.config / best.baseline;
  console.log(
    `ratio (config time / baseline time): ${ratio.toFixed(3)} (target <= 1.0: ${ratio <= 1 ? "met" : "NOT met"})`,
  );
}

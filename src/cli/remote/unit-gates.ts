// After a real `function do`, the ApplyGates of the Units it wrote whose validations failed: a
// validating Trigger that fails on a write does not stop the write, it gates the Unit
// (`space/trigger/function`), and the report should say so rather than leave "validation failed"
// next to "written" as a riddle. One list call per 100 Units (`UnitID IN (...)`, `select=ApplyGates`);
// a lookup that fails leaves the report as it was: the gates are a courtesy, never an error of their own.
import type { ReportUnit } from "../output/run-report.ts";
import type { ConfnClient } from "./http-client.ts";
import type { InvokeElement } from "./invoke-response.ts";
import { entitiesOf } from "./slug-resolution.ts";

/** Units per list call: keeps the `where` of one call short. */
const UNITS_PER_CALL = 100;

/** The keys of a wire Unit's ApplyGates that are set (`space/trigger/function`), sorted. */
export function gateKeys(unit: Readonly<Record<string, unknown>>): string[] {
  const map = unit.ApplyGates;
  if (typeof map !== "object" || map === null) return [];
  return Object.entries(map)
    .filter(([, on]) => on === true)
    .map(([key]) => key)
    .sort();
}

/** Each Unit's ApplyGates keys, by UnitID (Units without gates are absent); undefined when the lookup failed. */
export async function applyGatesOf(
  client: ConfnClient,
  unitIds: readonly string[],
): Promise<Map<string, string[]> | undefined> {
  const gates = new Map<string, string[]>();
  try {
    for (let start = 0; start < unitIds.length; start += UNITS_PER_CALL) {
      const ids = unitIds.slice(start, start + UNITS_PER_CALL);
      // UnitIDs come from the server's own response: UUIDs, nothing to quote.
      const list = await client.get<Record<string, Record<string, unknown>>[] | null>(
        "/unit",
        "the gates of the units written",
        { where: `UnitID IN (${ids.map((id) => `'${id}'`).join(", ")})`, select: "ApplyGates" },
      );
      for (const unit of entitiesOf(list, "Unit")) {
        const keys = gateKeys(unit);
        if (keys.length > 0) gates.set(String(unit.UnitID), keys);
      }
    }
  } catch {
    return undefined;
  }
  return gates;
}

/**
 * The report's Units (one per element, in order) with the ApplyGates of those written with a failed
 * validation; the same Units when there are none or the lookup failed.
 */
export async function withApplyGates(
  client: ConfnClient,
  elements: readonly InvokeElement[],
  units: readonly ReportUnit[],
): Promise<readonly ReportUnit[]> {
  const gatedMaybe = (unit: ReportUnit) => unit.written && unit.validations.some((v) => !v.passed);
  const ids = units.flatMap((unit, i) => (gatedMaybe(unit) ? [elements[i]!.UnitID] : []));
  if (ids.length === 0) return units;
  const gates = await applyGatesOf(client, ids);
  if (!gates) return units;
  return units.map((unit, i) => {
    const keys = gatedMaybe(unit) ? gates.get(elements[i]!.UnitID) : undefined;
    return keys ? { ...unit, gates: keys } : unit;
  });
}

// Drives every case of ConfigHub's fctl conformance suite through our engine and printer and compares
// with the golden as data: SUCCESS, error messages, CONFIGDATA as YAML data (plus every comment the
// golden has), OUTPUT as JSON data (or YAML data for a YAML payload). Cases whose functions are not
// registered yet are reported as pending, by name; reviewed deviations are in ./deviations.ts and
// docs/deviations.md.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { localRegistry } from "../../src/cli/commands/do.ts";
import { outputData, yamlComments, yamlData } from "./compare.ts";
import { deviationFor, deviations } from "./deviations.ts";
import { CONFORMANCE_DIR, loadCases, pendingReason, readGolden, runCase, toolchainOf } from "./fctl-cases.ts";
import { parsePrinted } from "./golden.ts";

const registry = localRegistry();
const cases = loadCases();
const pending = cases
  .map((c) => ({ golden: c.golden, reason: pendingReason(c, registry) }))
  .filter((p): p is { golden: string; reason: string } => p.reason !== undefined);

function sameComments(a: string, b: string): boolean {
  return isDeepStrictEqual(yamlComments(a).sort(), yamlComments(b).sort());
}

describe("fctl conformance (../shared/conformance/confighub-fctl)", () => {
  afterAll(() => {
    const byReason = new Map<string, string[]>();
    for (const p of pending) {
      byReason.set(p.reason, [...(byReason.get(p.reason) ?? []), p.golden.replace(/\.(txt|yaml)$/, "")]);
    }
    const details = [...byReason].map(([reason, names]) => `${names.join(", ")} (${reason})`).join("; ");
    console.info(
      `fctl conformance: ${cases.length - pending.length} of ${cases.length} cases run, ${pending.length} pending` +
        (pending.length > 0 ? `: ${details}` : ""),
    );
  });

  for (const c of cases) {
    const reason = pendingReason(c, registry);
    if (reason) {
      it.todo(`${c.golden} — pending: ${reason}`);
      continue;
    }
    it(c.golden, async () => {
      const dataOnly = c.flags["data-only"] === true;
      const { printed, input } = await runCase(c, registry);
      const golden = parsePrinted(readGolden(c), dataOnly);
      const ours = parsePrinted(printed, dataOnly);

      expect(ours.success, "SUCCESS").toBe(golden.success);
      if (golden.errorMessages) expect(ours.errorMessages, "ERRORMESSAGES").toEqual(golden.errorMessages);

      if (!dataOnly) {
        const goldenOnlyReformatted =
          golden.configData !== undefined &&
          isDeepStrictEqual(yamlData(golden.configData), yamlData(input)) &&
          sameComments(golden.configData, input);
        if (goldenOnlyReformatted) {
          // Design §9: fctl re-serialised unchanged data; we leave the bytes untouched.
          expect(ours.configData, "untouched data must not be reprinted").toBeUndefined();
        } else {
          expect(ours.configData !== undefined, "CONFIGDATA printed").toBe(golden.configData !== undefined);
        }
      }
      const goldenData = golden.configData ?? input;
      const ourData = ours.configData ?? input;
      // A native toolchain's data is not YAML: fctl wrote it back line for line, and so must we.
      if (toolchainOf(c) !== "Kubernetes/YAML")
        expect(ourData, "native CONFIGDATA, byte for byte").toBe(goldenData);
      expect(yamlData(ourData), "CONFIGDATA as data").toEqual(yamlData(goldenData));
      const ourComments = yamlComments(ourData);
      for (const comment of yamlComments(goldenData)) expect(ourComments, "comments kept").toContain(comment);

      expect(ours.output !== undefined, "OUTPUT printed").toBe(golden.output !== undefined);
      if (golden.output !== undefined && ours.output !== undefined) {
        const expected = outputData(golden.output);
        const actual = outputData(ours.output);
        const deviation = deviationFor(c.golden);
        if (deviation) {
          expect(actual, `deviation for ${c.golden} is no longer needed: remove it`).not.toEqual(expected);
          expect(deviation.normalizeOutput(actual), "OUTPUT (intended deviation)").toEqual(
            deviation.normalizeOutput(expected),
          );
        } else {
          expect(actual, "OUTPUT as data").toEqual(expected);
        }
      }
    });
  }

  it("reads every golden back into its sections", () => {
    for (const c of cases) {
      const golden = parsePrinted(readGolden(c), c.flags["data-only"] === true);
      if (c.flags["data-only"] !== true) expect(golden.success, c.golden).toBe(true);
      if (golden.configData !== undefined)
        expect(yamlData(golden.configData).length, c.golden).toBeGreaterThan(0);
      if (golden.output !== undefined) expect(() => outputData(golden.output!), c.golden).not.toThrow();
    }
  });

  it("lists only deviations that name a case and an item of design §9", () => {
    const design = readFileSync(join(CONFORMANCE_DIR, "../../design.md"), "utf8");
    const section9 = design.slice(design.indexOf("## 9."), design.indexOf("## 10."));
    for (const deviation of deviations) {
      expect(
        cases.some((c) => c.golden === deviation.golden),
        deviation.golden,
      ).toBe(true);
      expect(section9, `${deviation.golden}: design §9 item`).toContain(deviation.designItem);
    }
  });
});

// Every code of every error catalogue is documented in docs/errors.md, with its family, and every
// documented code exists (in the style of fastify's test of its error catalogue against its docs).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { apiErrorCodes } from "../../src/api/errors.ts";
import { remoteErrorCodes } from "../../src/cli/remote/remote-error.ts";
import { ConfigErrorCode } from "../../src/config/index.ts";
import { engineErrorCodes } from "../../src/engine/index.ts";
import { FilterErrorCode } from "../../src/filter/index.ts";
import { invokeErrorCodes } from "../../src/invoke/index.ts";
import { storeErrorCodes } from "../../src/store/index.ts";
import { workerErrorCodes } from "../../src/worker/index.ts";

const catalogues: Record<string, readonly string[]> = {
  config: Object.values(ConfigErrorCode),
  filter: Object.values(FilterErrorCode),
  engine: engineErrorCodes,
  store: storeErrorCodes,
  invoke: invokeErrorCodes,
  api: apiErrorCodes,
  cli: remoteErrorCodes,
  worker: workerErrorCodes,
};

const docs = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");

/** `| \`CODE\` | family | meaning | status |` rows of the code table. */
function documented(): { code: string; family: string; meaning: string; status: string }[] {
  return [...docs.matchAll(/^\| `([^`]+)` \| (\w+) \| (.*) \| (.*) \|$/gm)].map(
    ([, code, family, meaning, status]) => ({
      code: code!,
      family: family!,
      meaning: meaning!,
      status: status!,
    }),
  );
}

describe("docs/errors.md", () => {
  it("lists every family's catalogue, in order, with nothing missing and nothing extra", () => {
    const rows = documented();
    for (const [family, codes] of Object.entries(catalogues)) {
      expect(
        rows.filter((row) => row.family === family).map((row) => row.code),
        `family ${family}`,
      ).toEqual([...codes]);
    }
    expect(new Set(rows.map((row) => row.family))).toEqual(new Set(Object.keys(catalogues)));
  });

  it("gives each code a meaning and a typical status, once per family", () => {
    const rows = documented();
    for (const row of rows) {
      expect(row.meaning.trim(), row.code).not.toBe("");
      expect(row.status.trim(), row.code).not.toBe("");
    }
    const keys = rows.map((row) => `${row.family}/${row.code}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("spells every code in UPPER_SNAKE_CASE", () => {
    for (const codes of Object.values(catalogues)) {
      for (const code of codes) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    }
  });
});

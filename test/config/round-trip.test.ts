import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CST } from "yaml";
import { parseConfig } from "../../src/config/index.ts";
import { defaultParseLimits } from "../../src/config/parse/limits.ts";
import { parseUnit } from "../../src/config/parse/parse-unit.ts";
import { hardCases } from "./hard-cases.ts";

const conformance = new URL("../../../shared/conformance/confighub-fctl/", import.meta.url);
const corpus = ["test-data/", "golden-output/"].flatMap((dir) =>
  readdirSync(new URL(dir, conformance))
    .filter((name) => name.endsWith(".yaml"))
    .map((name) => [dir + name, readFileSync(new URL(dir + name, conformance), "utf8")] as const),
);

describe("lossless round trip", () => {
  it("covers the whole conformance test-data corpus", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(20);
  });

  it.each(corpus)("corpus file %s is byte-identical after parse + serialise", (_name, text) => {
    expect(parseConfig(text).toString()).toBe(text);
  });

  it.each(Object.entries(hardCases))(
    "hard case %s is byte-identical after parse + serialise",
    (_name, text) => {
      expect(parseConfig(text).toString()).toBe(text);
    },
  );

  it.each(Object.entries(hardCases))("hard case %s survives a clone unchanged", (_name, text) => {
    const set = parseConfig(text);
    expect(set.clone().toString()).toBe(text);
  });

  it.each([...corpus, ...Object.entries(hardCases)])(
    "%s: each document's remembered text is exactly its CST text",
    (_name, text) => {
      for (const slot of parseUnit(text, defaultParseLimits).slots) {
        expect(slot.state.text()).toBe(CST.stringify(slot.state.token));
      }
    },
  );

  it("joins per-document texts back into the unit text for documents without hidden neighbours", () => {
    const text = "apiVersion: v1\nkind: A\n---\napiVersion: v1\nkind: B\n";
    const set = parseConfig(text);
    expect(set.documents.map((d) => d.toString())).toEqual([
      "apiVersion: v1\nkind: A\n",
      "apiVersion: v1\nkind: B\n",
    ]);
  });
});

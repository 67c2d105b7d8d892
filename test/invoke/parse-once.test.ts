// With a `where_data` condition, each Unit's data is parsed at most once per invocation: the
// database's pre-filter leaves out Units that cannot match without reading them, and the data check
// hands its parsed documents to the engine, which runs the functions on them instead of parsing the
// text again. The result is the same as without the condition.
import type { Readable } from "node:stream";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import type * as ParseConfigModule from "../../src/config/parse-config.ts";
import { FunctionRegistry } from "../../src/engine/index.ts";
import { invokeFunctions, invokeRequest, type InvokeRequestInit } from "../../src/invoke/index.ts";
import type { Database } from "../../src/store/database.ts";
import { createSpace } from "../../src/store/spaces.ts";
import { createUnit } from "../../src/store/units.ts";
import { createTestOrganization, testDatabases } from "../support/databases.ts";

const parsed = vi.hoisted(() => ({ texts: [] as string[] }));

vi.mock("../../src/config/parse-config.ts", async (importOriginal) => {
  const original = await importOriginal<typeof ParseConfigModule>();
  return {
    ...original,
    parseConfig: (...args: Parameters<typeof original.parseConfig>) => {
      parsed.texts.push(args[0]);
      return original.parseConfig(...args);
    },
  };
});

const functions = FunctionRegistry.from(standardFunctions);
const writer = { userId: null, userAgent: "parse-once.test" };

const deployment = (name: string, replicas: number) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${replicas} # keep\n`;

async function drain(body: Readable): Promise<{ UnitSlug: string; ConfigData: string }[]> {
  let text = "";
  for await (const chunk of body) text += String(chunk);
  return JSON.parse(text) as { UnitSlug: string; ConfigData: string }[];
}

describe.each(testDatabases())("parsing Unit data once per invocation on $name", (target) => {
  let database: Database;
  let organizationId: string;
  const data = new Map<string, string>();

  beforeAll(async () => {
    database = await target.open();
    const { db } = database;
    organizationId = (await createTestOrganization(db, "parse-once")).organizationId;
    const common = { displayName: "", labels: {}, annotations: {}, deleteGates: {} };
    const space = await createSpace(db, organizationId, { slug: "apps", ...common });
    for (const [slug, replicas] of [
      ["one", 1],
      ["two", 2],
      ["three", 1],
    ] as const) {
      data.set(slug, deployment(slug, replicas));
      const attributes = { slug, ...common, destroyGates: {}, lastChangeDescription: "" };
      await createUnit(
        db,
        organizationId,
        space.space_id,
        { attributes, toolchainType: "Kubernetes/YAML", data: data.get(slug)! },
        writer,
      );
    }
  });

  async function run(init: Omit<InvokeRequestInit, "organizationId">) {
    parsed.texts.length = 0;
    const request = invokeRequest({
      organizationId,
      dryRun: true,
      invocations: [{ FunctionName: "set-replicas", Arguments: [{ Value: 5 }] }],
      ...init,
    });
    const response = await invokeFunctions({ db: database.db, functions }, request, writer);
    return drain(response.body);
  }

  it("parses each selected Unit's data once, and the functions still change only their lines", async () => {
    const elements = await run({ whereData: "spec.replicas = 1" });
    expect(elements.map((e) => e.UnitSlug).sort()).toEqual(["one", "three"]);
    for (const element of elements) {
      expect(Buffer.from(element.ConfigData, "base64").toString()).toBe(
        data.get(element.UnitSlug)!.replace("replicas: 1", "replicas: 5"),
      );
    }
    // The database's pre-filter (the stored JSONB copy) leaves "two" out unread; the Units it lets
    // through are parsed once for the exact condition, and the two that match are not parsed again.
    expect(parsed.texts.sort()).toEqual([data.get("one"), data.get("three")].sort());
  });
});

// Bounded memory for large invocations: Units stream from the database in keyset batches (and a
// regex filter is resolved up front, by ID), run with bounded concurrency in unit_id order, and the
// response spills to a temporary file past its memory limit, which is removed once sent.
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import type { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import { readInvokeRequest } from "../../src/api/routes/invoke-request.ts";
import { invokeFunctions, ResponseSpool } from "../../src/invoke/index.ts";
import { FunctionRegistry } from "../../src/engine/index.ts";
import type { Database } from "../../src/store/database.ts";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import { call, createSpace, createUnit, dataOf, deployment, expectInvokeContract } from "./invoke-support.ts";

async function text(stream: Readable): Promise<string> {
  let out = "";
  for await (const chunk of stream) out += String(chunk);
  return out;
}

const spoolDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith("confn-invoke-"));

describe("ResponseSpool", () => {
  it("keeps small responses in memory and spills large ones to a file it removes after sending", async () => {
    const small = new ResponseSpool();
    await small.add({ a: 1 });
    await small.add({ b: "two" });
    expect(small.spilled).toBe(false);
    expect(JSON.parse(await text(await small.body()))).toEqual([{ a: 1 }, { b: "two" }]);

    const before = spoolDirs().length;
    const large = new ResponseSpool({ memoryLimitBytes: 64 });
    const elements = Array.from({ length: 50 }, (_, i) => ({ index: i, padding: "x".repeat(i) }));
    for (const element of elements) await large.add(element);
    expect(large.spilled).toBe(true);
    expect(spoolDirs().length).toBe(before + 1);
    expect(JSON.parse(await text(await large.body()))).toEqual(elements);
    await new Promise((resolve) => setImmediate(resolve));
    expect(spoolDirs().length).toBe(before);

    const discarded = new ResponseSpool({ memoryLimitBytes: 1 });
    await discarded.add({ a: 1 });
    await discarded.discard();
    expect(spoolDirs().length).toBe(before);
    expect(JSON.parse(await text(await new ResponseSpool().body()))).toEqual([]);
  });
});

describe.each(testDatabases())("streamed invocations on $name", (target) => {
  let database: Database;
  let t: TestApp;
  const functions = FunctionRegistry.from(standardFunctions);
  const writer = { userId: null, userAgent: "invoke-stream.test" };

  beforeAll(async () => {
    database = await target.open();
    t = await buildTestApp(database);
    const one = await createSpace(t, "stream-a");
    const two = await createSpace(t, "stream-b");
    for (let i = 0; i < 25; i++) {
      await createUnit(t, i % 2 === 0 ? one : two, `u-${String(i).padStart(2, "0")}`, deployment(`app-${i}`));
    }
    return () => t.close();
  });

  async function run(query: Record<string, string>) {
    const request = readInvokeRequest(t.org.organizationId, {}, query, {
      FunctionInvocations: [call("set-image", "main", "nginx:1.27")],
    });
    // Batches of 3, 2 Units at a time, a response that spills after 1 byte: every path of the stream.
    const response = await invokeFunctions(
      { db: database.db, functions, batchSize: 3, concurrency: 2, spoolMemoryBytes: 1 },
      request,
      writer,
    );
    const body = JSON.parse(await text(response.body));
    expectInvokeContract(body);
    return { response, body };
  }

  it("runs every selected Unit across batches, in unit_id order", async () => {
    const { response, body } = await run({ dry_run: "true" });
    expect(response.status).toBe(200);
    expect(body).toHaveLength(25);
    const ids = body.map((e) => e.UnitID);
    expect(ids).toEqual([...ids].sort());
    for (const element of body) expect(dataOf(element)).toContain("image: nginx:1.27");
  });

  it("resolves a regex `where` up front and streams the matching Units by ID", async () => {
    const { body } = await run({ dry_run: "true", where: "Slug ~ '^u-1[0-9]$'" });
    expect(body.map((e) => e.UnitSlug).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `u-1${i}`));
  });

  it("writes each changed Unit once, batch after batch", async () => {
    const { response, body } = await run({ where: "Slug LIKE 'u-2%'" });
    expect(response.status).toBe(200);
    expect(body.map((e) => e.UnitSlug).sort()).toEqual(["u-20", "u-21", "u-22", "u-23", "u-24"]);
    const heads = await database.db
      .selectFrom("units")
      .select(["slug", "head_revision_num"])
      .where("organization_id", "=", t.org.organizationId)
      .where("slug", "like", "u-2%")
      .execute();
    expect(heads.every((u) => u.head_revision_num === 2)).toBe(true);
  });
});

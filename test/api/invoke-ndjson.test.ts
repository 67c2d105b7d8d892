// The streamed invoke answer (Accept: application/x-ndjson): the same elements as the JSON array, one
// per line, then a Summary line with the array's status and the counts; a request that is wrong
// before any Unit runs keeps its 4xx; a client that disconnects stops the call, in either mode (and
// the array mode's spool file is removed).
import { request as httpRequest, type ClientRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { beforeAll, describe, expect, it } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import { readInvokeRequest } from "../../src/api/routes/invoke-request.ts";
import { defineFunction, FunctionError, FunctionRegistry } from "../../src/engine/index.ts";
import { invokeFunctions } from "../../src/invoke/index.ts";
import type { Database } from "../../src/store/database.ts";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import {
  call,
  createSpace,
  createUnit,
  deployment,
  expectInvokeContract,
  invoke,
  type ResponseElement,
} from "./invoke-support.ts";

const NDJSON = { accept: "application/x-ndjson" };

/** `hold`: the first call returns at once, every later one waits until the test opens the gate. */
class Gate {
  calls = 0;
  /** Which run this is: `hold` stamps it, so every run changes the data it reaches. */
  generation = 0;
  private open!: () => void;
  private opened = new Promise<void>((resolve) => (this.open = resolve));
  reset(): void {
    this.calls = 0;
    this.generation++;
    this.opened = new Promise<void>((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open();
  }
  async pass(): Promise<void> {
    if (++this.calls > 1) await this.opened;
  }
}
const gate = new Gate();

const functions = FunctionRegistry.from([
  ...standardFunctions,
  defineFunction({
    toolchains: ["Kubernetes/YAML"],
    signature: {
      FunctionName: "hold",
      Description: "Waits for the test's gate, then stamps",
      Mutating: true,
    },
    async invoke({ data }) {
      await gate.pass();
      for (const doc of data.documents)
        doc.set("metadata.annotations.held", `run-${gate.generation}`, { upsert: true });
    },
  }),
  defineFunction({
    toolchains: ["Kubernetes/YAML"],
    signature: { FunctionName: "fail-odd", Description: "Fails on Deployments named odd-*", Mutating: true },
    invoke({ data }) {
      if (data.documents.some((doc) => String(doc.get("metadata.name")?.value).startsWith("odd-"))) {
        throw new FunctionError("odd Unit");
      }
    },
  }),
]);

interface Summary {
  Status: number;
  Elements: number;
  Succeeded: number;
  Failed: number;
  Error?: { Code: string; Message: string };
}

/** The element lines and the Summary of a streamed answer; every line must be complete JSON. */
function parseStream(body: string): { elements: ResponseElement[]; summary: Summary } {
  expect(body.endsWith("\n"), "every line ends with a newline").toBe(true);
  const lines = body
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const last = lines.pop() as { Summary?: Summary };
  expect(last.Summary, "the last line is the Summary").toBeDefined();
  expect(lines.every((line) => !("Summary" in line))).toBe(true);
  const elements = lines as unknown as ResponseElement[];
  expectInvokeContract(elements);
  return { elements, summary: last.Summary! };
}

const spoolDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith("confn-invoke-"));

const HELD_UNITS = 160;
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(testDatabases())("streamed invoke answer on $name", (target) => {
  let database: Database;
  let t: TestApp;
  let space: string;
  let held: string;

  beforeAll(async () => {
    database = await target.open();
    t = await buildTestApp(database, { functions });
    space = await createSpace(t, "ndjson");
    for (let i = 0; i < 12; i++) {
      const name = i % 4 === 3 ? `odd-${i}` : `app-${i}`;
      await createUnit(t, space, `u-${String(i).padStart(2, "0")}`, deployment(name));
    }
    // More Units than a writing call runs at once (2 x 64, a write batch filling while one is
    // saved), so a disconnect leaves Units that never start.
    held = await createSpace(t, "ndjson-held");
    for (let i = 0; i < HELD_UNITS; i++) await createUnit(t, held, `h-${i}`, deployment(`held-${i}`));
    await t.app.listen({ host: "127.0.0.1", port: 0 });
    return () => t.close();
  });

  const streamed = (query: Record<string, string>, invocations: unknown[], spaceId = space) =>
    t.request({
      method: "POST",
      url: `/api/space/${spaceId}/function/invoke?${new URLSearchParams(query)}`,
      body: { FunctionInvocations: invocations },
      headers: NDJSON,
    });

  it("sends the array's elements, one per line, then a Summary with its status (200)", async () => {
    const invocations = [call("set-image", "main", "nginx:1.27")];
    const array = await invoke(t, {
      spaceId: space,
      query: { dry_run: "true" },
      body: { FunctionInvocations: invocations },
    });
    expect(array.statusCode, array.body).toBe(200);
    expect(array.headers["content-type"]).toMatch(/^application\/json/);

    const response = await streamed({ dry_run: "true" }, invocations);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/x-ndjson/);
    const { elements, summary } = parseStream(response.body);
    expect(elements).toEqual(array.json());
    expect(summary).toEqual({ Status: 200, Elements: 12, Succeeded: 12, Failed: 0 });
  });

  it("answers 200 and tells 207 in the Summary when some elements failed", async () => {
    const invocations = [call("fail-odd")];
    const array = await invoke(t, {
      spaceId: space,
      query: { dry_run: "true" },
      body: { FunctionInvocations: invocations },
    });
    expect(array.statusCode).toBe(207);
    const response = await streamed({ dry_run: "true" }, invocations);
    expect(response.statusCode).toBe(200);
    const { elements, summary } = parseStream(response.body);
    expect(elements).toEqual(array.json());
    expect(elements.filter((e) => !e.Success).map((e) => e.UnitSlug)).toEqual(
      expect.arrayContaining(["u-03", "u-07", "u-11"]),
    );
    expect(summary).toEqual({ Status: 207, Elements: 12, Succeeded: 9, Failed: 3 });
  });

  it("tells in the Summary that a call failed as a whole (422: no Unit's data could be processed)", async () => {
    const broken = await createSpace(t, "ndjson-broken");
    const unit = await createUnit(t, broken, "broken", deployment("broken"));
    await database.db.updateTable("units").set({ data: "a: [" }).where("unit_id", "=", unit.UnitID).execute();
    const invocations = [call("set-replicas", 2)];
    const array = await invoke(t, {
      spaceId: broken,
      query: { dry_run: "true" },
      body: { FunctionInvocations: invocations },
    });
    expect(array.statusCode).toBe(422);

    const response = await streamed({ dry_run: "true" }, invocations, broken);
    expect(response.statusCode).toBe(200);
    const { elements, summary } = parseStream(response.body);
    expect(elements.map((e) => [e.UnitSlug, e.Success, e.Error?.Type])).toEqual([
      ["broken", false, "CONFIG_DATA_INVALID"],
    ]);
    expect(summary).toEqual({
      Status: 422,
      Elements: 1,
      Succeeded: 0,
      Failed: 1,
      Error: array.json(),
    });
  });

  it("writes as the array mode does, and an Accept without ndjson (or q=0) keeps the array", async () => {
    const response = await streamed({ where: "Slug = 'u-00'" }, [call("set-replicas", 3)]);
    const { elements, summary } = parseStream(response.body);
    expect(summary.Status).toBe(200);
    expect(elements.map((e) => e.UnitSlug)).toEqual(["u-00"]);
    const unit = await database.db
      .selectFrom("units")
      .select(["head_revision_num", "data"])
      .where("unit_id", "=", elements[0]!.UnitID)
      .executeTakeFirstOrThrow();
    expect(unit.head_revision_num).toBe(2);
    expect(unit.data).toContain("replicas: 3");

    for (const accept of ["application/json", "application/x-ndjson;q=0, application/json", "*/*"]) {
      const plain = await t.request({
        method: "POST",
        url: `/api/space/${space}/function/invoke?dry_run=true&where=${encodeURIComponent("Slug = 'u-01'")}`,
        body: { FunctionInvocations: [call("set-replicas", 2)] },
        headers: { accept },
      });
      expect(plain.headers["content-type"], accept).toMatch(/^application\/json/);
      expect(plain.json()).toHaveLength(1);
    }
  });

  it("answers a request that is wrong before any Unit ran with its status, as the array mode does", async () => {
    const unknown = await streamed({ dry_run: "true" }, [call("no-such-function")]);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers["content-type"]).toMatch(/^application\/json/);
    expect(unknown.json().Message).toContain("no-such-function");

    const badWhere = await streamed({ dry_run: "true", where: "Slug = " }, [call("set-replicas", 2)]);
    expect(badWhere.statusCode).toBe(400);
    expect(badWhere.json().Message).toContain("querystring/where");

    const missing = await streamed(
      { dry_run: "true" },
      [call("set-replicas", 2)],
      "00000000-0000-4000-8000-000000000000",
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ Code: "404" });
  });

  /** POSTs over a real socket; resolves with the request once `ready` says enough was seen. */
  function post(
    query: string,
    headers: Record<string, string>,
    onData: (text: string) => void,
    onResponse: (response: IncomingMessage) => void = () => undefined,
  ): ClientRequest {
    const { port } = t.app.server.address() as AddressInfo;
    const body = JSON.stringify({ FunctionInvocations: [call("hold")] });
    const request = httpRequest({
      host: "127.0.0.1",
      port,
      method: "POST",
      path: `/api/space/${held}/function/invoke?${query}`,
      headers: {
        ...headers,
        authorization: `Bearer ${t.org.tokens.admin}`,
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
      },
    });
    request.on("response", (response) => {
      onResponse(response);
      response.on("data", (chunk) => onData(String(chunk)));
    });
    request.on("error", () => undefined);
    request.end(body);
    return request;
  }

  /** Waits (up to 20 s) until every Unit that ran has been written, then a little longer. */
  const writesSettle = async (before: number) => {
    const deadline = Date.now() + 20_000;
    while ((await headRevisions()) - before < gate.calls && Date.now() < deadline) await settle(50);
    await settle(200);
  };

  /** Revisions written in the held Space so far (each write adds one). */
  const headRevisions = async () => {
    const rows = await database.db
      .selectFrom("units")
      .select("head_revision_num")
      .where("space_id", "=", held)
      .execute();
    return rows.reduce((sum, row) => sum + Number(row.head_revision_num) - 1, 0);
  };

  it("answers 200 while the first Units still run (a writing call's elements wait for their batch)", async () => {
    gate.reset();
    const before = await headRevisions();
    let head: { status: number | undefined; type: string | undefined } | undefined;
    let received = "";
    const request = post(
      "",
      NDJSON,
      (text) => (received += text),
      (response) => (head = { status: response.statusCode, type: response.headers["content-type"] }),
    );
    // One Unit ran, the next waits at the gate: no element can be complete (its batch is not full).
    while (gate.calls < 2) await settle(10);
    const deadline = Date.now() + 10_000;
    while (head === undefined && Date.now() < deadline) await settle(10);
    expect(head).toEqual({ status: 200, type: "application/x-ndjson; charset=utf-8" });
    expect(received).toBe("");
    request.destroy();
    gate.release();
    await writesSettle(before);
  });

  it("stops the call when a streaming client disconnects halfway", async () => {
    gate.reset();
    const before = await headRevisions();
    const request = post("", NDJSON, () => undefined);
    // Units are running (one done, the rest at the gate): the stream has begun.
    while (gate.calls < 2) await settle(10);
    request.destroy();
    await settle(100);
    gate.release();
    await writesSettle(before);
    // The Units in flight when the client left finish, each written whole; the rest never run.
    expect(gate.calls).toBeLessThan(HELD_UNITS);
    const written = (await headRevisions()) - before;
    expect(written).toBeGreaterThanOrEqual(1);
    expect(written).toBe(gate.calls);
  });

  it("stops the call when a client of the JSON array disconnects before the answer", async () => {
    gate.reset();
    const before = await headRevisions();
    const request = post("", {}, () => undefined);
    while (gate.calls < 2) await settle(10);
    request.destroy();
    await settle(100);
    gate.release();
    await writesSettle(before);
    expect(gate.calls).toBeLessThan(HELD_UNITS);
    expect((await headRevisions()) - before).toBe(gate.calls);
  });
});

describe.each(testDatabases())("invokeFunctions with an abort signal on $name", (target) => {
  it("stops at the signal and removes the spilled spool file", async () => {
    const database = await target.open();
    const t = await buildTestApp(database, { functions });
    try {
      const space = await createSpace(t, "abort");
      for (let i = 0; i < 10; i++) await createUnit(t, space, `a-${i}`, deployment(`a-${i}`));
      const request = readInvokeRequest(
        t.org.organizationId,
        { spaceId: space },
        { dry_run: "true" },
        { FunctionInvocations: [call("hold")] },
      );
      gate.reset();
      const before = spoolDirs().length;
      const controller = new AbortController();
      const deps = { db: database.db, functions, batchSize: 2, concurrency: 1, spoolMemoryBytes: 1 };
      const pending = invokeFunctions(deps, request, { userId: null, userAgent: "test" }, controller.signal);
      // The first element spilled to the spool file; the second Unit waits at the gate.
      while (gate.calls < 2 || spoolDirs().length === before) await settle(5);
      controller.abort();
      gate.release();
      await expect(pending).rejects.toThrow(/abort/i);
      expect(gate.calls).toBe(2);
      expect(spoolDirs().length).toBe(before);
    } finally {
      await t.close();
    }
  });
});

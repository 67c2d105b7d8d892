import { beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/api/app.ts";
import { MEMORY_DATA_DIR } from "../../src/store/database-config.ts";
import { openDatabase } from "../../src/store/database.ts";
import { migrateToLatest } from "../../src/store/migrate.ts";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";

const [pglite] = testDatabases();

describe("errors and request ids", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(await pglite!.open(), { bodyLimit: 4096 });
    return () => t.close();
  });

  it("returns a fresh X-Request-Id on every response, errors included", async () => {
    const ok = await t.request({ method: "GET", url: "/api/space" });
    const unauthorized = await t.request({ method: "GET", url: "/api/space", as: "none" });
    const missing = await t.request({ method: "GET", url: "/nowhere" });
    const ids = [ok, unauthorized, missing].map((r) => r.headers["x-request-id"]);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(3);
    // A client-sent id is not adopted (it would be logged verbatim).
    const sent = await t.request({
      method: "GET",
      url: "/api/space",
      headers: { "x-request-id": "evil\nline" },
    });
    expect(sent.headers["x-request-id"]).not.toBe("evil\nline");
  });

  it("answers an unknown route with a StandardErrorResponse 404", async () => {
    const response = await t.request({ method: "GET", url: "/api/nothing?x=1" });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ Code: "404", Message: "no route GET /api/nothing" });
  });

  it("answers 413 to a body over the limit", async () => {
    const response = await t.request({
      method: "POST",
      url: "/api/space",
      body: { Slug: "big", DisplayName: "x".repeat(5000) },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({
      Code: "413",
      Message:
        "request body is larger than the limit of 4096 bytes " +
        "(a Unit's config data may be at most 16777216 bytes, 22369624 as base64)",
    });
  });

  it("answers 400 to malformed JSON and 415 to an unsupported content type", async () => {
    const malformed = await t.request({
      method: "POST",
      url: "/api/space",
      body: '{"Slug": ',
      headers: { "content-type": "application/json" },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().Message).toMatch(/^request body is not valid JSON/);
    const poisoned = await t.request({
      method: "POST",
      url: "/api/space",
      body: '{"Slug": "a", "__proto__": {"x": 1}}',
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(poisoned.statusCode).toBe(400);
    const text = await t.request({
      method: "POST",
      url: "/api/space",
      body: "Slug=a",
      headers: { "content-type": "text/plain" },
    });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toEqual({
      Code: "415",
      Message: expect.stringContaining("unsupported Content-Type"),
    });
    const empty = await t.request({
      method: "POST",
      url: "/api/space",
      body: "",
      headers: { "content-type": "application/json" },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().Code).toBe("400");
  });

  it("answers 500 naming the request id when the database fails, and /healthz says 503", async () => {
    const database = await openDatabase({ kind: "pglite", dataDir: MEMORY_DATA_DIR });
    await migrateToLatest(database);
    const app = await buildApp({ db: database.db });
    await database.close();
    try {
      const health = await app.inject({ method: "GET", url: "/healthz" });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toEqual({ Code: "503", Message: "database unreachable" });
      const response = await app.inject({
        method: "GET",
        url: "/api/space",
        headers: { authorization: `Bearer ${t.org.tokens.admin}` },
      });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({
        Code: "500",
        Message: `internal error (request ${response.headers["x-request-id"]}); the server log has the details`,
      });
    } finally {
      await app.close();
    }
  });
});

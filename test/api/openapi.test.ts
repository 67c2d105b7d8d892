import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { renderOpenApi } from "../../src/api/openapi-document.ts";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";

const committedFile = new URL("../../openapi/openapi.json", import.meta.url);

// The document does not depend on the database; one run is enough.
const [pglite] = testDatabases();

describe("OpenAPI", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(await pglite!.open());
    return () => t.close();
  });

  it("openapi/openapi.json is what the routes generate (run `npm run openapi` after changing a route)", async () => {
    expect(readFileSync(committedFile, "utf8")).toBe(await renderOpenApi(t.app));
  });

  it("is served at /openapi.json without a token", async () => {
    const response = await t.app.inject({ method: "GET", url: "/openapi.json" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(JSON.parse(readFileSync(committedFile, "utf8")));
  });

  it("documents every route with an operationId and the bearer scheme", () => {
    const document = JSON.parse(readFileSync(committedFile, "utf8"));
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    for (const [path, operations] of Object.entries(
      document.paths as Record<string, Record<string, object>>,
    )) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation, `${method} ${path}`).toHaveProperty("operationId");
      }
    }
  });

  it("serves Swagger UI at /docs from bundled assets", async () => {
    const page = await t.app.inject({ method: "GET", url: "/docs/" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    const assets = [...page.body.matchAll(/(?:src|href)="\.\/(static\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const response = await t.app.inject({ method: "GET", url: `/docs/${asset}` });
      expect(response.statusCode, asset).toBe(200);
    }
    // Nothing is fetched from a CDN.
    expect(page.body).not.toMatch(/https?:\/\/(?!localhost)[^"']+\.(js|css)/);
  });
});

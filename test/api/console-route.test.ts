// The web console's routes: `/` and /console/* serve the built page with its Content-Security-Policy
// and no token; a checkout that was never built says how to build it; nothing outside the build is
// reachable through /console/.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/api/app.ts";
import type { Database } from "../../src/store/database.ts";
import { testDatabases } from "../support/databases.ts";

const [pglite] = testDatabases();

describe("web console routes", () => {
  let database: Database;
  let built: string;

  beforeAll(async () => {
    database = await pglite!.open();
    built = mkdtempSync(join(tmpdir(), "confn-console-route-"));
    writeFileSync(join(built, "index.html"), "<!doctype html><title>console</title>");
    writeFileSync(join(built, "app.js"), "export {};\n");
  });
  afterAll(() => rmSync(built, { recursive: true, force: true }));

  it("serves the page and its assets without a token, under a strict Content-Security-Policy", async () => {
    const app = await buildApp({ db: database.db, consoleDir: built });
    try {
      const page = await app.inject({ method: "GET", url: "/" });
      expect(page.statusCode).toBe(200);
      expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(page.body).toContain("<title>console</title>");
      expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
      expect(page.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      const script = await app.inject({ method: "GET", url: "/console/app.js" });
      expect(script.statusCode).toBe(200);
      expect(script.headers["content-type"]).toContain("javascript");
      expect(script.headers["content-security-policy"]).toContain("default-src 'none'");
      // Nothing beside the build: not the package, not the parent directory.
      for (const url of ["/console/../package.json", "/console/%2e%2e/package.json", "/console/nope.js"]) {
        const response = await app.inject({ method: "GET", url });
        expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, url).toBeLessThan(500);
      }
      // Swagger UI stays at /docs, and the console adds nothing to the API document.
      expect((await app.inject({ method: "GET", url: "/docs/" })).statusCode).toBe(200);
      const paths = Object.keys((await app.inject({ method: "GET", url: "/openapi.json" })).json().paths);
      expect(paths.filter((path) => !path.startsWith("/api/") && path !== "/healthz")).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("answers / with a 503 saying how to build the console when it was never built", async () => {
    const missing = join(built, "not-built");
    const app = await buildApp({ db: database.db, consoleDir: missing });
    try {
      const response = await app.inject({ method: "GET", url: "/" });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({
        Code: "503",
        Message: `the web console is not built (no ${join(missing, "index.html")}): run npm run build`,
      });
    } finally {
      await app.close();
    }
  });
});

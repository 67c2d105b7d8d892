// `where` and `contains` on GET /api/space, GET /api/space/{space_id}/unit and GET /api/unit (PGlite,
// and PostgreSQL when configured): matches, AND-ing, organization scoping, and 400s whose message
// quotes the offending text with its column.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { b64, buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";

const DATA = b64("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n");

describe.each(testDatabases())("list filters on $name", (target) => {
  let database: Database;
  let t: TestApp;
  let prod: string;
  let staging: string;

  beforeAll(async () => {
    database = await target.open();
  });
  beforeEach(async () => {
    t = await buildTestApp(database);
    const space = async (Slug: string, Labels: Record<string, string>) => {
      const response = await t.request({ method: "POST", url: "/api/space", body: { Slug, Labels } });
      expect(response.statusCode).toBe(200);
      return response.json().SpaceID as string;
    };
    prod = await space("prod", { env: "prod" });
    staging = await space("staging", { env: "staging", team: "Payments" });
    const unit = async (
      spaceId: string,
      Slug: string,
      Labels: Record<string, string>,
      DisplayName = Slug,
    ) => {
      const response = await t.request({
        method: "POST",
        url: `/api/space/${spaceId}/unit`,
        body: { Slug, DisplayName, Labels, ToolchainType: "Kubernetes/YAML", Data: DATA },
      });
      expect(response.statusCode).toBe(200);
    };
    await unit(prod, "web", { tier: "frontend" }, "Web Frontend");
    await unit(prod, "api", { tier: "backend" });
    await unit(prod, "db", { tier: "backend", "app.kubernetes.io/name": "postgres" });
    await unit(staging, "web", { tier: "frontend" });
    // Another organization's Space and Unit, which no filter may reveal.
    const token = t.otherOrg.tokens.admin;
    const other = await t.request({ method: "POST", url: "/api/space", token, body: { Slug: "prod" } });
    const otherUnit = await t.request({
      method: "POST",
      url: `/api/space/${other.json().SpaceID}/unit`,
      token,
      body: { Slug: "web", Labels: { tier: "frontend" }, ToolchainType: "Kubernetes/YAML", Data: DATA },
    });
    expect(otherUnit.statusCode).toBe(200);
    return () => t.close();
  });

  async function slugs(url: string): Promise<string[]> {
    const response = await t.request({ method: "GET", url });
    expect(response.statusCode).toBe(200);
    return (response.json() as { Unit?: { Slug: string }; Space?: { Slug: string } }[])
      .map((e) => (e.Unit ?? e.Space)?.Slug ?? "")
      .sort();
  }

  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

  it("filters a Space's Units with where", async () => {
    expect(await slugs(`/api/space/${prod}/unit?${q({ where: "Labels.tier = 'backend'" })}`)).toEqual([
      "api",
      "db",
    ]);
    expect(
      await slugs(`/api/space/${prod}/unit?${q({ where: "Slug IN ('web', 'db') AND HeadRevisionNum = 1" })}`),
    ).toEqual(["db", "web"]);
    expect(
      await slugs(`/api/space/${prod}/unit?${q({ where: "Labels.app.kubernetes.io/name ~ '^post'" })}`),
    ).toEqual(["db"]);
    expect(await slugs(`/api/space/${prod}/unit?${q({ where: "" })}`)).toEqual(["api", "db", "web"]);
  });

  it("filters the organization's Units with where and contains", async () => {
    expect(await slugs(`/api/unit?${q({ where: "Slug = 'web'" })}`)).toEqual(["web", "web"]);
    expect(await slugs(`/api/unit?${q({ where: `SpaceID = '${staging}'` })}`)).toEqual(["web"]);
    expect(await slugs(`/api/unit?${q({ contains: "FRONT" })}`)).toEqual(["web", "web"]);
    expect(await slugs(`/api/unit?${q({ contains: "postgres" })}`)).toEqual(["db"]);
    expect(await slugs(`/api/unit?${q({ contains: "front", where: `SpaceID = '${prod}'` })}`)).toEqual([
      "web",
    ]);
    expect(await slugs(`/api/unit?${q({ contains: "%" })}`)).toEqual([]);
    expect(await slugs(`/api/unit?${q({ where: "Labels.tier = 'frontend' IS NOT FALSE" })}`)).toEqual([
      "web",
      "web",
    ]);
  });

  it("filters Spaces with where and contains", async () => {
    expect(await slugs(`/api/space?${q({ where: "Labels.env = 'prod'" })}`)).toEqual(["prod"]);
    expect(await slugs(`/api/space?${q({ where: "Slug = 'prod'" })}`)).toEqual(["prod"]);
    expect(await slugs(`/api/space?${q({ where: "Labels.team IS NULL" })}`)).toEqual(["prod"]);
    expect(await slugs(`/api/space?${q({ contains: "payments" })}`)).toEqual(["staging"]);
    expect(await slugs(`/api/space?${q({ where: "Slug ~ '^st'", contains: "staging" })}`)).toEqual([
      "staging",
    ]);
  });

  it.each([
    [
      "/api/unit",
      "Lables.tier = 'x'",
      "where: unknown attribute 'Lables' at column 1 (did you mean 'Labels'?)",
    ],
    [
      "/api/unit",
      "Slug = 'a' OR Slug = 'b'",
      "where: unexpected 'OR' at column 12 (expected IS, AND or end of expression; only AND can join conditions)",
    ],
    ["/api/space", "HeadRevisionNum > 1", "where: unknown attribute 'HeadRevisionNum' at column 1"],
    [
      "/api/space",
      "TriggerIDs ? 'x'",
      "where: attribute 'TriggerIDs' of Space is not supported by confn at column 1",
    ],
    ["/api/unit", "Slug ~ '(a'", "where: invalid regular expression '(a' at column 8 (missing closing ))"],
    [
      "/api/unit",
      "HeadRevisionNum = 'x'",
      "where: integer attribute 'HeadRevisionNum' cannot be compared with string literal 'x' at column 19 (write the number without quotes)",
    ],
  ])("GET %s?where=%j is a 400 naming the problem", async (url, where, message) => {
    const response = await t.request({ method: "GET", url: `${url}?${q({ where })}` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ Code: "400", Message: message });
  });

  it("answers 400 on a Space's list too, after checking the Space exists", async () => {
    const bad = await t.request({
      method: "GET",
      url: `/api/space/${prod}/unit?${q({ where: "slug = 'x'" })}`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().Message).toBe("where: unknown attribute 'slug' at column 1 (did you mean 'Slug'?)");
    const missing = await t.request({
      method: "GET",
      url: `/api/space/00000000-0000-4000-8000-000000000000/unit?${q({ where: "slug = 'x'" })}`,
    });
    expect(missing.statusCode).toBe(404);
  });

  it("keeps injection attempts literal", async () => {
    expect(await slugs(`/api/unit?${q({ where: "Slug = ''' OR 1=1 --'" })}`)).toEqual([]);
    expect(await slugs(`/api/unit?${q({ where: "Slug = '''; DROP TABLE units; --'" })}`)).toEqual([]);
    const injected = await t.request({
      method: "GET",
      url: `/api/unit?${q({ where: "Slug = '' OR 1=1 --'" })}`,
    });
    expect(injected.statusCode).toBe(400);
    expect(await slugs("/api/unit")).toEqual(["api", "db", "web", "web"]);
  });
});

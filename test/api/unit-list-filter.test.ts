// `filter` on the Unit lists: a saved Filter of the caller's organization narrows the list exactly
// as it narrows an invocation (Where AND-ed with `where`, FromSpaceID limiting the Space), and a
// Filter the list cannot honour is a 400, never a superset.
import { randomUUID } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";

describe.each(testDatabases())("Unit lists with a saved filter on $name", (target) => {
  let database: Database;
  let t: TestApp;
  let one: string;
  let two: string;

  beforeAll(async () => {
    database = await target.open();
  });
  beforeEach(async () => {
    t = await buildTestApp(database);
    one = await createSpace("one");
    two = await createSpace("two");
    for (const [space, slug, tier] of [
      [one, "api", "backend"],
      [one, "web", "frontend"],
      [one, "db", "backend"],
      [two, "worker", "backend"],
      [two, "site", "frontend"],
    ] as const) {
      const unit = await t.request({
        method: "POST",
        url: `/api/space/${space}/unit`,
        body: { Slug: slug, ToolchainType: "Kubernetes/YAML", Labels: { tier } },
      });
      expect(unit.statusCode, unit.body).toBe(200);
    }
    return () => t.close();
  });

  async function createSpace(slug: string): Promise<string> {
    const response = await t.request({ method: "POST", url: "/api/space", body: { Slug: slug } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().SpaceID as string;
  }

  async function saveFilter(body: Record<string, unknown>): Promise<string> {
    const response = await t.request({ method: "POST", url: `/api/space/${one}/filter`, body });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().FilterID as string;
  }

  async function slugs(url: string, query: Record<string, string>): Promise<string[]> {
    const response = await t.request({ method: "GET", url: `${url}?${new URLSearchParams(query)}` });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { Unit: { Slug: string } }[]).map((u) => u.Unit.Slug).sort();
  }

  async function refused(url: string, query: Record<string, string>, status = 400): Promise<string> {
    const response = await t.request({ method: "GET", url: `${url}?${new URLSearchParams(query)}` });
    expect(response.statusCode, response.body).toBe(status);
    return response.json().Message as string;
  }

  it("narrows both lists by the Filter's Where, AND-ed with where and contains", async () => {
    const backend = await saveFilter({ Slug: "backend", From: "Unit", Where: "Labels.tier = 'backend'" });
    expect(await slugs(`/api/space/${one}/unit`, { filter: backend })).toEqual(["api", "db"]);
    expect(await slugs("/api/unit", { filter: backend })).toEqual(["api", "db", "worker"]);
    expect(await slugs("/api/unit", { filter: backend, where: "Slug != 'db'" })).toEqual(["api", "worker"]);
    expect(await slugs("/api/unit", { filter: backend, contains: "work" })).toEqual(["worker"]);
  });

  it("limits the organization-wide list to the Filter's FromSpaceID, and refuses it in another Space", async () => {
    const inTwo = await saveFilter({ Slug: "in-two", From: "Unit", FromSpaceID: two, Where: "" });
    expect(await slugs("/api/unit", { filter: inTwo })).toEqual(["site", "worker"]);
    expect(await slugs(`/api/space/${two}/unit`, { filter: inTwo })).toEqual(["site", "worker"]);
    expect(await refused(`/api/space/${one}/unit`, { filter: inTwo })).toBe(
      `querystring/filter: Filter in-two is for Space ${two} (FromSpaceID); this list is of Space ${one}`,
    );
  });

  it("refuses a Filter that is not for Units, is another organization's or does not exist", async () => {
    const spaces = await saveFilter({ Slug: "spaces", From: "Space", Where: "Slug = 'one'" });
    expect(await refused("/api/unit", { filter: spaces })).toBe(
      "querystring/filter: Filter spaces selects Space entities; this list returns Units: use a Filter From Unit",
    );

    const theirSpace = await t.request({
      method: "POST",
      url: "/api/space",
      body: { Slug: "theirs" },
      token: t.otherOrg.tokens.admin,
    });
    const theirs = await t.request({
      method: "POST",
      url: `/api/space/${theirSpace.json().SpaceID}/filter`,
      body: { Slug: "all", From: "Unit", Where: "" },
      token: t.otherOrg.tokens.admin,
    });
    expect(theirs.statusCode, theirs.body).toBe(200);
    await refused("/api/unit", { filter: theirs.json().FilterID }, 404);
    await refused("/api/unit", { filter: randomUUID() }, 404);
    expect(await refused("/api/unit", { filter: "not-a-uuid" })).toMatch(
      /^querystring\/filter must match format "uuid"$/,
    );
  });
});

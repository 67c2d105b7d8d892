// The history lists take ConfigHub's list parameters: `where`, `select` (without Data no Revision
// data is shipped), `include`, `filter` on a Unit's Revisions and Mutations, and the
// organization-wide GET /api/revision, which sees the caller's organization only.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { b64, buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";

type Item = Record<string, Record<string, unknown>>;

describe.each(testDatabases())("Revision and Mutation lists on $name", (target) => {
  let database: Database;
  let t: TestApp;
  let spaceId: string;
  let webId: string;
  let apiId: string;

  beforeAll(async () => {
    database = await target.open();
  });
  beforeEach(async () => {
    t = await buildTestApp(database);
    spaceId = (await post("/api/space", { Slug: "prod" })).SpaceID as string;
    webId = (await post(`/api/space/${spaceId}/unit`, unit("web", "a: 1\n"))).UnitID as string;
    apiId = (await post(`/api/space/${spaceId}/unit`, unit("api", "b: 1\n"))).UnitID as string;
    for (const value of [2, 3]) {
      const response = await t.request({
        method: "PATCH",
        url: `/api/space/${spaceId}/unit/${webId}`,
        body: { Data: b64(`a: ${value}\n`), LastChangeDescription: `a to ${value}` },
      });
      expect(response.statusCode, response.body).toBe(200);
    }
    return () => t.close();
  });

  const unit = (slug: string, data: string) => ({
    Slug: slug,
    ToolchainType: "Kubernetes/YAML",
    Data: b64(data),
  });

  async function post(url: string, body: Record<string, unknown>, token?: string) {
    const response = await t.request({ method: "POST", url, body, ...(token ? { token } : {}) });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Record<string, unknown>;
  }

  async function list(url: string, query: Record<string, string> = {}): Promise<Item[]> {
    const response = await t.request({ method: "GET", url: `${url}?${new URLSearchParams(query)}` });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Item[];
  }

  const nums = (items: Item[]) => items.map((item) => item.Revision!.RevisionNum);

  it("a Unit's Revisions honour where and select, and ship no Data unless selected", async () => {
    const url = `/api/space/${spaceId}/unit/${webId}/revision`;
    expect(nums(await list(url))).toEqual([1, 2, 3]);
    expect(nums(await list(url, { where: "RevisionNum > 1" }))).toEqual([2, 3]);
    expect(nums(await list(url, { where: "Description LIKE 'a to %' AND Source = 'PatchUnit'" }))).toEqual([
      2, 3,
    ]);

    const selected = await list(url, { select: "RevisionNum,DataHash" });
    expect(selected).toHaveLength(3);
    for (const item of selected) {
      expect(Object.keys(item.Revision!).sort()).toEqual(
        ["DataHash", "OrganizationID", "RevisionID", "RevisionNum", "Source", "SpaceID", "UnitID"].sort(),
      );
    }
    const [third] = await list(url, { where: "RevisionNum = 3", select: "Data" });
    expect(third!.Revision!.Data).toBe(b64("a: 3\n"));

    const [withUnit] = await list(url, {
      where: "RevisionNum = 1",
      include: "UnitID,SpaceID",
      select: "RevisionNum",
    });
    expect(withUnit!.Unit).toMatchObject({ UnitID: webId, Slug: "web" });
    expect(withUnit!.Space).toMatchObject({ SpaceID: spaceId, Slug: "prod" });

    const bad = await t.request({ method: "GET", url: `${url}?where=${encodeURIComponent("Slug = 'x'")}` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().Message).toMatch(/Slug/);
    const tags = await t.request({ method: "GET", url: `${url}?include=Tags` });
    expect(tags.statusCode).toBe(400);
    expect(tags.json().Message).toBe(
      "querystring/include: Revision attribute 'Tags' cannot be expanded: confn has no Tags",
    );
  });

  it("a saved Filter From Revision narrows the list", async () => {
    const filter = await post(`/api/space/${spaceId}/filter`, {
      Slug: "patches",
      From: "Revision",
      Where: "Source = 'PatchUnit'",
    });
    const url = `/api/space/${spaceId}/unit/${webId}/revision`;
    expect(nums(await list(url, { filter: filter.FilterID as string, where: "RevisionNum < 3" }))).toEqual([
      2,
    ]);
  });

  it("GET /api/revision lists the organization's Revisions only, with where", async () => {
    const theirSpace = await post("/api/space", { Slug: "theirs" }, t.otherOrg.tokens.admin);
    await post(`/api/space/${theirSpace.SpaceID}/unit`, unit("web", "a: 1\n"), t.otherOrg.tokens.admin);

    const all = await list("/api/revision", { select: "RevisionNum" });
    expect(all.map((item) => item.Revision!.UnitID).sort()).toEqual([apiId, webId, webId, webId].sort());
    expect(all.every((item) => item.Revision!.Data === undefined)).toBe(true);

    const firsts = await list("/api/revision", { where: "RevisionNum = 1" });
    expect(firsts.map((item) => item.Revision!.UnitID).sort()).toEqual([apiId, webId].sort());
    expect(firsts.every((item) => item.Revision!.SpaceSlug === "prod")).toBe(true);
    expect(firsts.find((item) => item.Revision!.UnitID === apiId)!.Revision!.Data).toBe(b64("b: 1\n"));

    const ofWeb = await list("/api/revision", { where: `UnitID = '${webId}' AND RevisionNum >= 2` });
    expect(nums(ofWeb)).toEqual([2, 3]);

    // The other organization sees its own single Revision.
    const theirs = await t.request({ method: "GET", url: "/api/revision", token: t.otherOrg.tokens.admin });
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json().map((item: Item) => item.Revision!.SpaceID)).toEqual([theirSpace.SpaceID]);
  });

  it("a Unit's Mutations honour where, include and select", async () => {
    const url = `/api/space/${spaceId}/unit/${webId}/mutation`;
    const items = await list(url, {
      where: "MutationNum >= 2",
      include: "RevisionID",
      select: "MutationNum",
    });
    expect(items.map((item) => item.Mutation!.MutationNum)).toEqual([2, 3]);
    expect(items.map((item) => item.Revision!.RevisionNum)).toEqual([2, 3]);
    expect(items[0]!.Mutation!.Source).toBeUndefined();
  });
});

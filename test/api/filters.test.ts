// Filters: CRUD under /api/space/{space_id}/filter, the organization-wide list, and the checks made
// when a Filter is saved (its expressions against its From type's attributes).
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import { createSpace, expectConfigHubShape } from "./invoke-support.ts";
import { createInOtherOrganization } from "../support/other-organization.ts";

describe.each(testDatabases())("filters on $name", (target) => {
  let t: TestApp;
  let space: string;
  beforeAll(async () => {
    t = await buildTestApp(await target.open());
    space = await createSpace(t, "filters");
    return () => t.close();
  });

  const create = (body: Record<string, unknown>, as?: "viewer") =>
    t.request({ method: "POST", url: `/api/space/${space}/filter`, body, ...(as ? { as } : {}) });

  it("creates, reads, lists, patches and deletes a Filter", async () => {
    const created = await create({
      Slug: "big-web",
      From: "Unit",
      Where: "Labels.tier = 'web'",
      WhereData: "spec.replicas > 2",
      ResourceType: "apps/v1/Deployment",
    });
    expect(created.statusCode, created.body).toBe(200);
    const filter = created.json();
    expectConfigHubShape(filter, "Filter");
    expect(filter).toMatchObject({
      Slug: "big-web",
      DisplayName: "big-web",
      From: "Unit",
      Version: 1,
      SpaceID: space,
    });
    expect(filter.Hash).toMatch(/^[0-9a-f]{64}$/);
    const url = `/api/space/${space}/filter/${filter.FilterID}`;

    const got = await t.request({ method: "GET", url });
    expect(got.statusCode).toBe(200);
    expectConfigHubShape(got.json(), "ExtendedFilter");
    expect(got.json().Filter).toEqual(filter);

    const listed = await t.request({
      method: "GET",
      url: `/api/filter?where=${encodeURIComponent("Slug = 'big-web'")}`,
    });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().map((f: { Filter: { FilterID: string } }) => f.Filter.FilterID)).toEqual([
      filter.FilterID,
    ]);
    const none = await t.request({
      method: "GET",
      url: `/api/space/${space}/filter?where=${encodeURIComponent("From = 'Space'")}`,
    });
    expect(none.json()).toEqual([]);

    const patched = await t.request({
      method: "PATCH",
      url,
      body: { Where: "Labels.tier = 'api'", Version: 1 },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      Where: "Labels.tier = 'api'",
      WhereData: "spec.replicas > 2",
      Version: 2,
    });
    expect(patched.json().Hash).not.toBe(filter.Hash);
    const stale = await t.request({ method: "PATCH", url, body: { DisplayName: "x", Version: 1 } });
    expect(stale.statusCode).toBe(409);
    const unchanged = await t.request({ method: "PATCH", url, body: { Where: "Labels.tier = 'api'" } });
    expect(unchanged.json().Version).toBe(2);

    const deleted = await t.request({ method: "DELETE", url });
    expect(deleted.statusCode).toBe(200);
    expect((await t.request({ method: "GET", url })).statusCode).toBe(404);
  });

  it("checks a Filter's expressions against its From type when it is saved", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ From: "Units" }, /From 'Units' is not a filterable entity type/],
      [
        { From: "Unit", Where: "Lables.tier = 'web'" },
        /body\/Where: unknown attribute 'Lables'.*did you mean 'Labels'/,
      ],
      [{ From: "Space", Where: "HeadRevisionNum > 1" }, /body\/Where/],
      [{ From: "Space", WhereData: "spec.replicas > 1" }, /apply to Units only/],
      [
        { From: "Unit", WhereData: "spec.replicas >" },
        /body\/WhereData: unexpected end of expression at column 16/,
      ],
      [
        { From: "Unit", FromSpaceID: "6f1b7a4e-8d4f-4a51-9c59-0b1f7c7e2a11" },
        /FromSpaceID: Space .* not found/,
      ],
    ];
    for (const [fields, message] of cases) {
      const response = await create({ Slug: "bad", ...fields });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().Message).toMatch(message);
    }
    const filter = (await create({ Slug: "spaces", From: "Space", Where: "Slug LIKE 'prod-%'" })).json();
    const broken = await t.request({
      method: "PATCH",
      url: `/api/space/${space}/filter/${filter.FilterID}`,
      body: { Where: "Slug LIKE" },
    });
    expect(broken.statusCode).toBe(400);
  });

  it("keeps slugs unique per Space, hides other organizations' Filters, and refuses viewers' writes", async () => {
    expect((await create({ Slug: "dup", From: "Unit" })).statusCode).toBe(200);
    expect((await create({ Slug: "dup", From: "Unit" })).statusCode).toBe(409);
    const viewer = await create({ Slug: "v", From: "Unit" }, "viewer");
    expect(viewer.statusCode).toBe(403);

    const { spaceId: theirSpace, entity: theirs } = await createInOtherOrganization(t, "filter", {
      Slug: "f",
      From: "Unit",
    });
    expect(
      (await t.request({ method: "GET", url: `/api/space/${theirSpace}/filter/${theirs.FilterID}` }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.request({ method: "GET", url: `/api/space/${space}/filter/${theirs.FilterID}` })).statusCode,
    ).toBe(404);
    const all = (await t.request({ method: "GET", url: "/api/filter" })).json() as {
      Filter: { FilterID: string };
    }[];
    expect(all.map((f) => f.Filter.FilterID)).not.toContain(theirs.FilterID);
  });

  it("DeleteGates block deletion", async () => {
    const gated = (await create({ Slug: "gated", From: "Unit", DeleteGates: { keep: true } })).json();
    const url = `/api/space/${space}/filter/${gated.FilterID}`;
    expect((await t.request({ method: "DELETE", url })).statusCode).toBe(422);
    expect(
      (await t.request({ method: "PATCH", url, body: { DeleteGates: { keep: null } } })).statusCode,
    ).toBe(200);
    expect((await t.request({ method: "DELETE", url })).statusCode).toBe(200);
  });
});

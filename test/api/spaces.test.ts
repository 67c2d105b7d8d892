import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";

describe.each(testDatabases())("Spaces on $name", (target) => {
  let database: Database;
  let t: TestApp;

  beforeAll(async () => {
    database = await target.open();
  });
  beforeEach(async () => {
    t = await buildTestApp(database);
    return () => t.close();
  });

  const createSpace = (body: Record<string, unknown>) =>
    t.request({ method: "POST", url: "/api/space", body });

  it("creates, lists, gets and merge-patches a Space", async () => {
    const created = await createSpace({ Slug: "prod", Labels: { env: "prod" } });
    expect(created.statusCode).toBe(200);
    const space = created.json();
    expect(space).toMatchObject({
      Slug: "prod",
      DisplayName: "prod",
      OrganizationID: t.org.organizationId,
      Labels: { env: "prod" },
      Version: 1,
      EntityType: "Space",
    });

    const list = (await t.request({ method: "GET", url: "/api/space" })).json();
    expect(list).toEqual([{ Space: space, TotalUnitCount: 0 }]);

    const patched = await t.request({
      method: "PATCH",
      url: `/api/space/${space.SpaceID}`,
      body: { Version: 1, DisplayName: "Production", Labels: { env: null, tier: "1" } },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ DisplayName: "Production", Labels: { tier: "1" }, Version: 2 });

    const got = (await t.request({ method: "GET", url: `/api/space/${space.SpaceID}` })).json();
    expect(got.Space).toMatchObject({ DisplayName: "Production", Version: 2 });
    expect(got.TotalUnitCount).toBe(0);
  });

  it("answers 409 to a duplicate slug and to a stale Version", async () => {
    const space = (await createSpace({ Slug: "prod" })).json();
    const duplicate = await createSpace({ Slug: "prod" });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toEqual({
      Code: "409",
      Message: "Space with Slug 'prod' already exists in this organization",
    });

    const other = (await createSpace({ Slug: "dev" })).json();
    const rename = await t.request({
      method: "PATCH",
      url: `/api/space/${other.SpaceID}`,
      body: { Slug: "prod" },
    });
    expect(rename.statusCode).toBe(409);

    await t.request({ method: "PATCH", url: `/api/space/${space.SpaceID}`, body: { DisplayName: "x" } });
    const stale = await t.request({
      method: "PATCH",
      url: `/api/space/${space.SpaceID}`,
      body: { Version: 1, DisplayName: "y" },
    });
    expect(stale.statusCode).toBe(409);
    expect(
      (await t.request({ method: "GET", url: `/api/space/${space.SpaceID}` })).json().Space.DisplayName,
    ).toBe("x");
  });

  it("lets another organization use the same slug", async () => {
    expect((await createSpace({ Slug: "prod" })).statusCode).toBe(200);
    const theirs = await t.request({
      method: "POST",
      url: "/api/space",
      body: { Slug: "prod" },
      token: t.otherOrg.tokens.admin,
    });
    expect(theirs.statusCode).toBe(200);
  });

  it("refuses to delete a non-empty Space unless recursive=true", async () => {
    const space = (await createSpace({ Slug: "prod" })).json();
    const unit = await t.request({
      method: "POST",
      url: `/api/space/${space.SpaceID}/unit`,
      body: { Slug: "web", ToolchainType: "Kubernetes/YAML" },
    });
    expect(unit.statusCode).toBe(200);
    expect(
      (await t.request({ method: "GET", url: `/api/space/${space.SpaceID}` })).json().TotalUnitCount,
    ).toBe(1);

    const refused = await t.request({ method: "DELETE", url: `/api/space/${space.SpaceID}` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().Message).toContain("is not empty (1 Unit)");

    const deleted = await t.request({ method: "DELETE", url: `/api/space/${space.SpaceID}?recursive=true` });
    expect(deleted.statusCode).toBe(200);
    expect((await t.request({ method: "GET", url: `/api/space/${space.SpaceID}` })).statusCode).toBe(404);
    expect((await t.request({ method: "GET", url: "/api/unit" })).json()).toEqual([]);
  });

  it("deletes an empty Space, unless DeleteGates block it", async () => {
    const empty = (await createSpace({ Slug: "empty" })).json();
    expect((await t.request({ method: "DELETE", url: `/api/space/${empty.SpaceID}` })).statusCode).toBe(200);
    const gated = (await createSpace({ Slug: "gated", DeleteGates: { "ops/keep": true } })).json();
    const blocked = await t.request({ method: "DELETE", url: `/api/space/${gated.SpaceID}?recursive=true` });
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json().Message).toContain("ops/keep");
  });

  it("names the invalid field or parameter", async () => {
    const badSlug = await createSpace({ Slug: "has space" });
    expect(badSlug.statusCode).toBe(400);
    expect(badSlug.json().Message).toMatch(/^body\/Slug must match the pattern/);
    const longLabel = await createSpace({ Slug: "ok", Labels: { a: "x".repeat(129) } });
    expect(longLabel.json().Message).toBe("body/Labels/a must NOT have more than 128 characters");
    const badId = await t.request({ method: "GET", url: "/api/space/not-a-uuid" });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().Message).toBe('params/space_id must match format "uuid"');
    const badFlag = await t.request({
      method: "DELETE",
      url: "/api/space/7b0c1b8e-0000-4000-8000-000000000000?recursive=maybe",
    });
    expect(badFlag.statusCode).toBe(400);
    expect(badFlag.json().Message).toBe("querystring/recursive must be boolean");
  });
});

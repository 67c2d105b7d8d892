// ChangeSets: CRUD under /api/space/{space_id}/change_set and the organization-wide list; Units
// join one through Unit.ChangeSetID and leave it when it is deleted.
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import { createSpace, createUnit, deployment, expectConfigHubShape, getUnit } from "./invoke-support.ts";
import { createInOtherOrganization } from "../support/other-organization.ts";

describe.each(testDatabases())("change sets on $name", (target) => {
  let t: TestApp;
  let space: string;
  beforeAll(async () => {
    t = await buildTestApp(await target.open());
    space = await createSpace(t, "changes");
    return () => t.close();
  });

  it("creates, reads, lists, patches and deletes a ChangeSet; its Units leave it", async () => {
    const created = await t.request({
      method: "POST",
      url: `/api/space/${space}/change_set`,
      body: { Slug: "q3-rollout", Description: "nginx 1.27 everywhere" },
    });
    expect(created.statusCode, created.body).toBe(200);
    const changeSet = created.json();
    expectConfigHubShape(changeSet, "ChangeSet");
    expect(changeSet).toMatchObject({
      Slug: "q3-rollout",
      Description: "nginx 1.27 everywhere",
      State: "Open",
      Version: 1,
    });
    const url = `/api/space/${space}/change_set/${changeSet.ChangeSetID}`;
    expectConfigHubShape((await t.request({ method: "GET", url })).json(), "ExtendedChangeSet");

    const unit = await createUnit(t, space, "web", deployment("web"), { ChangeSetID: changeSet.ChangeSetID });
    expect((await getUnit(t, space, unit.UnitID)).ChangeSetID).toBe(changeSet.ChangeSetID);
    const members = await t.request({
      method: "GET",
      url: `/api/unit?where=${encodeURIComponent(`ChangeSetID = '${changeSet.ChangeSetID}'`)}`,
    });
    expect(members.json().map((u: { Unit: { Slug: string } }) => u.Unit.Slug)).toEqual(["web"]);

    const listed = await t.request({ method: "GET", url: `/api/change_set?contains=rollout` });
    expect(listed.json().map((c: { ChangeSet: { Slug: string } }) => c.ChangeSet.Slug)).toEqual([
      "q3-rollout",
    ]);
    const patched = await t.request({
      method: "PATCH",
      url,
      body: { Description: "nginx 1.27 and redis 7" },
    });
    expect(patched.json()).toMatchObject({ Description: "nginx 1.27 and redis 7", Version: 2 });

    expect((await t.request({ method: "DELETE", url })).statusCode).toBe(200);
    expect((await getUnit(t, space, unit.UnitID)).ChangeSetID).toBeUndefined();
  });

  it("a Unit may only join a ChangeSet of its own organization, and may leave it", async () => {
    const { entity: theirs } = await createInOtherOrganization(t, "change_set", {
      Slug: "c",
    });
    const mine = (
      await t.request({ method: "POST", url: `/api/space/${space}/change_set`, body: { Slug: "mine" } })
    ).json();
    const unit = await createUnit(t, space, "api", deployment("api"));
    const url = `/api/space/${space}/unit/${unit.UnitID}`;

    const foreign = await t.request({ method: "PATCH", url, body: { ChangeSetID: theirs.ChangeSetID } });
    expect(foreign.statusCode).toBe(404);
    const join = await t.request({ method: "PATCH", url, body: { ChangeSetID: mine.ChangeSetID } });
    expect(join.json().ChangeSetID).toBe(mine.ChangeSetID);
    const leave = await t.request({ method: "PATCH", url, body: { ChangeSetID: null } });
    expect(leave.statusCode, leave.body).toBe(200);
    expect(leave.json().ChangeSetID).toBeUndefined();
  });
});

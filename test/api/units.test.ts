import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { b64, buildTestApp, fromB64, testDatabases, type TestApp } from "../support/databases.ts";

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
`;

describe.each(testDatabases())("Units on $name", (target) => {
  let database: Database;
  let t: TestApp;
  let spaceId: string;

  beforeAll(async () => {
    database = await target.open();
  });
  beforeEach(async () => {
    t = await buildTestApp(database);
    const space = await t.request({ method: "POST", url: "/api/space", body: { Slug: "prod" } });
    expect(space.statusCode).toBe(200);
    spaceId = space.json().SpaceID;
    return () => t.close();
  });

  async function createUnit(body: Record<string, unknown> = {}) {
    return t.request({
      method: "POST",
      url: `/api/space/${spaceId}/unit`,
      body: { Slug: "web", ToolchainType: "Kubernetes/YAML", Data: b64(DEPLOYMENT), ...body },
    });
  }
  const unitUrl = (unitId: string) => `/api/space/${spaceId}/unit/${unitId}`;
  const patch = (unitId: string, body: unknown) =>
    t.request({
      method: "PATCH",
      url: unitUrl(unitId),
      body,
      headers: { "content-type": "application/merge-patch+json" },
    });

  it("creates a Unit with Revision 1 and returns its data base64-encoded", async () => {
    const created = await createUnit({ LastChangeDescription: "initial import", Labels: { tier: "web" } });
    expect(created.statusCode).toBe(200);
    const unit = created.json();
    expect(unit).toMatchObject({
      Slug: "web",
      SpaceID: spaceId,
      SpaceSlug: "prod",
      OrganizationID: t.org.organizationId,
      ToolchainType: "Kubernetes/YAML",
      HeadRevisionNum: 1,
      HeadMutationNum: 1,
      LiveRevisionNum: 0,
      Version: 1,
      Labels: { tier: "web" },
      LastChangeDescription: "initial import",
      EntityType: "Unit",
    });
    expect(fromB64(unit.Data)).toBe(DEPLOYMENT);

    const revisions = (await t.request({ method: "GET", url: `${unitUrl(unit.UnitID)}/revision` })).json();
    expect(revisions).toHaveLength(1);
    expect(revisions[0].Revision).toMatchObject({
      RevisionNum: 1,
      Source: "CreateUnit",
      Description: "initial import",
      UnitID: unit.UnitID,
      DataHash: unit.DataHash,
      ContentHash: unit.ContentHash,
    });
    expect(fromB64(revisions[0].Revision.Data)).toBe(DEPLOYMENT);
  });

  it("writes exactly one Revision and one Mutation per Data change, none for attribute-only changes", async () => {
    const unit = (await createUnit()).json();
    const v2 = DEPLOYMENT.replace("replicas: 1", "replicas: 2");
    const v3 = DEPLOYMENT.replace("replicas: 1", "replicas: 3");

    const second = await patch(unit.UnitID, { Data: b64(v2), LastChangeDescription: "scale to 2" });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ HeadRevisionNum: 2, HeadMutationNum: 2, Version: 2 });

    // Labels only: Version moves, no Revision.
    const labelled = await patch(unit.UnitID, { Labels: { team: "a" } });
    expect(labelled.json()).toMatchObject({ HeadRevisionNum: 2, Version: 3, Labels: { team: "a" } });

    // The same Data again is no change at all.
    const same = await patch(unit.UnitID, { Data: b64(v2) });
    expect(same.json()).toMatchObject({ HeadRevisionNum: 2, Version: 3 });

    // Data and labels together: one Revision, one Version.
    const third = await patch(unit.UnitID, { Data: b64(v3), Labels: { team: null, tier: "web" } });
    expect(third.json()).toMatchObject({
      HeadRevisionNum: 3,
      HeadMutationNum: 3,
      Version: 4,
      Labels: { tier: "web" },
    });

    const revisions = (await t.request({ method: "GET", url: `${unitUrl(unit.UnitID)}/revision` })).json();
    expect(revisions.map((r: { Revision: { RevisionNum: number } }) => r.Revision.RevisionNum)).toEqual([
      1, 2, 3,
    ]);
    expect(revisions.map((r: { Revision: { Source: string } }) => r.Revision.Source)).toEqual([
      "CreateUnit",
      "PatchUnit",
      "PatchUnit",
    ]);
    expect(fromB64(revisions[1].Revision.Data)).toBe(v2);
    expect(revisions[1].Revision.Description).toBe("scale to 2");
    // LastChangeDescription persists, so the next Data change is described by it too (ConfigHub's rule).
    expect(revisions[2].Revision.Description).toBe("scale to 2");
    // The actor of every Revision is the token that made the change.
    const { UserID } = await me(t);
    for (const { Revision } of revisions) expect(Revision.UserID).toBe(UserID);

    const mutations = (await t.request({ method: "GET", url: `${unitUrl(unit.UnitID)}/mutation` })).json();
    expect(
      mutations.map(
        (m: { Mutation: { MutationNum: number; RevisionNum: number; Source: string } }) => m.Mutation,
      ),
    ).toEqual([
      expect.objectContaining({ MutationNum: 1, RevisionNum: 1, Source: "CreateUnit" }),
      expect.objectContaining({ MutationNum: 2, RevisionNum: 2, Source: "PatchUnit" }),
      expect.objectContaining({ MutationNum: 3, RevisionNum: 3, Source: "PatchUnit" }),
    ]);
    expect(mutations[1].Mutation.RevisionID).toBe(revisions[1].Revision.RevisionID);

    const one = await t.request({
      method: "GET",
      url: `${unitUrl(unit.UnitID)}/revision/${revisions[1].Revision.RevisionID}`,
    });
    expect(one.statusCode).toBe(200);
    expect(one.json().Revision.RevisionNum).toBe(2);
  });

  it("keeps counters per Unit", async () => {
    const a = (await createUnit({ Slug: "a" })).json();
    const b = (await createUnit({ Slug: "b" })).json();
    await patch(a.UnitID, { Data: b64("x: 1\n") });
    await patch(a.UnitID, { Data: b64("x: 2\n") });
    expect((await t.request({ method: "GET", url: unitUrl(a.UnitID) })).json().Unit.HeadRevisionNum).toBe(3);
    expect((await t.request({ method: "GET", url: unitUrl(b.UnitID) })).json().Unit.HeadRevisionNum).toBe(1);
  });

  it("answers 409 to a stale Version and changes nothing", async () => {
    const unit = (await createUnit()).json();
    expect((await patch(unit.UnitID, { Version: 1, DisplayName: "first" })).statusCode).toBe(200);
    const stale = await patch(unit.UnitID, { Version: 1, Data: b64("replicas: 5\n") });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toEqual({
      Code: "409",
      Message: expect.stringMatching(/Version 1 is stale.*current Version is 2/),
    });
    const after = (await t.request({ method: "GET", url: unitUrl(unit.UnitID) })).json().Unit;
    expect(after).toMatchObject({ HeadRevisionNum: 1, Version: 2, DisplayName: "first" });
    expect(
      (await patch(unit.UnitID, { Version: 2, Data: b64("replicas: 5\n") })).json().HeadRevisionNum,
    ).toBe(2);
  });

  it("answers 409 to a duplicate slug in the same Space, on create and on rename", async () => {
    expect((await createUnit()).statusCode).toBe(200);
    const duplicate = await createUnit();
    expect(duplicate.statusCode).toBe(409);
    // The Space by its slug, as the user named it.
    expect(duplicate.json().Message).toBe("Unit with Slug 'web' already exists in Space prod");
    const other = (await createUnit({ Slug: "api" })).json();
    const rename = await patch(other.UnitID, { Slug: "web" });
    expect(rename.statusCode).toBe(409);
    expect(rename.json().Message).toBe("Unit with Slug 'web' already exists in Space prod");
    // Another Space may reuse the slug.
    const space2 = (await t.request({ method: "POST", url: "/api/space", body: { Slug: "staging" } })).json();
    const elsewhere = await t.request({
      method: "POST",
      url: `/api/space/${space2.SpaceID}/unit`,
      body: { Slug: "web", ToolchainType: "Kubernetes/YAML" },
    });
    expect(elsewhere.statusCode).toBe(200);
  });

  it("answers 422 saying where Kubernetes/YAML data does not parse", async () => {
    const broken = await createUnit({ Data: b64("apiVersion: v1\nkind: [Pod\n") });
    expect(broken.statusCode).toBe(422);
    expect(broken.json().Message).toMatch(
      /^body\/Data is not valid YAML: document 1, line \d+, column \d+: /,
    );

    const duplicateKey = await createUnit({ Data: b64("a: 1\n---\nb: 1\nb: 2\n") });
    expect(duplicateKey.statusCode).toBe(422);
    expect(duplicateKey.json().Message).toBe(
      "body/Data is not valid YAML: document 2, line 4, column 1: Map keys must be unique",
    );

    const unit = (await createUnit()).json();
    const badPatch = await patch(unit.UnitID, { Data: b64("key: : :\n  - x\n") });
    expect(badPatch.statusCode).toBe(422);
    expect((await t.request({ method: "GET", url: unitUrl(unit.UnitID) })).json().Unit.HeadRevisionNum).toBe(
      1,
    );

    // Properties data is parsed as properties, not as YAML: `a=[` is a key and its value.
    const properties = await createUnit({
      Slug: "props",
      ToolchainType: "AppConfig/Properties",
      Data: b64("a=[\n"),
    });
    expect(properties.statusCode).toBe(200);
  });

  it("accepts data with a --- separator followed directly by a comment and keeps its bytes", async () => {
    // ConfigHub reads `---# ...` as `---` and a comment (spec §0, multi-document parsing step 2).
    const data = `${DEPLOYMENT}---# Permission to approve\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: approvers\n`;
    const created = await createUnit({ Data: b64(data) });
    expect(created.statusCode, created.body).toBe(200);
    const unit = created.json();
    expect(fromB64(unit.Data)).toBe(data);

    const edited = data.replace("name: approvers", "name: approvers # two of them");
    const patched = await patch(unit.UnitID, { Data: b64(edited) });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(fromB64(patched.json().Data)).toBe(edited);

    // A function changes only its own line; the separator line stays as written.
    const invoked = await t.request({
      method: "POST",
      url: `/api/space/${spaceId}/function/invoke`,
      body: { FunctionInvocations: [{ FunctionName: "set-replicas", Arguments: [{ Value: "3" }] }] },
    });
    expect(invoked.statusCode, invoked.body).toBe(200);
    const head = (await t.request({ method: "GET", url: unitUrl(unit.UnitID) })).json().Unit;
    expect(fromB64(head.Data)).toBe(edited.replace("replicas: 1", "replicas: 3"));
  });

  it("rejects data that is not base64 or not text", async () => {
    const notBase64 = await createUnit({ Data: "not base64!" });
    expect(notBase64.statusCode).toBe(400);
    expect(notBase64.json().Message).toContain("body/Data is not valid base64");
    const binary = await createUnit({ Data: Buffer.from([0xff, 0xfe, 0x00]).toString("base64") });
    expect(binary.statusCode).toBe(422);
    const nul = await createUnit({ Data: b64("a: 1\u0000\n") });
    expect(nul.statusCode).toBe(422);
    expect(nul.json().Message).toContain("NUL byte at offset 4");
  });

  it("validates the body and names the offending field", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ToolchainType: "Kubernetes/YAML" }, /^body\/Slug is required$/],
      [{ Slug: "-bad-", ToolchainType: "Kubernetes/YAML" }, /^body\/Slug must match the pattern/],
      [
        { Slug: "ok", ToolchainType: "Kubernetes/Yaml" },
        /^body\/ToolchainType must be one of: Kubernetes\/YAML/,
      ],
      [
        { Slug: "ok", ToolchainType: "Kubernetes/YAML", Labels: { tier: 3 } },
        /^body\/Labels\/tier must be string$/,
      ],
      [
        { Slug: "ok", ToolchainType: "Kubernetes/YAML", Lables: {} },
        /^body\/Lables is not a supported property$/,
      ],
    ];
    for (const [body, message] of cases) {
      const response = await t.request({ method: "POST", url: `/api/space/${spaceId}/unit`, body });
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().Message).toMatch(message);
    }
    const unit = (await createUnit()).json();
    const typed = await patch(unit.UnitID, { Version: "1" });
    expect(typed.statusCode).toBe(400);
    expect(typed.json().Message).toBe("body/Version must be integer");
    const removeSlug = await patch(unit.UnitID, { Slug: null });
    expect(removeSlug.statusCode).toBe(400);
    const toolchain = await patch(unit.UnitID, { ToolchainType: "AppConfig/Properties" });
    expect(toolchain.statusCode).toBe(400);
    expect(toolchain.json().Message).toContain("body/ToolchainType cannot change");
  });

  it("accepts a Unit read back as a PATCH body, ignoring its read-only fields", async () => {
    const unit = (await createUnit()).json();
    const read = (await t.request({ method: "GET", url: unitUrl(unit.UnitID) })).json().Unit;
    const response = await t.request({
      method: "PATCH",
      url: unitUrl(unit.UnitID),
      body: {
        ...read,
        DisplayName: "Web",
        HeadRevisionNum: 99,
        UnitID: "00000000-0000-0000-0000-000000000000",
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      UnitID: unit.UnitID,
      DisplayName: "Web",
      HeadRevisionNum: 1,
      Version: 2,
    });
  });

  it("merge-patches maps: null removes a key, other keys stay", async () => {
    const unit = (await createUnit({ Labels: { a: "1", b: "2" }, Annotations: { note: "x" } })).json();
    const patched = (await patch(unit.UnitID, { Labels: { a: null, c: "3" }, Annotations: null })).json();
    expect(patched.Labels).toEqual({ b: "2", c: "3" });
    expect(patched.Annotations).toEqual({});
  });

  it("lists a Space's Units and the organization's, and 404s on Units of other Spaces", async () => {
    const web = (await createUnit()).json();
    const space2 = (await t.request({ method: "POST", url: "/api/space", body: { Slug: "staging" } })).json();
    const api = (
      await t.request({
        method: "POST",
        url: `/api/space/${space2.SpaceID}/unit`,
        body: { Slug: "api", ToolchainType: "Kubernetes/YAML" },
      })
    ).json();

    const inSpace = (await t.request({ method: "GET", url: `/api/space/${spaceId}/unit` })).json();
    expect(inSpace.map((u: { Unit: { Slug: string } }) => u.Unit.Slug)).toEqual(["web"]);
    const all = (await t.request({ method: "GET", url: "/api/unit" })).json();
    expect(all.map((u: { Unit: { Slug: string } }) => u.Unit.Slug).sort()).toEqual(["api", "web"]);

    // A Unit addressed through a Space it is not in does not exist.
    expect(
      (await t.request({ method: "GET", url: `/api/space/${spaceId}/unit/${api.UnitID}` })).statusCode,
    ).toBe(404);
    expect(
      (await t.request({ method: "GET", url: `/api/space/${space2.SpaceID}/unit/${web.UnitID}` })).statusCode,
    ).toBe(404);
    const missingSpace = "7b0c1b8e-0000-4000-8000-000000000000";
    expect((await t.request({ method: "GET", url: `/api/space/${missingSpace}/unit` })).statusCode).toBe(404);
  });

  it("deletes a Unit with its history, unless DeleteGates block it", async () => {
    const unit = (await createUnit()).json();
    const gated = (await createUnit({ Slug: "gated", DeleteGates: { "policy/keep": true } })).json();
    const deleted = await t.request({ method: "DELETE", url: unitUrl(unit.UnitID) });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json().Message).toContain(unit.UnitID);
    expect((await t.request({ method: "GET", url: unitUrl(unit.UnitID) })).statusCode).toBe(404);
    expect((await t.request({ method: "GET", url: `${unitUrl(unit.UnitID)}/revision` })).statusCode).toBe(
      404,
    );
    const revisionsLeft = await database.db
      .selectFrom("revisions")
      .select("revision_id")
      .where("unit_id", "=", unit.UnitID)
      .execute();
    expect(revisionsLeft).toEqual([]);

    const blocked = await t.request({ method: "DELETE", url: unitUrl(gated.UnitID) });
    expect(blocked.statusCode).toBe(422);
    expect(blocked.json().Message).toContain("policy/keep");
  });
});

async function me(t: TestApp): Promise<{ UserID: string }> {
  return (await t.request({ method: "GET", url: "/api/me" })).json();
}

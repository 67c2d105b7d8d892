// The Unit writes a ConfigHub client sends besides PATCH: UpdateUnit (PUT, a whole Unit with its
// Version), `restore` (an earlier Revision's data as a new Revision, RestoredRevisionNum on the
// Mutation), and the raw data endpoints (download with ETag, upload with If-Match).
import { beforeAll, describe, expect, it } from "vitest";
import { UNIT_DATA_MAX_BYTES } from "../../src/config/index.ts";
import { b64, buildTestApp, fromB64, testDatabases, type TestApp } from "../support/databases.ts";
import { createInOtherOrganization } from "../support/other-organization.ts";
import {
  call,
  createSpace,
  createUnit,
  deployment,
  expectConfigHubShape,
  getUnit,
} from "./invoke-support.ts";

describe.each(testDatabases())("Unit writes on $name", (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(await target.open());
    return () => t.close();
  });

  const unitUrl = (space: string, unit: string) => `/api/space/${space}/unit/${unit}`;
  const put = (url: string, body: unknown, as: "admin" | "viewer" = "admin") =>
    t.request({ method: "PUT", url, body, as });
  const history = async (space: string, unit: string) => {
    const revisions = (await t.request({ method: "GET", url: `${unitUrl(space, unit)}/revision` })).json();
    const mutations = (await t.request({ method: "GET", url: `${unitUrl(space, unit)}/mutation` })).json();
    return {
      revisions: revisions.map((r: { Revision: Record<string, unknown> }) => r.Revision),
      mutations: mutations.map((m: { Mutation: Record<string, unknown> }) => m.Mutation),
    };
  };
  const whole = async (space: string, unit: string) => {
    const { data: _data, ...rest } = await getUnit(t, space, unit);
    return rest;
  };

  describe("PUT (UpdateUnit)", () => {
    it("replaces the whole Unit: a Data change writes one Revision (UpdateUnit), omitted members are cleared", async () => {
      const space = await createSpace(t, "put-replace");
      const unit = await createUnit(t, space, "web", deployment("web"), { Labels: { tier: "web" } });
      const read = await whole(space, unit.UnitID);
      const changed = deployment("web", { replicas: 5 });
      const response = await put(unitUrl(space, unit.UnitID), {
        ...read,
        Labels: { team: "a" },
        Annotations: undefined,
        Data: b64(changed),
        LastChangeDescription: "scale out",
      });
      expect(response.statusCode, response.body).toBe(200);
      const updated = response.json();
      expectConfigHubShape(updated, "Unit");
      expect(updated).toMatchObject({ Labels: { team: "a" }, HeadRevisionNum: 2, Version: 2 });
      expect(fromB64(updated.Data)).toBe(changed);
      const { revisions, mutations } = await history(space, unit.UnitID);
      expect(revisions.map((r: { Source: string }) => r.Source)).toEqual(["CreateUnit", "UpdateUnit"]);
      expect(revisions[1]).toMatchObject({ Description: "scale out", RevisionNum: 2 });
      expect(mutations).toHaveLength(2);

      // A whole Unit without DisplayName or Labels: DisplayName becomes the Slug, Labels empty.
      const bare = await put(unitUrl(space, unit.UnitID), {
        Slug: "web2",
        ToolchainType: "Kubernetes/YAML",
        Version: 2,
      });
      expect(bare.statusCode, bare.body).toBe(200);
      expect(bare.json()).toMatchObject({
        Slug: "web2",
        DisplayName: "web2",
        Labels: {},
        HeadRevisionNum: 2,
      });
      expect(fromB64(bare.json().Data)).toBe(changed);
    });

    it("requires the Version read and refuses a stale one with 409, writing nothing", async () => {
      const space = await createSpace(t, "put-version");
      const unit = await createUnit(t, space, "web", deployment("web"));
      const base = {
        Slug: "web",
        ToolchainType: "Kubernetes/YAML",
        Data: b64(deployment("web", { replicas: 3 })),
      };
      const missing = await put(unitUrl(space, unit.UnitID), base);
      expect(missing.statusCode).toBe(400);
      expect(missing.json().Message).toBe("body/Version is required");
      const stale = await put(unitUrl(space, unit.UnitID), { ...base, Version: 7 });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().Message).toMatch(/Version/);
      expect((await getUnit(t, space, unit.UnitID)).HeadRevisionNum).toBe(1);
    });

    it("checks the data like create (422 with line and column) and keeps the toolchain (400)", async () => {
      const space = await createSpace(t, "put-checks");
      const unit = await createUnit(t, space, "web", deployment("web"));
      const url = unitUrl(space, unit.UnitID);
      const malformed = await put(url, {
        Slug: "web",
        ToolchainType: "Kubernetes/YAML",
        Version: 1,
        Data: b64("a: 1\n  b: [\n"),
      });
      expect(malformed.statusCode).toBe(422);
      expect(malformed.json().Message).toMatch(
        /^body\/Data is not valid YAML: document 1, line \d+, column \d+/,
      );
      const toolchain = await put(url, { Slug: "web", ToolchainType: "AppConfig/Properties", Version: 1 });
      expect(toolchain.statusCode).toBe(400);
      expect(toolchain.json().Message).toMatch(/ToolchainType cannot change/);
    });

    it("is a 403 for a viewer and a 404 for another organization's Unit", async () => {
      const space = await createSpace(t, "put-access");
      const unit = await createUnit(t, space, "web", deployment("web"));
      const body = { Slug: "web", ToolchainType: "Kubernetes/YAML", Version: 1, Labels: { x: "y" } };
      expect((await put(unitUrl(space, unit.UnitID), body, "viewer")).statusCode).toBe(403);
      const theirs = await createInOtherOrganization(
        t,
        "unit",
        {
          Slug: "theirs",
          ToolchainType: "Kubernetes/YAML",
          Data: b64(deployment("theirs")),
        },
        "theirs-put",
      );
      const foreign = await put(unitUrl(theirs.spaceId, theirs.entity.UnitID!), body);
      expect(foreign.statusCode).toBe(404);
    });
  });

  describe("restore", () => {
    async function threeRevisions(slug: string) {
      const space = await createSpace(t, slug);
      const unit = await createUnit(t, space, "web", deployment("web", { replicas: 1 }));
      for (const replicas of [2, 3]) {
        const patched = await t.request({
          method: "PATCH",
          url: unitUrl(space, unit.UnitID),
          body: { Data: b64(deployment("web", { replicas })) },
        });
        expect(patched.statusCode, patched.body).toBe(200);
      }
      return { space, unitId: unit.UnitID, url: unitUrl(space, unit.UnitID) };
    }

    it("writes an earlier Revision's data as a new Revision with RestoredRevisionNum on the Mutation", async () => {
      const { space, unitId, url } = await threeRevisions("restore-num");
      const restored = await t.request({ method: "PATCH", url: `${url}?restore=1`, body: { Version: 3 } });
      expect(restored.statusCode, restored.body).toBe(200);
      expect(restored.json()).toMatchObject({ HeadRevisionNum: 4, Version: 4 });
      expect(fromB64(restored.json().Data)).toBe(deployment("web", { replicas: 1 }));
      const { revisions, mutations } = await history(space, unitId);
      expect(revisions[3]).toMatchObject({ RevisionNum: 4, Source: "RestoreRevision" });
      expect(mutations[3]).toMatchObject({
        RevisionNum: 4,
        RestoredRevisionNum: 1,
        Source: "RestoreRevision",
      });
      expect(mutations[2].RestoredRevisionNum).toBe(0);
      expectConfigHubShape(mutations[3], "Mutation");
    });

    it("takes Before:, named counters and Revision:<uuid> through PUT as well", async () => {
      const { space, unitId, url } = await threeRevisions("restore-forms");
      const read = await whole(space, unitId);
      // Before:HeadRevisionNum is Revision 2; the client sends back the Data it read: not a conflict.
      const before = await put(`${url}?restore=Before:HeadRevisionNum`, read);
      expect(before.statusCode, before.body).toBe(200);
      expect(fromB64(before.json().Data)).toBe(deployment("web", { replicas: 2 }));
      const { revisions } = await history(space, unitId);
      const first = revisions[0].RevisionID as string;
      const byId = await t.request({ method: "PATCH", url: `${url}?restore=Revision:${first}`, body: {} });
      expect(byId.statusCode, byId.body).toBe(200);
      expect(fromB64(byId.json().Data)).toBe(deployment("web", { replicas: 1 }));
      const { mutations } = await history(space, unitId);
      expect(mutations.map((m: { RestoredRevisionNum: number }) => m.RestoredRevisionNum)).toEqual([
        0, 0, 0, 2, 1,
      ]);
    });

    it("refuses what it cannot restore, naming the parameter, and writes nothing", async () => {
      const { space, unitId, url } = await threeRevisions("restore-bad");
      const cases: [string, number, RegExp][] = [
        ["LiveRevisionNum", 400, /restore 'LiveRevisionNum': Unit web has no LiveRevisionNum \(it is 0\)/],
        ["Before:1", 400, /no Revision before Revision 1/],
        ["0", 400, /not a Revision number/],
        ["yesterday", 400, /querystring\/restore 'yesterday' is not a revision/],
        [`Tag:${unitId}`, 400, /confn has no Tags/],
        ["Revision:nope", 400, /Revision: must be followed by a UUID/],
        ["42", 404, /Revision number 42 of Unit .* not found/],
        [`Revision:${unitId}`, 404, /Revision .* not found/],
        [`ChangeSet:${unitId}`, 404, /in ChangeSet .* not found/],
      ];
      for (const [spec, status, message] of cases) {
        const response = await t.request({
          method: "PATCH",
          url: `${url}?restore=${encodeURIComponent(spec)}`,
          body: {},
        });
        expect(response.statusCode, `${spec}: ${response.body}`).toBe(status);
        expect(response.json().Message).toMatch(message);
      }
      const both = await t.request({
        method: "PATCH",
        url: `${url}?restore=1`,
        body: { Data: b64(deployment("web", { replicas: 9 })) },
      });
      expect(both.statusCode).toBe(400);
      expect(both.json().Message).toMatch(/body\/Data and querystring\/restore both give the Unit new data/);
      const stale = await t.request({ method: "PATCH", url: `${url}?restore=1`, body: { Version: 1 } });
      expect(stale.statusCode).toBe(409);
      // No body at all: a 400 naming it, not a failure.
      const bodiless = await t.request({ method: "PATCH", url: `${url}?restore=1` });
      expect(bodiless.statusCode).toBe(400);
      expect(bodiless.json().Message).toMatch(/^body/);
      const bodilessPut = await t.request({ method: "PUT", url: `${url}?restore=1` });
      expect(bodilessPut.statusCode).toBe(400);
      expect((await getUnit(t, space, unitId)).HeadRevisionNum).toBe(3);
    });

    it("restores the latest Revision written in a ChangeSet", async () => {
      const space = await createSpace(t, "restore-changeset");
      const changeSet = (
        await t.request({ method: "POST", url: `/api/space/${space}/change_set`, body: { Slug: "cs" } })
      ).json();
      const unit = await createUnit(t, space, "web", deployment("web", { replicas: 1 }));
      const url = unitUrl(space, unit.UnitID);
      const patch = (body: Record<string, unknown>) => t.request({ method: "PATCH", url, body });
      expect((await patch({ ChangeSetID: changeSet.ChangeSetID })).statusCode).toBe(200);
      expect((await patch({ Data: b64(deployment("web", { replicas: 2 })) })).statusCode).toBe(200);
      expect((await patch({ ChangeSetID: null })).statusCode).toBe(200);
      expect((await patch({ Data: b64(deployment("web", { replicas: 3 })) })).statusCode).toBe(200);
      const restored = await t.request({
        method: "PATCH",
        url: `${url}?restore=ChangeSet:${changeSet.ChangeSetID}`,
        body: {},
      });
      expect(restored.statusCode, restored.body).toBe(200);
      expect(fromB64(restored.json().Data)).toBe(deployment("web", { replicas: 2 }));
      const { mutations } = await history(space, unit.UnitID);
      expect(mutations.at(-1).RestoredRevisionNum).toBe(2);
    });
  });

  describe("raw data", () => {
    it("downloads the Unit's and a Revision's data as octet-stream with the DataHash as ETag", async () => {
      const space = await createSpace(t, "data-get");
      const unit = await createUnit(t, space, "web", deployment("web"));
      const url = unitUrl(space, unit.UnitID);
      const read = await getUnit(t, space, unit.UnitID);
      const data = await t.request({ method: "GET", url: `${url}/data` });
      expect(data.statusCode).toBe(200);
      expect(data.headers["content-type"]).toBe("application/octet-stream");
      expect(data.headers.etag).toBe(`"${read.DataHash}"`);
      expect(data.body).toBe(deployment("web"));

      await t.request({ method: "PATCH", url, body: { Data: b64(deployment("web", { replicas: 4 })) } });
      const { revisions } = await history(space, unit.UnitID);
      const first = await t.request({
        method: "GET",
        url: `${url}/revision/${revisions[0].RevisionID}/data`,
      });
      expect(first.statusCode).toBe(200);
      expect(first.body).toBe(deployment("web"));
      expect(first.headers.etag).toBe(`"${revisions[0].DataHash}"`);
      const viewer = await t.request({ method: "GET", url: `${url}/data`, as: "viewer" });
      expect(viewer.body).toBe(deployment("web", { replicas: 4 }));
    });

    it("uploads raw data as one new Revision, conditional on If-Match (412 when stale)", async () => {
      const space = await createSpace(t, "data-put");
      const unit = await createUnit(t, space, "web", deployment("web"));
      const url = `${unitUrl(space, unit.UnitID)}/data`;
      const tag = (await t.request({ method: "GET", url })).headers.etag as string;
      const upload = (payload: string, headers: Record<string, string> = {}) =>
        t.request({
          method: "PUT",
          url,
          body: payload,
          headers: { "content-type": "application/octet-stream", ...headers },
        });
      const v2 = deployment("web", { replicas: 2 });
      const written = await upload(v2, { "if-match": tag });
      expect(written.statusCode, written.body).toBe(200);
      expect(written.json()).toMatchObject({ HeadRevisionNum: 2, Version: 2 });
      expect(written.headers.etag).toBe(`"${written.json().DataHash}"`);
      expect(written.headers.etag).not.toBe(tag);

      const stale = await upload(deployment("web", { replicas: 3 }), { "if-match": tag });
      expect(stale.statusCode).toBe(412);
      expect(stale.json()).toEqual({
        Code: "412",
        Message: expect.stringMatching(
          /^If-Match ".*" does not match Unit web's data \(ETag ".*"\): it changed/,
        ),
      });
      const weak = await upload(v2, { "if-match": `W/${written.headers.etag}` });
      expect(weak.statusCode).toBe(412);
      const unconditional = await upload(deployment("web", { replicas: 3 }), {
        "content-type": "text/plain",
      });
      expect(unconditional.statusCode, unconditional.body).toBe(200);
      const { revisions } = await history(space, unit.UnitID);
      expect(revisions.map((r: { Source: string }) => r.Source)).toEqual([
        "CreateUnit",
        "UpdateUnit",
        "UpdateUnit",
      ]);
      expect((await t.request({ method: "GET", url })).body).toBe(deployment("web", { replicas: 3 }));
    });

    it("checks the upload: 422 with line and column, 413 over the size limit, 415 for JSON", async () => {
      const space = await createSpace(t, "data-checks");
      const unit = await createUnit(t, space, "web", deployment("web"));
      const url = `${unitUrl(space, unit.UnitID)}/data`;
      const send = (payload: string | Buffer, type = "application/octet-stream") =>
        t.request({ method: "PUT", url, body: payload, headers: { "content-type": type } });
      const malformed = await send("kind: Deployment\nmetadata: {name: [\n");
      expect(malformed.statusCode).toBe(422);
      expect(malformed.json().Message).toMatch(/^body is not valid YAML: document 1, line \d+, column \d+: /);
      const binary = await send(Buffer.from([0xff, 0xfe, 0x00]));
      expect(binary.statusCode).toBe(422);
      expect(binary.json().Message).toBe("body is not UTF-8 text: config data must be text");
      const huge = await send(Buffer.alloc(UNIT_DATA_MAX_BYTES + 1, 0x61));
      expect(huge.statusCode).toBe(413);
      expect(huge.json().Code).toBe("413");
      const json = await send(JSON.stringify({ a: 1 }), "application/json");
      expect(json.statusCode).toBe(415);
      expect((await getUnit(t, space, unit.UnitID)).HeadRevisionNum).toBe(1);
    });

    it("runs the Space's triggers on uploaded data", async () => {
      const space = await createSpace(t, "data-triggers");
      const trigger = await t.request({
        method: "POST",
        url: `/api/space/${space}/trigger`,
        body: {
          Slug: "owner",
          Event: "Mutation",
          ToolchainType: "Kubernetes/YAML",
          ...call("set-label", "owner", "team-a"),
        },
      });
      expect(trigger.statusCode, trigger.body).toBe(200);
      const unit = await createUnit(t, space, "web", deployment("web"));
      const uploaded = await t.request({
        method: "PUT",
        url: `${unitUrl(space, unit.UnitID)}/data`,
        body: deployment("web", { replicas: 6 }),
        headers: { "content-type": "application/yaml" },
      });
      expect(uploaded.statusCode, uploaded.body).toBe(200);
      const data = fromB64(uploaded.json().Data);
      expect(data).toContain("replicas: 6");
      expect(data).toContain("owner: team-a");
      const { mutations } = await history(space, unit.UnitID);
      expect(mutations.at(-1).TriggerID).toBe(trigger.json().TriggerID);
    });

    it("is a 404 for another organization's Unit and a 403 for a viewer's upload", async () => {
      const theirs = await createInOtherOrganization(
        t,
        "unit",
        {
          Slug: "theirs",
          ToolchainType: "Kubernetes/YAML",
          Data: b64(deployment("theirs")),
        },
        "theirs-data",
      );
      const url = `${unitUrl(theirs.spaceId, theirs.entity.UnitID!)}/data`;
      expect((await t.request({ method: "GET", url })).statusCode).toBe(404);
      const upload = await t.request({
        method: "PUT",
        url,
        body: "a: 1\n",
        headers: { "content-type": "application/octet-stream" },
      });
      expect(upload.statusCode).toBe(404);
      const space = await createSpace(t, "data-viewer");
      const unit = await createUnit(t, space, "web", deployment("web"));
      const viewer = await t.request({
        method: "PUT",
        url: `${unitUrl(space, unit.UnitID)}/data`,
        body: "a: 1\n",
        as: "viewer",
        headers: { "content-type": "application/octet-stream" },
      });
      expect(viewer.statusCode).toBe(403);
    });
  });
});

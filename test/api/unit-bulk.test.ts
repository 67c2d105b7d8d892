// Bulk Unit operations on /api/unit (ConfigHub's BulkCreateUnits, BulkPatchUnits, BulkDeleteUnits):
// selected by where/contains/filter across the organization, one element per Unit, 200 when all
// succeeded and 207 otherwise, each Unit written (or not) on its own, bounded, and never a silent
// success for a selection that matches nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_BULK_UNITS } from "../../src/api/routes/unit-bulk.ts";
import type { Database } from "../../src/store/database.ts";
import { b64, buildTestApp, fromB64, testDatabases, type TestApp } from "../support/databases.ts";
import {
  call,
  createSpace,
  createUnit,
  deployment,
  expectConfigHubShape,
  writeCounts,
} from "./invoke-support.ts";

interface Element {
  Unit?: Record<string, unknown> & { UnitID: string; Slug: string; SpaceID: string; Version: number };
  Error?: { Message: string; Details: string[]; Status: number; Type: string; ErrorCategory: string };
}

describe.each(testDatabases())("bulk Unit operations on $name", (target) => {
  let database: Database;
  let t: TestApp;
  let n = 0;
  /** A label value unique to one test, so its `where` selects only its own Units. */
  const unique = (prefix: string) => `${prefix}-${++n}`;

  beforeAll(async () => {
    database = await target.open();
    t = await buildTestApp(database);
    return () => t.close();
  });

  const merge = { "content-type": "application/merge-patch+json" };
  const url = (query: Record<string, string>) => `/api/unit?${new URLSearchParams(query).toString()}`;
  const bulk = (method: "POST" | "PATCH" | "DELETE", query: Record<string, string>, body?: unknown) =>
    t.request({
      method,
      url: url(query),
      ...(body !== undefined ? { body: JSON.stringify(body), headers: merge } : {}),
    });
  function elements(
    response: { statusCode: number; body: string; json(): unknown },
    status: number,
  ): Element[] {
    expect(response.statusCode, response.body).toBe(status);
    const list = response.json() as Element[];
    expect(Array.isArray(list)).toBe(true);
    return list;
  }
  async function unitsOf(run: string) {
    const response = await t.request({
      method: "GET",
      url: `/api/unit?where=${encodeURIComponent(`Labels.run = '${run}'`)}`,
    });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { Unit: Record<string, unknown> & { Slug: string; Data: string } }[]).map(
      (e) => e.Unit,
    );
  }

  describe("PATCH (BulkPatchUnits)", () => {
    it("merges the patch into every selected Unit, across Spaces, and leaves the others alone", async () => {
      const run = unique("patch");
      const a = await createSpace(t, unique("a"));
      const b = await createSpace(t, unique("b"));
      await createUnit(t, a, "web", deployment("web"), { Labels: { run, tier: "web" } });
      await createUnit(t, b, "api", deployment("api"), { Labels: { run, tier: "api", old: "x" } });
      const other = await createUnit(t, b, "db", deployment("db"), { Labels: { tier: "db" } });

      const list = elements(
        await bulk(
          "PATCH",
          { where: `Labels.run = '${run}'` },
          { Labels: { team: "platform", old: null }, DisplayName: "Owned" },
        ),
        200,
      );
      expect(list.map((e) => e.Unit?.Slug)).toEqual(["api", "web"]);
      for (const element of list) {
        expectConfigHubShape(element, "UnitCreateOrUpdateResponse");
        expect(element.Error).toBeUndefined();
        expect(element.Unit).toMatchObject({ DisplayName: "Owned", Version: 2, HeadRevisionNum: 1 });
        expect(element.Unit!.Labels).toMatchObject({ run, team: "platform" });
        expect(element.Unit!.Labels).not.toHaveProperty("old");
        // The answer leaves Data out; GET has it.
        expect(element.Unit).not.toHaveProperty("Data");
      }
      const untouched = await t.request({ method: "GET", url: `/api/space/${b}/unit/${other.UnitID}` });
      expect(untouched.json().Unit).toMatchObject({ Version: 1, Labels: { tier: "db" } });
    });

    it("a Data patch writes one Revision per Unit (Source PatchUnit) through the Space's triggers", async () => {
      const run = unique("data");
      const space = await createSpace(t, unique("s"));
      await createUnit(t, space, "web", deployment("web"), { Labels: { run } });
      await createUnit(t, space, "api", deployment("api"), { Labels: { run } });
      const trigger = await t.request({
        method: "POST",
        url: `/api/space/${space}/trigger`,
        body: {
          Slug: "stamp",
          Event: "Mutation",
          ToolchainType: "Kubernetes/YAML",
          ...call("set-annotation", "example.com/stamped", "by-trigger"),
        },
      });
      expect(trigger.statusCode, trigger.body).toBe(200);

      const list = elements(
        await bulk(
          "PATCH",
          { where: `Labels.run = '${run}'` },
          { Data: b64(deployment("shared", { replicas: 3 })) },
        ),
        200,
      );
      expect(list.map((e) => e.Unit?.HeadRevisionNum)).toEqual([2, 2]);
      for (const unit of await unitsOf(run)) {
        expect(fromB64(unit.Data)).toContain("replicas: 3");
        expect(fromB64(unit.Data)).toContain("example.com/stamped: by-trigger");
        const revisions = await t.request({
          method: "GET",
          url: `/api/space/${space}/unit/${unit.UnitID as string}/revision`,
        });
        expect(revisions.json().map((r: { Revision: { Source: string } }) => r.Revision.Source)).toEqual([
          "CreateUnit",
          "PatchUnit",
        ]);
      }
    });

    it("one Unit's failure is its own element (207); the others are written and it is left untouched", async () => {
      const run = unique("mixed");
      const space = await createSpace(t, unique("s"));
      await createUnit(t, space, "a", deployment("a"), { Labels: { run } });
      await createUnit(t, space, "b", deployment("b"), { Labels: { run } });
      // Renaming both to the same Slug: the second collides with the first.
      const before = await writeCounts(database, t.org.organizationId);
      const list = elements(await bulk("PATCH", { where: `Labels.run = '${run}'` }, { Slug: "same" }), 207);
      expect(list[0]!.Unit).toMatchObject({ Slug: "same" });
      expectConfigHubShape(list[1], "UnitCreateOrUpdateResponse");
      expect(list[1]!.Unit).toBeUndefined();
      expect(list[1]!.Error).toMatchObject({
        Status: 409,
        Type: "DUPLICATE_SLUG",
        ErrorCategory: "conflict",
      });
      expect(list[1]!.Error!.Message).toMatch(/^patching Unit b of Space s-\d+: /);
      expect((await unitsOf(run)).map((u) => u.Slug).sort()).toEqual(["b", "same"]);
      expect(await writeCounts(database, t.org.organizationId)).toEqual(before);
    });

    it("each Unit is Version-guarded: a body Version that a Unit is not at is a 409 for that Unit only", async () => {
      const run = unique("version");
      const space = await createSpace(t, unique("s"));
      await createUnit(t, space, "a", deployment("a"), { Labels: { run } });
      const b = await createUnit(t, space, "b", deployment("b"), { Labels: { run } });
      await t.request({
        method: "PATCH",
        url: `/api/space/${space}/unit/${b.UnitID}`,
        body: { DisplayName: "moved on" },
      });
      const list = elements(
        await bulk("PATCH", { where: `Labels.run = '${run}'` }, { Version: 1, Annotations: { x: "y" } }),
        207,
      );
      expect(list[0]!.Unit).toMatchObject({ Slug: "a", Version: 2, Annotations: { x: "y" } });
      expect(list[1]!.Error).toMatchObject({ Status: 409, Type: "VERSION_CONFLICT" });
      const kept = await t.request({ method: "GET", url: `/api/space/${space}/unit/${b.UnitID}` });
      expect(kept.json().Unit.Annotations).toEqual({});
    });

    it("invalid Data is a 422 element per Unit, and nothing is written", async () => {
      const run = unique("bad");
      const space = await createSpace(t, unique("s"));
      await createUnit(t, space, "a", deployment("a"), { Labels: { run } });
      const before = await writeCounts(database, t.org.organizationId);
      const list = elements(
        await bulk("PATCH", { where: `Labels.run = '${run}'` }, { Data: b64("a: [unclosed\n") }),
        207,
      );
      expect(list[0]!.Error).toMatchObject({ Status: 422, ErrorCategory: "data" });
      expect(await writeCounts(database, t.org.organizationId)).toEqual(before);
    });
  });

  describe("POST (BulkCreateUnits: clone)", () => {
    it("clones every selected Unit once per name prefix, recording its upstream and Revision 1 CloneUnit", async () => {
      const run = unique("clone");
      const space = await createSpace(t, unique("s"));
      const source = await createUnit(t, space, "web", deployment("web"), {
        Labels: { run, tier: "web" },
        DisplayName: "Web",
      });
      const list = elements(
        await bulk(
          "POST",
          { where: `Labels.run = '${run}' AND UpstreamRevisionNum = 0`, name_prefixes: "dev-,staging-" },
          { Labels: { env: "lower" } },
        ),
        200,
      );
      expect(list.map((e) => e.Unit?.Slug)).toEqual(["dev-web", "staging-web"]);
      for (const element of list) {
        expectConfigHubShape(element, "UnitCreateOrUpdateResponse");
        expect(element.Unit).toMatchObject({
          SpaceID: space,
          DisplayName: "Web",
          Labels: { run, tier: "web", env: "lower" },
          UpstreamUnitID: source.UnitID,
          UpstreamSpaceID: space,
          UpstreamOrganizationID: t.org.organizationId,
          UpstreamRevisionNum: 1,
          HeadRevisionNum: 1,
        });
        const unitUrl = `/api/space/${space}/unit/${element.Unit!.UnitID}`;
        const unit = (await t.request({ method: "GET", url: unitUrl })).json().Unit;
        expect(fromB64(unit.Data)).toBe(deployment("web"));
        const revisions = (await t.request({ method: "GET", url: `${unitUrl}/revision` })).json();
        expect(revisions.map((r: { Revision: { Source: string } }) => r.Revision.Source)).toEqual([
          "CloneUnit",
        ]);
      }
    });

    it("clones into every Space where_space selects; a trigger failing in one Space fails only those clones", async () => {
      const run = unique("spaces");
      const home = await createSpace(t, unique("home"));
      const good = await createSpace(t, `${run}-good`);
      const broken = await createSpace(t, `${run}-broken`);
      await createUnit(t, home, "web", deployment("web"), { Labels: { run } });
      const failing = await t.request({
        method: "POST",
        url: `/api/space/${broken}/trigger`,
        body: {
          Slug: "needs-map",
          Event: "Mutation",
          ToolchainType: "Kubernetes/YAML",
          ...call("delete-resource", "v1/ConfigMap", "apps/missing"),
        },
      });
      expect(failing.statusCode, failing.body).toBe(200);

      const list = elements(
        await bulk("POST", { where: `Labels.run = '${run}'`, where_space: `Slug LIKE '${run}-%'` }),
        207,
      );
      expect(list).toHaveLength(2);
      const created = list.find((e) => e.Unit);
      const refused = list.find((e) => e.Error);
      expect(created!.Unit).toMatchObject({ Slug: "web", SpaceID: good });
      expect(refused!.Error).toMatchObject({ Status: 422, Type: "TRIGGER_FAILED" });
      expect(refused!.Error!.Message).toMatch(/Trigger needs-map/);
      const inBroken = await t.request({ method: "GET", url: `/api/space/${broken}/unit` });
      expect(inBroken.json()).toEqual([]);
    });

    it("clones into the Spaces a saved Filter From Space selects (filter_space), AND-ed with where_space", async () => {
      const run = unique("filter-space");
      const home = await createSpace(t, unique("home"));
      const first = await createSpace(t, `${run}-a`);
      await createSpace(t, `${run}-b`);
      await createUnit(t, home, "web", deployment("web"), { Labels: { run } });
      const saved = async (body: Record<string, unknown>) => {
        const response = await t.request({ method: "POST", url: `/api/space/${home}/filter`, body });
        expect(response.statusCode, response.body).toBe(200);
        return response.json().FilterID as string;
      };
      const spaces = await saved({ Slug: `${run}-spaces`, From: "Space", Where: `Slug LIKE '${run}-%'` });
      const list = elements(
        await bulk("POST", {
          where: `Labels.run = '${run}'`,
          filter_space: spaces,
          where_space: "Slug LIKE '%-a'",
        }),
        200,
      );
      expect(list.map((e) => e.Unit?.SpaceID)).toEqual([first]);

      const units = await saved({ Slug: `${run}-units`, From: "Unit", Where: "Slug = 'web'" });
      const wrong = await bulk("POST", { where: `Labels.run = '${run}'`, filter_space: units });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().Message).toMatch(/querystring\/filter_space: Filter .+ selects Unit entities/);
    });

    it("a clone whose Slug exists is a 409 element, or the existing Unit with allow_exists=true", async () => {
      const run = unique("exists");
      const space = await createSpace(t, unique("s"));
      await createUnit(t, space, "web", deployment("web"), { Labels: { run } });
      await createUnit(t, space, "copy-web", deployment("other"));
      const query = { where: `Labels.run = '${run}'`, name_prefixes: "copy-" };
      const [conflict] = elements(await bulk("POST", query), 207);
      expect(conflict!.Error).toMatchObject({ Status: 409, Type: "DUPLICATE_SLUG" });
      expect(conflict!.Error!.Message).toMatch(/^cloning s-\d+\/web as Unit copy-web of Space s-\d+: /);
      const [existing] = elements(await bulk("POST", { ...query, allow_exists: "true" }), 200);
      expect(existing!.Unit).toMatchObject({ Slug: "copy-web", UpstreamRevisionNum: 0 });
    });

    it("checks a body's Data and ToolchainType per clone, creating nothing that fails them", async () => {
      const run = unique("body");
      const space = await createSpace(t, unique("s"));
      await createUnit(t, space, "web", deployment("web"), { Labels: { run } });
      const query = { where: `Labels.run = '${run}' AND UpstreamRevisionNum = 0`, name_prefixes: "x-" };
      const [badData] = elements(await bulk("POST", query, { Data: b64("a: [unclosed\n") }), 207);
      expect(badData!.Error).toMatchObject({ Status: 422, Type: "UNPROCESSABLE", ErrorCategory: "data" });
      const [badToolchain] = elements(
        await bulk("POST", query, { ToolchainType: "AppConfig/Properties" }),
        207,
      );
      expect(badToolchain!.Error).toMatchObject({ Status: 400, Type: "BAD_REQUEST" });
      expect(badToolchain!.Error!.Message).toMatch(/body\/ToolchainType cannot change/);
      expect((await unitsOf(run)).map((u) => u.Slug)).toEqual(["web"]);

      const [withData] = elements(
        await bulk("POST", query, { Data: b64(deployment("other", { replicas: 7 })) }),
        200,
      );
      const clone = await t.request({
        method: "GET",
        url: `/api/space/${space}/unit/${withData!.Unit!.UnitID}`,
      });
      expect(fromB64(clone.json().Unit.Data)).toBe(deployment("other", { replicas: 7 }));
    });

    it("needs name_prefixes or where_space, and checks the prefixes", async () => {
      const noTarget = await bulk("POST", { where: "Slug = 'web'" });
      expect(noTarget.statusCode).toBe(400);
      expect(noTarget.json().Message).toMatch(/needs name_prefixes, where_space or filter_space/);
      const bad = await bulk("POST", { where: "Slug = 'web'", name_prefixes: "ok-,-bad" });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().Message).toMatch(/querystring\/name_prefixes: prefix "-bad"/);
    });
  });

  describe("DELETE (BulkDeleteUnits)", () => {
    it("deletes every selected Unit; a delete-gated one is a 422 element and stays", async () => {
      const run = unique("delete");
      const space = await createSpace(t, unique("s"));
      await createUnit(t, space, "a", deployment("a"), { Labels: { run } });
      await createUnit(t, space, "b", deployment("b"), { Labels: { run }, DeleteGates: { keep: true } });
      await createUnit(t, space, "c", deployment("c"), { Labels: { run } });
      const list = elements(await bulk("DELETE", { where: `Labels.run = '${run}'` }), 207);
      for (const element of list) expectConfigHubShape(element, "DeleteResponse");
      expect(list.map((e) => e.Error?.Status)).toEqual([undefined, 422, undefined]);
      expect(list[0]!).toMatchObject({
        Message: expect.stringMatching(/^Unit a \(.+\) of Space s-\d+ deleted$/),
      });
      expect(list[1]!.Error).toMatchObject({ Type: "DELETE_GATED" });
      expect((await unitsOf(run)).map((u) => u.Slug)).toEqual(["b"]);
    });

    it("selects with a saved Filter, limited to its FromSpaceID", async () => {
      const run = unique("filter");
      const a = await createSpace(t, unique("a"));
      const b = await createSpace(t, unique("b"));
      await createUnit(t, a, "web", deployment("web"), { Labels: { run } });
      await createUnit(t, b, "web", deployment("web"), { Labels: { run } });
      const filter = await t.request({
        method: "POST",
        url: `/api/space/${a}/filter`,
        body: { Slug: "mine", From: "Unit", Where: `Labels.run = '${run}'`, FromSpaceID: a },
      });
      expect(filter.statusCode, filter.body).toBe(200);
      const list = elements(await bulk("DELETE", { filter: filter.json().FilterID }), 200);
      expect(list).toHaveLength(1);
      const left = await unitsOf(run);
      expect(left.map((u) => u.SpaceID)).toEqual([b]);
    });
  });

  describe("every bulk operation", () => {
    const operations = [
      ["POST", { name_prefixes: "x-" }, {}],
      ["PATCH", {}, { DisplayName: "x" }],
      ["DELETE", {}, undefined],
    ] as const;

    it.each(operations)(
      "%s: a selection that matches nothing is a 404 naming it, not an empty success",
      async (method, extra, body) => {
        const before = await writeCounts(database, t.org.organizationId);
        const response = await bulk(method, { where: "Labels.run = 'no-such-run'", ...extra }, body);
        expect(response.statusCode, response.body).toBe(404);
        expect(response.json()).toEqual({
          Code: "404",
          Message: `querystring: where "Labels.run = 'no-such-run'" selects no Unit of the organization; nothing was changed`,
        });
        expect(await writeCounts(database, t.org.organizationId)).toEqual(before);
      },
    );

    it.each(operations)(
      "%s: without where, contains or filter it is refused (it would touch every Unit)",
      async (method, extra, body) => {
        const response = await bulk(method, { ...extra }, body);
        expect(response.statusCode, response.body).toBe(400);
        expect(response.json().Message).toMatch(/needs where, contains or filter/);
      },
    );

    it.each(operations)(
      "%s: a viewer is refused with 403 and nothing changes",
      async (method, extra, body) => {
        const run = unique("viewer");
        const space = await createSpace(t, unique("s"));
        await createUnit(t, space, "web", deployment("web"), { Labels: { run } });
        const response = await t.request({
          method,
          url: url({ where: `Labels.run = '${run}'`, ...extra }),
          as: "viewer",
          ...(body !== undefined ? { body } : {}),
        });
        expect(response.statusCode).toBe(403);
        expect((await unitsOf(run)).map((u) => u.Version)).toEqual([1]);
      },
    );

    it.each(operations)(
      "%s: parameters ConfigHub defines that confn does not implement are a 400 naming them",
      async (method, extra, body) => {
        const response = await bulk(method, { where: "Slug = 'web'", include: "SpaceID", ...extra }, body);
        expect(response.statusCode).toBe(400);
        expect(response.json().Message).toMatch(/unknown parameter 'include'/);
      },
    );

    it.each(operations)(
      "%s: another organization's Units are never selected",
      async (method, extra, body) => {
        const run = unique("theirs");
        const token = t.otherOrg.tokens.admin;
        const theirs = await t.request({ method: "POST", url: "/api/space", body: { Slug: run }, token });
        const created = await t.request({
          method: "POST",
          url: `/api/space/${theirs.json().SpaceID}/unit`,
          body: {
            Slug: "web",
            ToolchainType: "Kubernetes/YAML",
            Data: b64(deployment("web")),
            Labels: { run },
          },
          token,
        });
        expect(created.statusCode, created.body).toBe(200);
        const response = await bulk(method, { where: `Labels.run = '${run}'`, ...extra }, body);
        expect(response.statusCode).toBe(404);
        const still = await t.request({
          method: "GET",
          url: `/api/space/${theirs.json().SpaceID}/unit/${created.json().UnitID}`,
          token,
        });
        expect(still.json().Unit.Version).toBe(1);
      },
    );

    it("a selection over the limit is refused before anything is written", async () => {
      const run = unique("many");
      const space = await createSpace(t, unique("s"));
      // Insert the Units directly: creating MAX_BULK_UNITS + 1 through the API is slow.
      const rows = Array.from({ length: MAX_BULK_UNITS + 1 }, (_, i) => ({
        unit_id: crypto.randomUUID(),
        organization_id: t.org.organizationId,
        space_id: space,
        slug: `u${i}`,
        display_name: "",
        labels: JSON.stringify({ run }),
        annotations: "{}",
        delete_gates: "{}",
        destroy_gates: "{}",
        toolchain_type: "Kubernetes/YAML",
        version: 1,
      }));
      await database.db.insertInto("units").values(rows).execute();
      const before = await writeCounts(database, t.org.organizationId);
      for (const [method, body] of [
        ["PATCH", { DisplayName: "x" }],
        ["DELETE", undefined],
      ] as const) {
        const response = await bulk(method, { where: `Labels.run = '${run}'` }, body);
        expect(response.statusCode, response.body).toBe(400);
        expect(response.json().Message).toMatch(new RegExp(`selects more than ${MAX_BULK_UNITS} Units`));
      }
      // 112 Units (u1, u10..u19, u100..u199, u1000) × 10 prefixes: more clones than the limit.
      const clones = await bulk("POST", {
        where: `Labels.run = '${run}' AND Slug LIKE 'u1%'`,
        name_prefixes: Array.from({ length: 10 }, (_, i) => `p${i}-`).join(","),
      });
      expect(clones.statusCode, clones.body).toBe(400);
      expect(clones.json().Message).toMatch(/112 Units × 1 Spaces × 10 name prefixes make 1120 clones/);
      expect(await writeCounts(database, t.org.organizationId)).toEqual(before);
      const count = await database.db
        .selectFrom("units")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("space_id", "=", space)
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(MAX_BULK_UNITS + 1);
    });
  });
});

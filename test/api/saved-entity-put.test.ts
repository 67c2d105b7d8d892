// PUT (ConfigHub's UpdateX) on every entity that has PATCH besides Units (test/api/unit-writes.test.ts):
// the whole entity replaces the current one, with the Version read required (stale: 409), the
// same checks as a create, 403 for a viewer and 404 for another organization's entity.
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import { createInOtherOrganization } from "../support/other-organization.ts";
import { call, createSpace, expectConfigHubShape } from "./invoke-support.ts";

interface Kind {
  readonly path: string;
  readonly entity: string;
  readonly create: Record<string, unknown>;
  /** A whole replacement (no Labels: a full replace drops them). */
  readonly replace: Record<string, unknown>;
  /** What the replacement reads back as. */
  readonly expected: Record<string, unknown>;
  /** A whole body a create refuses, and the message. */
  readonly invalid: [Record<string, unknown>, RegExp];
}

const KINDS: readonly Kind[] = [
  {
    path: "filter",
    entity: "Filter",
    create: { Slug: "web", From: "Unit", Where: "Slug = 'web'", Labels: { team: "a" } },
    replace: { Slug: "api", From: "Unit", Where: "Slug = 'api'" },
    expected: { Slug: "api", Where: "Slug = 'api'", DisplayName: "api", Labels: {} },
    invalid: [{ Slug: "x", From: "Unit", Where: "Nope = 1" }, /Nope/],
  },
  {
    path: "invocation",
    entity: "Invocation",
    create: {
      Slug: "label",
      ToolchainType: "Kubernetes/YAML",
      ...call("set-label", "a", "b"),
      Labels: { team: "a" },
    },
    replace: { Slug: "scale", ToolchainType: "Kubernetes/YAML", ...call("set-replicas", 3) },
    expected: { Slug: "scale", FunctionName: "set-replicas", Arguments: [{ Value: 3 }], Labels: {} },
    invalid: [{ Slug: "x", ToolchainType: "Kubernetes/YAML", ...call("set-lable", "a", "b") }, /set-lable/],
  },
  {
    path: "trigger",
    entity: "Trigger",
    create: {
      Slug: "label",
      Event: "Mutation",
      ToolchainType: "Kubernetes/YAML",
      Disabled: true,
      Labels: { team: "a" },
      ...call("set-label", "a", "b"),
    },
    replace: {
      Slug: "replicas",
      Event: "Mutation",
      ToolchainType: "Kubernetes/YAML",
      Disabled: true,
      ...call("cel-validate", "r.spec.replicas > 1"),
    },
    expected: { Slug: "replicas", FunctionName: "cel-validate", Validating: true, Labels: {} },
    invalid: [
      { Slug: "x", Event: "Apply", ToolchainType: "Kubernetes/YAML", ...call("set-label", "a", "b") },
      /Apply/,
    ],
  },
  {
    path: "change_set",
    entity: "ChangeSet",
    create: { Slug: "q3", Description: "nginx 1.27", Labels: { team: "a" } },
    replace: { Slug: "q4", Description: "redis 7" },
    expected: { Slug: "q4", Description: "redis 7", Labels: {} },
    invalid: [{ Slug: "not a slug!" }, /Slug/],
  },
];

describe.each(testDatabases())("PUT on $name", (target) => {
  let t: TestApp;
  let space: string;
  beforeAll(async () => {
    t = await buildTestApp(await target.open());
    space = await createSpace(t, "put-entities");
    return () => t.close();
  });

  describe.each(KINDS)("$entity", (kind) => {
    it("replaces the whole entity, Version-guarded: 400 without it, 409 when stale", async () => {
      const created = await t.request({
        method: "POST",
        url: `/api/space/${space}/${kind.path}`,
        body: kind.create,
      });
      expect(created.statusCode, created.body).toBe(200);
      const id = created.json()[`${kind.entity}ID`] as string;
      const url = `/api/space/${space}/${kind.path}/${id}`;

      const missing = await t.request({ method: "PUT", url, body: kind.replace });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().Message).toBe("body/Version is required");

      const replaced = await t.request({ method: "PUT", url, body: { ...kind.replace, Version: 1 } });
      expect(replaced.statusCode, replaced.body).toBe(200);
      expectConfigHubShape(replaced.json(), kind.entity);
      expect(replaced.json()).toMatchObject({ ...kind.expected, Version: 2 });
      expect((await t.request({ method: "GET", url })).json()[kind.entity]).toEqual(replaced.json());

      // The client sends back what it read: read-only members are accepted and ignored.
      const roundTrip = await t.request({ method: "PUT", url, body: replaced.json() });
      expect(roundTrip.statusCode, roundTrip.body).toBe(200);
      expect(roundTrip.json().Version).toBe(2);

      const stale = await t.request({ method: "PUT", url, body: { ...kind.create, Version: 1 } });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().Message).toMatch(/Version/);

      const [invalidBody, message] = kind.invalid;
      const invalid = await t.request({ method: "PUT", url, body: { ...invalidBody, Version: 2 } });
      expect(invalid.statusCode, invalid.body).toBe(400);
      expect(invalid.json().Message).toMatch(message);
      expect((await t.request({ method: "GET", url })).json()[kind.entity]).toEqual(replaced.json());
    });

    it("is a 403 for a viewer and a 404 for another organization's entity", async () => {
      const created = await t.request({
        method: "POST",
        url: `/api/space/${space}/${kind.path}`,
        body: { ...kind.create, Slug: `${kind.path.replace("_", "-")}-viewer` },
      });
      const id = created.json()[`${kind.entity}ID`] as string;
      const body = { ...kind.replace, Version: 1 };
      const viewer = await t.request({
        method: "PUT",
        url: `/api/space/${space}/${kind.path}/${id}`,
        body,
        as: "viewer",
      });
      expect(viewer.statusCode).toBe(403);
      const theirs = await createInOtherOrganization(
        t,
        kind.path,
        kind.create,
        `theirs-${kind.path.replace("_", "-")}`,
      );
      const foreign = await t.request({
        method: "PUT",
        url: `/api/space/${theirs.spaceId}/${kind.path}/${theirs.entity[`${kind.entity}ID`]}`,
        body,
      });
      expect(foreign.statusCode).toBe(404);
    });
  });

  describe("Space", () => {
    it("replaces the whole Space, Version-guarded; 403 for a viewer, 404 for another organization's", async () => {
      const created = await t.request({
        method: "POST",
        url: "/api/space",
        body: { Slug: "put-space", Labels: { env: "prod" }, DisplayName: "Production" },
      });
      const url = `/api/space/${created.json().SpaceID}`;
      const replaced = await t.request({ method: "PUT", url, body: { Slug: "put-space-2", Version: 1 } });
      expect(replaced.statusCode, replaced.body).toBe(200);
      expectConfigHubShape(replaced.json(), "Space");
      expect(replaced.json()).toMatchObject({
        Slug: "put-space-2",
        DisplayName: "put-space-2",
        Labels: {},
        Version: 2,
      });
      const stale = await t.request({ method: "PUT", url, body: { Slug: "put-space-3", Version: 1 } });
      expect(stale.statusCode).toBe(409);
      const missing = await t.request({ method: "PUT", url, body: { Slug: "put-space-3" } });
      expect(missing.statusCode).toBe(400);
      const viewer = await t.request({ method: "PUT", url, body: { Slug: "v", Version: 2 }, as: "viewer" });
      expect(viewer.statusCode).toBe(403);
      const theirs = await t.request({
        method: "PUT",
        url,
        body: { Slug: "v", Version: 2 },
        token: t.otherOrg.tokens.admin,
      });
      expect(theirs.statusCode).toBe(404);
      expect((await t.request({ method: "GET", url })).json().Space.Slug).toBe("put-space-2");
    });
  });
});

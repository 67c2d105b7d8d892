// The auth matrix: every /api route (checked against the OpenAPI document, so a new route must be
// added here) with no token, a malformed header, an unknown token, a viewer, and another
// organization's admin.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { b64, buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";

interface Ids {
  spaceId: string;
  unitId: string;
  revisionId: string;
  /** A live editor token of the test organization, for the revoke route. */
  tokenId: string;
  /** One saved entity of each kind in the Space: filter, invocation, trigger, change_set, bridge_worker. */
  saved: Record<SavedKind, string>;
  /** A connection-history entry of the fixture's bridge worker. */
  workerStatusId: string;
}

type SavedKind = "filter" | "invocation" | "trigger" | "change_set" | "bridge_worker";

/** Create bodies for the saved entities (the trigger is disabled: it must not act on the fixture's writes). */
const SAVED_BODIES: Record<SavedKind, () => Record<string, unknown>> = {
  filter: () => ({ Slug: fresh("filter"), From: "Unit", Where: "Slug = 'web'" }),
  invocation: () => ({
    Slug: fresh("invocation"),
    FunctionName: "get-replicas",
    ToolchainType: "Kubernetes/YAML",
  }),
  trigger: () => ({
    Slug: fresh("trigger"),
    Event: "Mutation",
    ToolchainType: "Kubernetes/YAML",
    FunctionName: "get-replicas",
    Disabled: true,
  }),
  change_set: () => ({ Slug: fresh("change-set") }),
  bridge_worker: () => ({ Slug: fresh("worker") }),
};

const ID_PARAMS: Record<SavedKind, string> = {
  filter: "filter_id",
  invocation: "invocation_id",
  trigger: "trigger_id",
  change_set: "change_set_id",
  bridge_worker: "bridge_worker_id",
};

/** The fixture's bridge worker, and its routes beyond the saved-entity CRUD. */
const worker = (i: Ids) => `/api/space/${i.spaceId}/bridge_worker/${i.saved.bridge_worker}`;
const WORKER_ITEM = "/api/space/{space_id}/bridge_worker/{bridge_worker_id}";

/** The Unit data of the fixture, and a function call that changes it. */
const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: "1"\n';
const setLabel = () => ({
  FunctionInvocations: [{ FunctionName: "set-label", Arguments: [{ Value: "team" }, { Value: fresh("t") }] }],
});

/** The `where` of a bulk Unit route that selects the fixture's Unit alone. */
const onlyUnit = (i: Ids) => new URLSearchParams({ where: `UnitID = '${i.unitId}'` }).toString();

function savedEntityRoutes(kind: SavedKind): RouteCase[] {
  const item = `/api/space/{space_id}/${kind}/{${ID_PARAMS[kind]}}`;
  return [
    { method: "GET", path: `/api/space/{space_id}/${kind}`, url: (i) => `/api/space/${i.spaceId}/${kind}` },
    {
      method: "POST",
      path: `/api/space/{space_id}/${kind}`,
      url: (i) => `/api/space/${i.spaceId}/${kind}`,
      body: SAVED_BODIES[kind],
    },
    { method: "GET", path: `/api/${kind}`, url: () => `/api/${kind}`, orgWide: true },
    { method: "GET", path: item, url: (i) => `/api/space/${i.spaceId}/${kind}/${i.saved[kind]}` },
    {
      method: "PATCH",
      path: item,
      url: (i) => `/api/space/${i.spaceId}/${kind}/${i.saved[kind]}`,
      body: () => ({ DisplayName: fresh("x") }),
    },
    {
      method: "PUT",
      path: item,
      url: (i) => `/api/space/${i.spaceId}/${kind}/${i.saved[kind]}`,
      // The whole entity with the Version of the fixture's fresh entity.
      body: () => ({ ...SAVED_BODIES[kind](), Version: 1 }),
    },
    { method: "DELETE", path: item, url: (i) => `/api/space/${i.spaceId}/${kind}/${i.saved[kind]}` },
  ];
}

interface RouteCase {
  readonly method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** The path as the OpenAPI document writes it. */
  readonly path: string;
  readonly url: (ids: Ids) => string;
  /** A fresh body per request (creates need unused slugs). */
  readonly body?: () => unknown;
  /** Headers the request needs besides Authorization (a raw body's Content-Type). */
  readonly headers?: Record<string, string>;
  /** Organization-wide: no ID in the path, so another organization just sees its own (empty) data. */
  readonly orgWide?: boolean;
  /** Admins only (token management): a viewer's read and an editor's call are 403 too. */
  readonly adminOnly?: boolean;
}

const ROUTES: readonly RouteCase[] = [
  { method: "GET", path: "/api/me", url: () => "/api/me", orgWide: true },
  { method: "GET", path: "/api/space", url: () => "/api/space", orgWide: true },
  {
    method: "POST",
    path: "/api/space",
    url: () => "/api/space",
    body: () => ({ Slug: fresh("space") }),
    orgWide: true,
  },
  { method: "GET", path: "/api/space/{space_id}", url: (i) => `/api/space/${i.spaceId}` },
  {
    method: "PATCH",
    path: "/api/space/{space_id}",
    url: (i) => `/api/space/${i.spaceId}`,
    body: () => ({ DisplayName: fresh("x") }),
  },
  {
    method: "PUT",
    path: "/api/space/{space_id}",
    url: (i) => `/api/space/${i.spaceId}`,
    body: () => ({ Slug: fresh("space"), Version: 1 }),
  },
  { method: "DELETE", path: "/api/space/{space_id}", url: (i) => `/api/space/${i.spaceId}?recursive=true` },
  { method: "GET", path: "/api/unit", url: () => "/api/unit", orgWide: true },
  { method: "GET", path: "/api/revision", url: () => "/api/revision", orgWide: true },
  {
    method: "POST",
    path: "/api/unit",
    url: (i) => `/api/unit?${onlyUnit(i)}&name_prefixes=${fresh("clone")}-`,
    body: () => ({}),
    orgWide: true,
  },
  {
    method: "PATCH",
    path: "/api/unit",
    url: (i) => `/api/unit?${onlyUnit(i)}`,
    body: () => ({ DisplayName: fresh("x") }),
    orgWide: true,
  },
  { method: "DELETE", path: "/api/unit", url: (i) => `/api/unit?${onlyUnit(i)}`, orgWide: true },
  { method: "GET", path: "/api/space/{space_id}/unit", url: (i) => `/api/space/${i.spaceId}/unit` },
  {
    method: "POST",
    path: "/api/space/{space_id}/unit",
    url: (i) => `/api/space/${i.spaceId}/unit`,
    body: () => ({ Slug: fresh("unit"), ToolchainType: "Kubernetes/YAML", Data: b64(CONFIG_MAP) }),
  },
  {
    method: "GET",
    path: "/api/space/{space_id}/unit/{unit_id}",
    url: (i) => `/api/space/${i.spaceId}/unit/${i.unitId}`,
  },
  {
    method: "PATCH",
    path: "/api/space/{space_id}/unit/{unit_id}",
    url: (i) => `/api/space/${i.spaceId}/unit/${i.unitId}`,
    body: () => ({ Data: b64(CONFIG_MAP.replace('"1"', `"${fresh("v")}"`)) }),
  },
  {
    method: "PUT",
    path: "/api/space/{space_id}/unit/{unit_id}",
    url: (i) => `/api/space/${i.spaceId}/unit/${i.unitId}`,
    body: () => ({
      Slug: "web",
      ToolchainType: "Kubernetes/YAML",
      Version: 1,
      Data: b64(CONFIG_MAP.replace('"1"', `"${fresh("v")}"`)),
    }),
  },
  {
    method: "GET",
    path: "/api/space/{space_id}/unit/{unit_id}/data",
    url: (i) => `/api/space/${i.spaceId}/unit/${i.unitId}/data`,
  },
  {
    method: "PUT",
    path: "/api/space/{space_id}/unit/{unit_id}/data",
    url: (i) => `/api/space/${i.spaceId}/unit/${i.unitId}/data`,
    body: () => CONFIG_MAP.replace('"1"', `"${fresh("v")}"`),
    headers: { "content-type": "application/octet-stream" },
  },
  {
    method: "GET",
    path: "/api/space/{space_id}/unit/{unit_id}/revision/{revision_id}/data",
    url: (i) => `/api/space/${i.spaceId}/unit/${i.unitId}/revision/${i.revisionId}/data`,
  },
  {
    method: "DELETE",
    path: "/api/space/{space_id}/unit/{unit_id}",
    url: (i) => `/api/space/${i.spaceId}/unit/${i.unitId}`,
  },
  {
    method: "GET",
    path: "/api/space/{space_id}/unit/{unit_id}/revision",
    url: (i) => `/api/space/${i.spaceId}/unit/${i.unitId}/revision`,
  },
  {
    method: "GET",
    path: "/api/space/{space_id}/unit/{unit_id}/revision/{revision_id}",
    url: (i) => `/api/space/${i.spaceId}/unit/${i.unitId}/revision/${i.revisionId}`,
  },
  {
    method: "GET",
    path: "/api/space/{space_id}/unit/{unit_id}/mutation",
    url: (i) => `/api/space/${i.spaceId}/unit/${i.unitId}/mutation`,
  },
  { method: "GET", path: "/api/function", url: () => "/api/function", orgWide: true },
  { method: "GET", path: "/api/space/{space_id}/function", url: (i) => `/api/space/${i.spaceId}/function` },
  {
    method: "POST",
    path: "/api/space/{space_id}/function/invoke",
    url: (i) => `/api/space/${i.spaceId}/function/invoke`,
    body: setLabel,
  },
  {
    method: "POST",
    path: "/api/function/invoke",
    url: (i) => `/api/function/invoke?where=${encodeURIComponent(`SpaceID = '${i.spaceId}'`)}`,
    body: setLabel,
    orgWide: true,
  },
  ...(["filter", "invocation", "trigger", "change_set", "bridge_worker"] as const).flatMap(savedEntityRoutes),
  { method: "POST", path: `${WORKER_ITEM}/secret`, url: (i) => `${worker(i)}/secret` },
  { method: "GET", path: `${WORKER_ITEM}/status`, url: (i) => `${worker(i)}/status` },
  { method: "GET", path: `${WORKER_ITEM}/function`, url: (i) => `${worker(i)}/function` },
  {
    method: "GET",
    path: `${WORKER_ITEM}/status/{status_id}`,
    url: (i) => `${worker(i)}/status/${i.workerStatusId}`,
  },
  { method: "GET", path: "/api/token", url: () => "/api/token", orgWide: true, adminOnly: true },
  {
    method: "POST",
    path: "/api/token",
    url: () => "/api/token",
    body: () => ({ Role: "viewer", Description: fresh("ci") }),
    orgWide: true,
    adminOnly: true,
  },
  {
    method: "DELETE",
    path: "/api/token/{token_id}",
    url: (i) => `/api/token/${i.tokenId}`,
    adminOnly: true,
  },
];

let counter = 0;
const fresh = (prefix: string) => `${prefix}-${++counter}`;

/** Routes that need no token. */
const PUBLIC = new Set(["GET /api/info", "GET /healthz"]);

describe.each(testDatabases())("auth matrix on $name", (target) => {
  let database: Database;
  let t: TestApp;

  beforeAll(async () => {
    database = await target.open();
    t = await buildTestApp(database);
    return () => t.close();
  });

  /** A fresh Space with a Unit (Revision 1) and one saved entity of each kind, in the test organization. */
  async function fixture(): Promise<Ids> {
    const space = (await t.request({ method: "POST", url: "/api/space", body: { Slug: fresh("s") } })).json();
    const unit = (
      await t.request({
        method: "POST",
        url: `/api/space/${space.SpaceID}/unit`,
        body: { Slug: "web", ToolchainType: "Kubernetes/YAML", Data: b64(CONFIG_MAP) },
      })
    ).json();
    const revisions = (
      await t.request({ method: "GET", url: `/api/space/${space.SpaceID}/unit/${unit.UnitID}/revision` })
    ).json();
    const saved = {} as Record<SavedKind, string>;
    for (const kind of Object.keys(SAVED_BODIES) as SavedKind[]) {
      const response = await t.request({
        method: "POST",
        url: `/api/space/${space.SpaceID}/${kind}`,
        body: SAVED_BODIES[kind](),
      });
      expect(response.statusCode, `${kind}: ${response.body}`).toBe(200);
      const created = response.json();
      const entity = kind.replace(/(^|_)(\w)/g, (_m, _s, c: string) => c.toUpperCase());
      saved[kind] = created[`${entity}ID`];
    }
    const token = (
      await t.request({
        method: "POST",
        url: "/api/token",
        body: { Role: "editor", Description: "revoke me" },
      })
    ).json();
    // A connection-history entry, as the worker port writes one when the worker connects.
    const workerStatusId = randomUUID();
    await database.db
      .insertInto("bridge_worker_statuses")
      .values({
        bridge_worker_status_id: workerStatusId,
        bridge_worker_id: saved.bridge_worker,
        organization_id: t.org.organizationId,
        space_id: space.SpaceID,
        bridge_worker_slug: "worker",
        seen_at: new Date(),
        status: "Connected",
      })
      .execute();
    return {
      spaceId: space.SpaceID,
      unitId: unit.UnitID,
      revisionId: revisions[0].Revision.RevisionID,
      tokenId: token.Token.TokenID,
      saved,
      workerStatusId,
    };
  }

  it("covers every route of the OpenAPI document", async () => {
    const document = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const covered = new Set([...ROUTES.map((r) => `${r.method} ${r.path}`), ...PUBLIC]);
    expect(documented.filter((route) => !covered.has(route))).toEqual([]);
  });

  it.each(ROUTES)("$method $path: 401 without a valid token", async (route) => {
    const ids = await fixture();
    const attempts: Record<string, string | undefined>[] = [
      {},
      { authorization: "Basic dXNlcjpwYXNz" },
      { authorization: "Bearer" },
      { authorization: "Bearer confn_not-a-real-token" },
      { authorization: `Bearer ${t.org.tokens.admin}x` },
    ];
    for (const headers of attempts) {
      const response = await t.app.inject({
        method: route.method,
        url: route.url(ids),
        headers: { ...route.headers, ...(headers as Record<string, string>) },
        ...(route.body !== undefined ? { payload: route.body() as object } : {}),
      });
      expect(response.statusCode, JSON.stringify(headers)).toBe(401);
      expect(response.json()).toEqual({ Code: "401", Message: expect.any(String) });
      expect(response.headers["www-authenticate"]).toBe('Bearer realm="confn"');
    }
  });

  it.each(ROUTES)("$method $path: a viewer may read but not write", async (route) => {
    const ids = await fixture();
    const response = await t.request({
      method: route.method,
      url: route.url(ids),
      body: route.body?.(),
      ...(route.headers ? { headers: route.headers } : {}),
      as: "viewer",
    });
    if (route.method === "GET" && !route.adminOnly) {
      expect(response.statusCode).toBe(200);
    } else {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toEqual({ Code: "403", Message: expect.stringContaining("viewer") });
    }
  });

  it.each(ROUTES)("$method $path: an editor and an admin may (admins only where it says)", async (route) => {
    for (const as of ["editor", "admin"] as const) {
      const ids = await fixture();
      const response = await t.request({
        method: route.method,
        url: route.url(ids),
        body: route.body?.(),
        ...(route.headers ? { headers: route.headers } : {}),
        as,
      });
      if (route.adminOnly && as === "editor") {
        expect(response.statusCode).toBe(403);
        expect(response.json()).toEqual({ Code: "403", Message: expect.stringContaining("only an admin") });
      } else {
        expect(response.statusCode, `${as}: ${response.body}`).toBe(200);
      }
    }
  });

  it.each(ROUTES.filter((r) => !r.orgWide))(
    "$method $path: another organization's IDs are a 404, and nothing changes",
    async (route) => {
      const ids = await fixture();
      const before = await snapshot(ids);
      for (const token of [t.otherOrg.tokens.admin, t.otherOrg.tokens.viewer]) {
        const response = await t.request({
          method: route.method,
          url: route.url(ids),
          body: route.body?.(),
          ...(route.headers ? { headers: route.headers } : {}),
          token,
        });
        // A viewer's write is refused before any lookup: 403 reveals nothing about the IDs.
        const expected = token === t.otherOrg.tokens.viewer && route.method !== "GET" ? 403 : 404;
        expect(response.statusCode).toBe(expected);
        expect(response.json().Code).toBe(String(expected));
      }
      expect(await snapshot(ids)).toEqual(before);
    },
  );

  it("a viewer may dry-run an invocation but not write with one", async () => {
    const ids = await fixture();
    const url = `/api/space/${ids.spaceId}/function/invoke`;
    const dryRun = await t.request({
      method: "POST",
      url: `${url}?dry_run=true`,
      body: setLabel(),
      as: "viewer",
    });
    expect(dryRun.statusCode, dryRun.body).toBe(200);
    const write = await t.request({ method: "POST", url, body: setLabel(), as: "viewer" });
    expect(write.statusCode).toBe(403);
    const unit = await t.request({ method: "GET", url: `/api/space/${ids.spaceId}/unit/${ids.unitId}` });
    expect(unit.json().Unit.HeadRevisionNum).toBe(1);
  });

  it("organization-wide routes show only the caller's organization", async () => {
    await fixture();
    const theirs = await t.request({ method: "GET", url: "/api/space", token: t.otherOrg.tokens.admin });
    expect(theirs.json()).toEqual([]);
    expect(
      (await t.request({ method: "GET", url: "/api/unit", token: t.otherOrg.tokens.admin })).json(),
    ).toEqual([]);
    expect(
      (await t.request({ method: "GET", url: "/api/revision", token: t.otherOrg.tokens.admin })).json(),
    ).toEqual([]);
    const theirTokens = (
      await t.request({ method: "GET", url: "/api/token", token: t.otherOrg.tokens.admin })
    ).json() as { OrganizationID: string }[];
    expect(theirTokens.length).toBeGreaterThan(0);
    expect(theirTokens.every((token) => token.OrganizationID === t.otherOrg.organizationId)).toBe(true);
    const me = (await t.request({ method: "GET", url: "/api/me", token: t.otherOrg.tokens.viewer })).json();
    expect(me).toMatchObject({ OrganizationID: t.otherOrg.organizationId, Role: "viewer" });
  });

  it("serves /api/info and /healthz without a token", async () => {
    const info = await t.app.inject({ method: "GET", url: "/api/info" });
    expect(info.statusCode).toBe(200);
    expect(info.json().Version).toMatch(/^\d+\.\d+\.\d+/);
    const health = await t.app.inject({ method: "GET", url: "/healthz" });
    expect(health.statusCode).toBe(200);
  });

  async function snapshot(ids: Ids) {
    const space = await database.db
      .selectFrom("spaces")
      .selectAll()
      .where("space_id", "=", ids.spaceId)
      .execute();
    const units = await database.db
      .selectFrom("units")
      .selectAll()
      .where("space_id", "=", ids.spaceId)
      .execute();
    const revisions = await database.db
      .selectFrom("revisions")
      .selectAll()
      .where("space_id", "=", ids.spaceId)
      .execute();
    const tokens = await database.db
      .selectFrom("api_tokens")
      .selectAll()
      .where("organization_id", "=", t.org.organizationId)
      .orderBy("token_id")
      .execute();
    return { space, units, revisions, tokens };
  }
});

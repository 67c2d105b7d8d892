// BridgeWorkers: CRUD under /api/space/{space_id}/bridge_worker, the organization-wide list, the
// secret (shown once, only its hash stored, rotation), the connection history, and who may do what.
import { beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../src/store/index.ts";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import { createInOtherOrganization } from "../support/other-organization.ts";
import type { Database } from "../../src/store/database.ts";
import { createSpace, expectConfigHubShape } from "./invoke-support.ts";

describe.each(testDatabases())("bridge workers on $name", (target) => {
  let t: TestApp;
  let database: Database;
  let space: string;
  beforeAll(async () => {
    database = await target.open();
    t = await buildTestApp(database);
    space = await createSpace(t, "workers");
    return () => t.close();
  });

  const create = async (slug: string) => {
    const response = await t.request({
      method: "POST",
      url: `/api/space/${space}/bridge_worker`,
      body: { Slug: slug },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Record<string, unknown> & { BridgeWorkerID: string; Secret: string };
  };

  it("creates a worker whose secret is shown once and stored only as a hash", async () => {
    const worker = await create("policy");
    expectConfigHubShape(worker, "BridgeWorker");
    expect(worker).toMatchObject({
      Slug: "policy",
      Condition: "Disconnected",
      Version: 1,
      EntityType: "BridgeWorker",
    });
    expect(worker.Secret).toMatch(/^confn_worker_[A-Za-z0-9_-]{43}$/);

    const url = `/api/space/${space}/bridge_worker/${worker.BridgeWorkerID}`;
    const read = await t.request({ method: "GET", url });
    expectConfigHubShape(read.json(), "ExtendedBridgeWorker");
    expect(read.json().BridgeWorker.Slug).toBe("policy");
    expect(read.body).not.toContain(worker.Secret);
    expect(read.body).not.toContain("Secret");
    const listed = await t.request({
      method: "GET",
      url: `/api/bridge_worker?where=${encodeURIComponent("Slug = 'policy'")}`,
    });
    expect(listed.json().map((w: { BridgeWorker: { Slug: string } }) => w.BridgeWorker.Slug)).toEqual([
      "policy",
    ]);
    expect(listed.body).not.toContain("Secret");

    const row = await database.db
      .selectFrom("bridge_workers")
      .selectAll()
      .where("bridge_worker_id", "=", worker.BridgeWorkerID)
      .executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(hashToken(worker.Secret));
    expect(JSON.stringify(row)).not.toContain(worker.Secret);
  });

  it("rotates the secret: the new one is returned once, the old hash is gone", async () => {
    const worker = await create("rotating");
    const rotated = await t.request({
      method: "POST",
      url: `/api/space/${space}/bridge_worker/${worker.BridgeWorkerID}/secret`,
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const secret = rotated.json().Secret as string;
    expect(secret).toMatch(/^confn_worker_/);
    expect(secret).not.toBe(worker.Secret);
    const row = await database.db
      .selectFrom("bridge_workers")
      .select("secret_hash")
      .where("bridge_worker_id", "=", worker.BridgeWorkerID)
      .executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(hashToken(secret));
  });

  it("patches the common attributes, keeps the slug unique per Space, filters by Condition, deletes", async () => {
    const worker = await create("patchable");
    const url = `/api/space/${space}/bridge_worker/${worker.BridgeWorkerID}`;
    const patched = await t.request({
      method: "PATCH",
      url,
      body: { Labels: { team: "platform" }, Condition: "Ready" },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    // Condition is read-only: the server keeps it.
    expect(patched.json()).toMatchObject({
      Labels: { team: "platform" },
      Condition: "Disconnected",
      Version: 2,
    });
    expect(patched.body).not.toContain("Secret");

    const duplicate = await t.request({
      method: "POST",
      url: `/api/space/${space}/bridge_worker`,
      body: { Slug: "patchable" },
    });
    expect(duplicate.statusCode).toBe(409);

    const where = encodeURIComponent("Labels.team = 'platform' AND Condition = 'Disconnected'");
    const listed = await t.request({
      method: "GET",
      url: `/api/space/${space}/bridge_worker?where=${where}`,
    });
    expect(listed.json().map((w: { BridgeWorker: { Slug: string } }) => w.BridgeWorker.Slug)).toEqual([
      "patchable",
    ]);
    const included = await t.request({
      method: "GET",
      url: `/api/space/${space}/bridge_worker?include=SpaceID&where=${encodeURIComponent("Slug = 'patchable'")}`,
    });
    expect(included.json()[0].Space.SpaceID).toBe(space);
    const noUser = await t.request({ method: "GET", url: `/api/bridge_worker?include=UserID` });
    expect(noUser.statusCode).toBe(400);
    expect(noUser.json().Message).toContain("no bot user");
    const bad = await t.request({
      method: "GET",
      url: `/api/bridge_worker?where=${encodeURIComponent("Secret = 'x'")}`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().Message).toContain("Secret");

    const statuses = await t.request({ method: "GET", url: `${url}/status` });
    expect(statuses.statusCode).toBe(200);
    expect(statuses.json()).toEqual([]);

    expect((await t.request({ method: "DELETE", url })).statusCode).toBe(200);
    expect((await t.request({ method: "GET", url })).statusCode).toBe(404);
  });

  it("lets viewers read and only editors and admins write", async () => {
    const worker = await create("guarded");
    const url = `/api/space/${space}/bridge_worker/${worker.BridgeWorkerID}`;
    expect((await t.request({ method: "GET", url, as: "viewer" })).statusCode).toBe(200);
    expect((await t.request({ method: "GET", url: `${url}/status`, as: "viewer" })).statusCode).toBe(200);
    for (const write of [
      { method: "POST" as const, url: `/api/space/${space}/bridge_worker`, body: { Slug: "by-viewer" } },
      { method: "POST" as const, url: `${url}/secret` },
      { method: "PATCH" as const, url, body: { DisplayName: "x" } },
      { method: "DELETE" as const, url },
    ]) {
      expect((await t.request({ ...write, as: "viewer" })).statusCode, `${write.method} ${write.url}`).toBe(
        403,
      );
    }
    const byEditor = await t.request({ method: "POST", url: `${url}/secret`, as: "editor" });
    expect(byEditor.statusCode).toBe(200);
    expect(byEditor.json().Secret).toMatch(/^confn_worker_/);
  });

  it("answers 404 for another organization's worker, whatever the route", async () => {
    const { spaceId, entity } = await createInOtherOrganization(t, "bridge_worker", { Slug: "theirs" });
    const theirs = `/api/space/${spaceId}/bridge_worker/${entity.BridgeWorkerID}`;
    for (const request of [
      { method: "GET" as const, url: theirs },
      { method: "GET" as const, url: `${theirs}/status` },
      { method: "POST" as const, url: `${theirs}/secret` },
      { method: "PATCH" as const, url: theirs, body: { DisplayName: "mine now" } },
      { method: "DELETE" as const, url: theirs },
    ]) {
      expect((await t.request(request)).statusCode, `${request.method} ${request.url}`).toBe(404);
    }
    const all = await t.request({ method: "GET", url: "/api/bridge_worker" });
    expect(all.json().map((w: { BridgeWorker: { Slug: string } }) => w.BridgeWorker.Slug)).not.toContain(
      "theirs",
    );
  });
});

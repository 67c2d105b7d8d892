// Token management over the API (a confn extension, docs/api-extensions.md): an admin issues,
// lists and revokes its organization's tokens while the server runs; the secret is shown once.
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { buildTestApp, createTestOrganization, testDatabases, type TestApp } from "../support/databases.ts";

describe.each(testDatabases())("API tokens on $name", (target) => {
  let database: Database;
  let t: TestApp;

  beforeAll(async () => {
    database = await target.open();
    t = await buildTestApp(database);
    return () => t.close();
  });

  it("issues a token whose secret works, is stored only as a hash, and never appears again", async () => {
    const created = await t.request({
      method: "POST",
      url: "/api/token",
      body: { Role: "viewer", Description: "ci pipeline" },
    });
    expect(created.statusCode, created.body).toBe(200);
    const { Token, Secret } = created.json();
    expect(Secret).toMatch(/^confn_[A-Za-z0-9_-]{43}$/);
    expect(Token).toMatchObject({
      Role: "viewer",
      Description: "ci pipeline",
      OrganizationID: t.org.organizationId,
    });
    expect(Token.RevokedAt).toBeUndefined();

    const me = await t.request({ method: "GET", url: "/api/me", token: Secret });
    expect(me.json()).toMatchObject({ UserID: Token.TokenID, Role: "viewer" });

    const row = await database.db
      .selectFrom("api_tokens")
      .selectAll()
      .where("token_id", "=", Token.TokenID)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash("sha256").update(Secret).digest("hex"));

    const list = await t.request({ method: "GET", url: "/api/token" });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(Secret);
    expect(list.body).not.toContain(row.token_hash);
    expect(list.json()).toContainEqual(Token);
  });

  it("revokes a token: it is refused from then on, listed with RevokedAt, and cannot be revoked twice", async () => {
    const { Token, Secret } = (
      await t.request({ method: "POST", url: "/api/token", body: { Role: "editor" } })
    ).json();
    const revoked = await t.request({ method: "DELETE", url: `/api/token/${Token.TokenID}` });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ TokenID: Token.TokenID, RevokedAt: expect.any(String) });

    const refused = await t.request({ method: "GET", url: "/api/me", token: Secret });
    expect(refused.statusCode).toBe(401);
    const listed = (await t.request({ method: "GET", url: "/api/token" })).json() as { TokenID: string }[];
    expect(listed.find((token) => token.TokenID === Token.TokenID)).toMatchObject({
      RevokedAt: revoked.json().RevokedAt,
    });

    const again = await t.request({ method: "DELETE", url: `/api/token/${Token.TokenID}` });
    expect(again.statusCode).toBe(409);
    expect(again.json().Message).toBe(`API token ${Token.TokenID} is already revoked`);
  });

  it("refuses to revoke the organization's last live admin token", async () => {
    const org = await createTestOrganization(database.db, "lonely");
    const me = (await t.request({ method: "GET", url: "/api/me", token: org.tokens.admin })).json();
    const response = await t.request({
      method: "DELETE",
      url: `/api/token/${me.UserID}`,
      token: org.tokens.admin,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().Message).toContain("last live admin token");
    expect((await t.request({ method: "GET", url: "/api/me", token: org.tokens.admin })).statusCode).toBe(
      200,
    );

    // With a second admin, the first may go (and its own request still completes).
    await t.request({ method: "POST", url: "/api/token", body: { Role: "admin" }, token: org.tokens.admin });
    const second = await t.request({
      method: "DELETE",
      url: `/api/token/${me.UserID}`,
      token: org.tokens.admin,
    });
    expect(second.statusCode, second.body).toBe(200);
  });

  it("names what is wrong with a request", async () => {
    const badRole = await t.request({ method: "POST", url: "/api/token", body: { Role: "owner" } });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().Message).toContain("body/Role");
    const unknownField = await t.request({
      method: "POST",
      url: "/api/token",
      body: { Role: "viewer", Secret: "confn_mine" },
    });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().Message).toContain("Secret");
    const missing = await t.request({
      method: "DELETE",
      url: "/api/token/00000000-0000-4000-8000-000000000000",
    });
    expect(missing.statusCode).toBe(404);
    const notAnId = await t.request({ method: "DELETE", url: "/api/token/abc" });
    expect(notAnId.statusCode).toBe(400);
  });

  it("tells a viewer and an editor that only an admin manages tokens", async () => {
    for (const as of ["viewer", "editor"] as const) {
      const response = await t.request({ method: "POST", url: "/api/token", body: { Role: "admin" }, as });
      expect(response.statusCode).toBe(403);
      expect(response.json().Message).toBe(
        `only an admin token may manage API tokens; POST /api/token was called with ${as === "editor" ? "an editor" : "a viewer"} token`,
      );
    }
  });
});

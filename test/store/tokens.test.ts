import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { bootstrapDefaultOrganization } from "../../src/store/bootstrap.ts";
import type { Database } from "../../src/store/database.ts";
import { createOrganization } from "../../src/store/organizations.ts";
import { TOKEN_PREFIX, authenticateToken, createApiToken, hashToken } from "../../src/store/tokens.ts";
import { DuplicateSlugError } from "../../src/store/errors.ts";
import { createTestOrganization, testDatabases } from "../support/databases.ts";

describe.each(testDatabases())("tokens and organizations on $name", (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await target.open();
  });

  it("issues random prefixed tokens and stores only their SHA-256", async () => {
    const { organizationId } = await createTestOrganization(database.db);
    const first = await createApiToken(database.db, { organizationId, role: "editor" });
    const second = await createApiToken(database.db, { organizationId, role: "editor" });
    expect(first.token).toMatch(new RegExp(`^${TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`));
    expect(first.token).not.toBe(second.token);
    expect(first.row.token_hash).toBe(hashToken(first.token));

    // No column of any token row holds the plaintext.
    const rows = await database.db.selectFrom("api_tokens").selectAll().execute();
    const dumped = JSON.stringify(rows);
    expect(dumped).not.toContain(first.token);
    expect(dumped).not.toContain(first.token.slice(TOKEN_PREFIX.length));
  });

  it("authenticates a token to its organization and role, and nothing else", async () => {
    const org = await createTestOrganization(database.db);
    const principal = await authenticateToken(database.db, org.tokens.viewer);
    expect(principal).toMatchObject({ organizationId: org.organizationId, role: "viewer" });
    expect(await authenticateToken(database.db, `${org.tokens.viewer}x`)).toBeUndefined();
    expect(await authenticateToken(database.db, "not-a-token")).toBeUndefined();
    expect(await authenticateToken(database.db, "")).toBeUndefined();
  });

  it("rejects a revoked token", async () => {
    const org = await createTestOrganization(database.db);
    await database.db
      .updateTable("api_tokens")
      .set({ revoked_at: sql<Date>`now()` })
      .where("token_hash", "=", hashToken(org.tokens.admin))
      .execute();
    expect(await authenticateToken(database.db, org.tokens.admin)).toBeUndefined();
  });

  it("refuses a second organization with the same slug", async () => {
    const org = await createTestOrganization(database.db);
    await expect(createOrganization(database.db, { slug: org.organization.slug })).rejects.toBeInstanceOf(
      DuplicateSlugError,
    );
  });

  it("bootstraps the default organization only on an empty database", async () => {
    // This file's database already holds test organizations.
    expect(await bootstrapDefaultOrganization(database.db)).toBeUndefined();
  });
});

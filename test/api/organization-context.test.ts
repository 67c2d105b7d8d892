// Authenticated handlers run on behalf of the caller's organization, so the store can hold each
// organization to its share of the connection pool.
import Fastify from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { registerAuth } from "../../src/api/plugins/auth.ts";
import { registerErrorHandler } from "../../src/api/plugins/error-handler.ts";
import { currentOrganization } from "../../src/store/organization-share.ts";
import { createTestOrganization, testDatabases, type TestOrganization } from "../support/databases.ts";

describe.each(testDatabases())("request organization on $name", (target) => {
  let app: ReturnType<typeof Fastify>;
  let org: TestOrganization;
  let other: TestOrganization;
  beforeAll(async () => {
    const database = await target.open();
    org = await createTestOrganization(database.db);
    other = await createTestOrganization(database.db, "other");
    app = Fastify();
    registerErrorHandler(app);
    registerAuth(app, database.db);
    app.post("/who", async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { organization: currentOrganization() ?? null };
    });
    await app.ready();
    return () => app.close();
  });

  const who = (token: string) =>
    app.inject({ method: "POST", url: "/who", headers: { authorization: `Bearer ${token}` }, payload: {} });

  it("is the token's organization inside the handler, after awaits, for concurrent requests", async () => {
    const [mine, theirs] = await Promise.all([who(org.tokens.admin), who(other.tokens.admin)]);
    expect(mine.json()).toEqual({ organization: org.organizationId });
    expect(theirs.json()).toEqual({ organization: other.organizationId });
    expect(currentOrganization()).toBeUndefined();
  });
});

// A fair share of the pool per organization: one organization holds at most the pool size minus
// one connections, so another organization's query finds a connection while the first one's
// queries queue (issue 11: 40 parallel expensive filters of one viewer stalled other tenants).
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/store/database.ts";
import { OrganizationShare, asOrganization } from "../../src/store/organization-share.ts";
import { testPostgresUrl } from "../support/test-postgres.ts";

describe("OrganizationShare", () => {
  it("gives each organization at most `limit` permits and hands a returned one to the next waiter", async () => {
    const share = new OrganizationShare(2);
    const events: string[] = [];
    const a1 = await share.acquire("a");
    const a2 = await share.acquire("a");
    const a3 = share.acquire("a").then((release) => {
      events.push("a3");
      return release;
    });
    const b1 = await share.acquire("b");
    events.push("b1");
    await Promise.resolve();
    expect(events).toEqual(["b1"]);
    a1();
    a1(); // a second call gives nothing back twice
    const release3 = await a3;
    expect(events).toEqual(["b1", "a3"]);
    const a4 = share.acquire("a");
    let a4Done = false;
    void a4.then(() => (a4Done = true));
    await Promise.resolve();
    expect(a4Done).toBe(false);
    a2();
    (await a4)();
    release3();
    b1();
  });

  it("refuses a limit below 1", () => {
    expect(() => new OrganizationShare(0)).toThrow(RangeError);
  });
});

const url = testPostgresUrl();

describe.skipIf(!url)("the pool share on PostgreSQL", () => {
  let database: Database;
  const schema = `confn_test_share_${randomBytes(6).toString("hex")}`;
  beforeAll(async () => {
    database = await openDatabase({ kind: "postgres", url: url!, schema, poolSize: 3 });
  });
  afterAll(async () => {
    await database.db.schema.dropSchema(schema).ifExists().cascade().execute();
    await database.close();
  });

  it("lets another organization's query through while one organization's queries fill its share", async () => {
    const { db } = database;
    const finished: string[] = [];
    const slow = Array.from({ length: 6 }, (_, i) =>
      asOrganization("busy", async () => {
        await sql`select pg_sleep(0.3)`.execute(db);
        finished.push(`busy-${i}`);
      }),
    );
    // Let the busy organization take its two connections (a pool of 3) and queue the rest.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await asOrganization("other", async () => {
      await sql`select 1`.execute(db);
      finished.push("other");
    });
    await Promise.all(slow);
    // The busy organization holds two of the three connections, so "other" runs at once. Without the
    // share it waited for one of the busy queries to end.
    expect(finished[0]).toBe("other");
    expect(finished).toHaveLength(7);
  });
});

// Issue 14 §3, the two bugs ConfigHub's own tests found, driven through the API as a ConfigHub client
// would: (1) a comment in modified data survives compute-mutations and patch-mutations onto another
// Unit, and the Mutation stored for the write records it; (2) a `---` separator followed directly by
// a comment (`---# Permission to approve ...`) is accepted as Unit data and kept through a function.
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { buildTestApp, fromB64, testDatabases, type TestApp } from "../support/databases.ts";
import { createSpace, createUnit, dataOf, getUnit, invoke, output } from "./invoke-support.ts";

const COMMENT = "# this comment should be preserved";
const ORIGINAL = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx\nspec:\n  replicas: 1\n";
const MODIFIED = ORIGINAL.replace(
  "  name: nginx\n",
  `  name: nginx\n  labels: {app: nginx ${COMMENT}\n  }\n`,
);

const APPROVERS = [
  "apiVersion: v1",
  "kind: ConfigMap",
  "metadata:",
  "  name: settings",
  "data:",
  "  mode: fast",
  "---# Permission to approve changes in this Space",
  "apiVersion: rbac.authorization.k8s.io/v1",
  "kind: Role",
  "metadata:",
  "  name: approver",
  "",
].join("\n");

describe.each(testDatabases())("comments through the API on $name", (target) => {
  let database: Database;
  let t: TestApp;

  beforeAll(async () => {
    database = await target.open();
    t = await buildTestApp(database);
    return () => t.close();
  });

  it("a comment diffed by compute-mutations is patched onto another Unit by patch-mutations, and recorded", async () => {
    const space = await createSpace(t, "comments");
    const variant = await createUnit(t, space, "variant", MODIFIED);
    const base = await createUnit(t, space, "base", ORIGINAL);

    const computed = await invoke(t, {
      spaceId: space,
      query: { where: `UnitID = '${variant.UnitID}'`, dry_run: "true" },
      body: {
        FunctionInvocations: [
          { FunctionName: "compute-mutations", Arguments: [{ Value: ORIGINAL }, { Value: "0" }] },
        ],
      },
    });
    expect(computed.statusCode, computed.body).toBe(200);
    const mutations = output(computed.json()[0], "ResourceMutationList");
    expect(JSON.stringify(mutations)).toContain(COMMENT);

    const patched = await invoke(t, {
      spaceId: space,
      query: { where: `UnitID = '${base.UnitID}'` },
      body: {
        FunctionInvocations: [
          {
            FunctionName: "patch-mutations",
            Arguments: [{ Value: "[]" }, { Value: JSON.stringify(mutations) }],
          },
        ],
      },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const expected = ORIGINAL.replace(
      "  name: nginx\n",
      `  name: nginx\n  labels:\n    app: nginx ${COMMENT}\n`,
    );
    expect(dataOf(patched.json()[0])).toBe(expected);
    expect((await getUnit(t, space, base.UnitID)).data).toBe(expected);

    // The Mutation stored for the write carries the node's text with its comment too.
    const stored = await t.request({
      method: "GET",
      url: `/api/space/${space}/unit/${base.UnitID}/mutation`,
    });
    const latest = (
      stored.json() as { Mutation: { MutationNum: number; ResourceMutations: unknown } }[]
    ).find((m) => m.Mutation.MutationNum === 2);
    expect(JSON.stringify(latest!.Mutation.ResourceMutations)).toContain(`app: nginx ${COMMENT}`);
  });

  it("a ---# separator line is accepted as Unit data and kept through a function", async () => {
    const space = await createSpace(t, "separators");
    const unit = await createUnit(t, space, "approvers", APPROVERS);
    const labelled = await invoke(t, {
      spaceId: space,
      query: { where: `UnitID = '${unit.UnitID}'` },
      body: {
        FunctionInvocations: [
          { FunctionName: "set-label", Arguments: [{ Value: "team" }, { Value: "web" }] },
        ],
      },
    });
    expect(labelled.statusCode, labelled.body).toBe(200);
    const data = (await getUnit(t, space, unit.UnitID)).data;
    expect(data).toContain("---# Permission to approve changes in this Space\napiVersion: rbac");
    expect(data.match(/team: web/g)).toHaveLength(2);
    const revision = await t.request({
      method: "GET",
      url: `/api/space/${space}/unit/${unit.UnitID}/revision`,
    });
    expect(fromB64(revision.json()[0].Revision.Data)).toBe(APPROVERS);
  });
});

// POST /api/space/{space_id}/function/invoke and /api/function/invoke: selection, dry runs, writes,
// per-element errors and status codes, permissions, ChangeSets, and ConfigHub's contract. Every
// response body is validated against ConfigHub's FunctionInvocationsResponse schema.
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { b64, buildTestApp, fromB64, testDatabases, type TestApp } from "../support/databases.ts";
import {
  call,
  createSpace,
  createUnit,
  dataOf,
  deployment,
  expectInvokeContract,
  getUnit,
  invoke,
  output,
  writeCounts,
  type ResponseElement,
} from "./invoke-support.ts";

const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: apps\n`;

describe.each(testDatabases())("function invocation on $name", (target) => {
  let database: Database;
  let t: TestApp;
  let n = 0;
  const unique = (prefix: string) => `${prefix}-${++n}`;

  beforeAll(async () => {
    database = await target.open();
    t = await buildTestApp(database);
    return () => t.close();
  });

  const counts = () => writeCounts(database, t.org.organizationId);

  async function body(response: {
    statusCode: number;
    body: string;
    json(): unknown;
  }): Promise<ResponseElement[]> {
    const parsed = response.json();
    expectInvokeContract(parsed);
    return parsed;
  }

  it("a dry run returns exactly what the real run then writes, and writes nothing", async () => {
    const space = await createSpace(t, unique("dry"));
    const web = await createUnit(t, space, "web", deployment("web"));
    const api = await createUnit(t, space, "api", deployment("api"));
    const request = {
      spaceId: space,
      body: {
        FunctionInvocations: [call("set-image", "main", "nginx:1.27")],
        ChangeDescription: "bump nginx",
      },
    };
    const before = await counts();

    const dry = await invoke(t, { ...request, query: { dry_run: "true" } });
    expect(dry.statusCode, dry.body).toBe(200);
    const preview = await body(dry);
    expect(preview.map((e) => e.UnitSlug).sort()).toEqual(["api", "web"]);
    for (const element of preview) {
      expect(element.Success).toBe(true);
      expect(element.HasNewMutations).toBe(true);
      expect(element.Mutators).toEqual([0]);
      expect(dataOf(element)).toContain("image: nginx:1.27");
      expect(element.Mutations[0]!.PathMutationMap["spec.template.spec.containers.0.image"]).toMatchObject({
        MutationType: "Update",
        Index: 0,
      });
    }
    expect(await counts()).toEqual(before);
    expect((await getUnit(t, space, web.UnitID)).HeadRevisionNum).toBe(1);

    const real = await invoke(t, request);
    expect(real.statusCode, real.body).toBe(200);
    const written = await body(real);
    const bySlug = (list: ResponseElement[], slug: string) => list.find((e) => e.UnitSlug === slug)!;
    for (const slug of ["web", "api"]) {
      const a = bySlug(preview, slug);
      const b = bySlug(written, slug);
      expect(b.ConfigData).toBe(a.ConfigData);
      expect(b.Mutations).toEqual(a.Mutations);
      expect(b.RevisionID).not.toBe(a.RevisionID);
    }
    expect(await counts()).toEqual({ revisions: before.revisions + 2, mutations: before.mutations + 2 });

    for (const unit of [web, api]) {
      const now = await getUnit(t, space, unit.UnitID);
      expect(now.HeadRevisionNum).toBe(2);
      expect(now.data).toContain("image: nginx:1.27");
      expect(now.LastChangeDescription).toBe("bump nginx");
      const revision = await database.db
        .selectFrom("revisions")
        .selectAll()
        .where("unit_id", "=", unit.UnitID)
        .where("revision_num", "=", 2)
        .executeTakeFirstOrThrow();
      expect(revision).toMatchObject({ source: "Invoke", description: "bump nginx", data: now.data });
      expect(revision.revision_id).toBe(bySlug(written, unit.Slug).RevisionID);
      const mutation = await database.db
        .selectFrom("mutations")
        .selectAll()
        .where("revision_id", "=", revision.revision_id)
        .executeTakeFirstOrThrow();
      expect(mutation).toMatchObject({ source: "Invoke", mutation_num: 2 });
      expect(mutation.function_invocations).toEqual([
        { FunctionName: "set-image", Arguments: [{ Value: "main" }, { Value: "nginx:1.27" }] },
      ]);
      expect(mutation.resource_mutations).toEqual(bySlug(written, unit.Slug).Mutations);
    }
  });

  it("a Unit the functions leave unchanged writes nothing; read-only outputs come back", async () => {
    const space = await createSpace(t, unique("read"));
    await createUnit(t, space, "web", deployment("web", { image: "redis:7" }));
    const before = await counts();
    const response = await invoke(t, {
      spaceId: space,
      body: { FunctionInvocations: [call("get-image", "main")] },
    });
    expect(response.statusCode, response.body).toBe(200);
    const [element] = await body(response);
    expect(element!.Mutators).toEqual([]);
    expect(element!.HasNewMutations).toBe(false);
    expect(output(element!, "AttributeValueList")).toMatchObject([{ Value: "redis:7" }]);
    expect(await counts()).toEqual(before);
  });

  it("207: a function error or unparsable data fails only that Unit's element; the others are written", async () => {
    const space = await createSpace(t, unique("partial"));
    const withMap = await createUnit(t, space, "with-map", `${configMap("cm")}---\n${deployment("a")}`);
    const withoutMap = await createUnit(t, space, "without-map", deployment("b"));
    const broken = await createUnit(t, space, "broken", deployment("c"));
    // The API refuses invalid YAML, so break the stored data directly.
    await database.db
      .updateTable("units")
      .set({ data: "kind: [unclosed" })
      .where("unit_id", "=", broken.UnitID)
      .execute();
    const before = await counts();

    const response = await invoke(t, {
      spaceId: space,
      body: { FunctionInvocations: [call("delete-resource", "v1/ConfigMap", "apps/cm")] },
    });
    expect(response.statusCode, response.body).toBe(207);
    const elements = await body(response);
    const bySlug = new Map(elements.map((e) => [e.UnitSlug, e]));
    expect(bySlug.get("with-map")).toMatchObject({ Success: true, Mutators: [0] });
    expect(bySlug.get("without-map")).toMatchObject({
      Success: false,
      Error: { Status: 422, Type: "FUNCTION_FAILED", ErrorCategory: "function" },
    });
    // The detail names the call that failed, then what was wrong.
    expect(bySlug.get("without-map")!.Error!.Details[0]).toMatch(/^delete-resource \(#0\): .*not found/);
    expect(bySlug.get("broken")).toMatchObject({
      Success: false,
      Error: { Status: 422, Type: "CONFIG_DATA_INVALID", ErrorCategory: "data" },
    });
    expect(bySlug.get("broken")!.Error!.Details[0]).toMatch(/parsing error/);
    expect(await counts()).toEqual({ revisions: before.revisions + 1, mutations: before.mutations + 1 });
    expect((await getUnit(t, space, withMap.UnitID)).data).not.toContain("ConfigMap");
    expect((await getUnit(t, space, withoutMap.UnitID)).HeadRevisionNum).toBe(1);
  });

  it("a Unit whose functions partly fail is not written at all", async () => {
    const space = await createSpace(t, unique("atomic"));
    const unit = await createUnit(t, space, "web", deployment("web"));
    const response = await invoke(t, {
      spaceId: space,
      body: {
        FunctionInvocations: [
          call("set-label", "team", "core"),
          call("delete-resource", "v1/ConfigMap", "apps/none"),
        ],
      },
    });
    expect(response.statusCode, response.body).toBe(207);
    const [element] = await body(response);
    expect(element!.Success).toBe(false);
    expect(element!.Error!.Details).toContain("nothing was written: a function failed");
    expect((await getUnit(t, space, unit.UnitID)).HeadRevisionNum).toBe(1);
  });

  it("422 when no selected Unit's data can be processed; 200 and [] when nothing matches", async () => {
    const space = await createSpace(t, unique("unprocessable"));
    const unit = await createUnit(t, space, "broken", deployment("x"));
    await database.db.updateTable("units").set({ data: "a: [" }).where("unit_id", "=", unit.UnitID).execute();
    const request = { spaceId: space, body: { FunctionInvocations: [call("set-label", "a", "b")] } };
    const response = await invoke(t, request);
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json()).toMatchObject({ Code: "422" });
    expect(response.json().Message).toMatch(/no Unit's configuration data could be processed: Unit broken/);

    const none = await invoke(t, { ...request, query: { where: "Slug = 'nothing-is-called-this'" } });
    expect(none.statusCode, none.body).toBe(200);
    expect(none.json()).toEqual([]);
  });

  it("NumFilters: Units failing a filter are skipped silently", async () => {
    const space = await createSpace(t, unique("filters"));
    const small = await createUnit(t, space, "small", deployment("small", { replicas: 1 }));
    const big = await createUnit(t, space, "big", deployment("big", { replicas: 3 }));
    const response = await invoke(t, {
      spaceId: space,
      body: {
        NumFilters: 1,
        FunctionInvocations: [call("cel-validate", "r.spec.replicas > 1"), call("set-label", "size", "big")],
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    const elements = await body(response);
    expect(elements.map((e) => e.UnitSlug)).toEqual(["big"]);
    expect(elements[0]!.Mutators).toEqual([1]);
    expect((await getUnit(t, space, big.UnitID)).data).toContain("size: big");
    expect((await getUnit(t, space, small.UnitID)).HeadRevisionNum).toBe(1);
  });

  it("selects with where ∧ the Filter's Where and WhereData ∧ where_data ∧ resource_type, across Spaces", async () => {
    const one = await createSpace(t, unique("select-a"));
    const two = await createSpace(t, unique("select-b"));
    const tier = unique("tier");
    const labels = (team: string) => ({ Labels: { tier, team } });
    await createUnit(t, one, "a-big-core", deployment("a", { replicas: 3 }), labels("core"));
    await createUnit(t, one, "a-small-core", deployment("b", { replicas: 1 }), labels("core"));
    await createUnit(
      t,
      two,
      "b-big-core",
      deployment("c", { replicas: 5, image: "redis:7" }),
      labels("core"),
    );
    await createUnit(t, two, "b-big-edge", deployment("d", { replicas: 5 }), labels("edge"));
    await createUnit(t, two, "b-map-core", configMap("e"), labels("core"));
    // A Unit of another toolchain is never selected.
    await createUnit(t, two, "b-props", "a=b\n", {
      ToolchainType: "AppConfig/Properties",
      ...labels("core"),
    });

    const filter = await t.request({
      method: "POST",
      url: `/api/space/${one}/filter`,
      body: { Slug: "big", From: "Unit", Where: "Labels.team = 'core'", WhereData: "spec.replicas > 2" },
    });
    expect(filter.statusCode, filter.body).toBe(200);
    const request = (query: Record<string, string>) =>
      invoke(t, {
        query: { dry_run: "true", ...query },
        body: { FunctionInvocations: [call("get-image", "main")] },
      });
    const slugs = async (query: Record<string, string>) => {
      const response = await request(query);
      expect(response.statusCode, response.body).toBe(200);
      return (await body(response)).map((e) => e.UnitSlug).sort();
    };

    expect(await slugs({ where: `Labels.tier = '${tier}'` })).toEqual([
      "a-big-core",
      "a-small-core",
      "b-big-core",
      "b-big-edge",
      "b-map-core",
    ]);
    expect(await slugs({ where: `Labels.tier = '${tier}'`, filter: filter.json().FilterID })).toEqual([
      "a-big-core",
      "b-big-core",
    ]);
    expect(
      await slugs({
        where: `Labels.tier = '${tier}'`,
        filter: filter.json().FilterID,
        where_data: "spec.template.spec.containers.*.image LIKE 'redis%'",
        resource_type: "apps/v1/Deployment",
      }),
    ).toEqual(["b-big-core"]);
    expect(await slugs({ where: `Labels.tier = '${tier}'`, resource_type: "v1/ConfigMap" })).toEqual([
      "b-map-core",
    ]);

    // A Filter's FromSpaceID keeps an organization-wide call to that Space, and refuses another Space.
    const scoped = await t.request({
      method: "POST",
      url: `/api/space/${one}/filter`,
      body: { Slug: "core-in-a", From: "Unit", FromSpaceID: one, Where: "Labels.team = 'core'" },
    });
    expect(scoped.statusCode, scoped.body).toBe(200);
    expect(await slugs({ where: `Labels.tier = '${tier}'`, filter: scoped.json().FilterID })).toEqual([
      "a-big-core",
      "a-small-core",
    ]);
    const elsewhere = await invoke(t, {
      spaceId: two,
      query: { dry_run: "true", filter: scoped.json().FilterID },
      body: { FunctionInvocations: [call("get-image", "main")] },
    });
    expect(elsewhere.statusCode, elsewhere.body).toBe(400);
    expect(elsewhere.json().Message).toMatch(/FromSpaceID/);
  });

  it("saved Invocations run after the explicit list", async () => {
    const space = await createSpace(t, unique("saved"));
    const unit = await createUnit(t, space, "web", deployment("web"));
    const saved = await t.request({
      method: "POST",
      url: `/api/space/${space}/invocation`,
      body: { Slug: "label", ToolchainType: "Kubernetes/YAML", ...call("set-label", "owner", "platform") },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const response = await invoke(t, {
      spaceId: space,
      body: { FunctionInvocations: [call("set-replicas", "2")], Invocations: [saved.json().InvocationID] },
    });
    expect(response.statusCode, response.body).toBe(200);
    const [element] = await body(response);
    expect(element!.Mutators).toEqual([0, 1]);
    const now = await getUnit(t, space, unit.UnitID);
    expect(now.data).toContain("owner: platform");
    expect(now.data).toContain("replicas: 2");
  });

  it("runs on one Revision's data with unit_id + revision_id and never writes", async () => {
    const space = await createSpace(t, unique("revision"));
    const unit = await createUnit(t, space, "web", deployment("web", { image: "old:1" }));
    await invoke(t, { spaceId: space, body: { FunctionInvocations: [call("set-image", "main", "new:2")] } });
    const first = await database.db
      .selectFrom("revisions")
      .select("revision_id")
      .where("unit_id", "=", unit.UnitID)
      .where("revision_num", "=", 1)
      .executeTakeFirstOrThrow();
    const before = await counts();
    const response = await invoke(t, {
      spaceId: space,
      query: { unit_id: unit.UnitID, revision_id: first.revision_id },
      body: { FunctionInvocations: [call("set-label", "stage", "canary"), call("get-image", "main")] },
      as: "viewer",
    });
    expect(response.statusCode, response.body).toBe(200);
    const [element] = await body(response);
    expect(element!.RevisionID).toBe(first.revision_id);
    expect(output(element!, "AttributeValueList")).toMatchObject([{ Value: "old:1" }]);
    expect(dataOf(element!)).toContain("stage: canary");
    expect(await counts()).toEqual(before);
  });

  it("a viewer may dry-run but not write; an editor may write", async () => {
    const space = await createSpace(t, unique("roles"));
    await createUnit(t, space, "web", deployment("web"));
    const body = { FunctionInvocations: [call("set-label", "k", "v")] };
    expect(
      (await invoke(t, { spaceId: space, query: { dry_run: "true" }, body, as: "viewer" })).statusCode,
    ).toBe(200);
    const denied = await invoke(t, { spaceId: space, body, as: "viewer" });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ Code: "403" });
    expect((await invoke(t, { spaceId: space, body, as: "editor" })).statusCode).toBe(200);
  });

  it("another organization's Space, Unit, Filter or Invocation is a 404", async () => {
    const other = t.otherOrg.tokens.admin;
    const theirSpace = (
      await t.request({ method: "POST", url: "/api/space", body: { Slug: "theirs" }, token: other })
    ).json().SpaceID as string;
    const theirUnit = (
      await t.request({
        method: "POST",
        url: `/api/space/${theirSpace}/unit`,
        body: { Slug: "u", ToolchainType: "Kubernetes/YAML", Data: b64(deployment("u")) },
        token: other,
      })
    ).json().UnitID as string;
    const theirFilter = (
      await t.request({
        method: "POST",
        url: `/api/space/${theirSpace}/filter`,
        body: { Slug: "f", From: "Unit" },
        token: other,
      })
    ).json().FilterID as string;
    const theirInvocation = (
      await t.request({
        method: "POST",
        url: `/api/space/${theirSpace}/invocation`,
        body: { Slug: "i", ToolchainType: "Kubernetes/YAML", ...call("set-label", "a", "b") },
        token: other,
      })
    ).json().InvocationID as string;
    const mine = await createSpace(t, unique("mine"));
    const functions = { FunctionInvocations: [call("get-image", "main")] };

    for (const response of [
      await invoke(t, { spaceId: theirSpace, body: functions }),
      await invoke(t, { spaceId: mine, query: { unit_id: theirUnit }, body: functions }),
      await invoke(t, { query: { filter: theirFilter }, body: functions }),
      await invoke(t, { body: { Invocations: [theirInvocation] } }),
    ]) {
      expect(response.statusCode, response.body).toBe(404);
      expect(response.json().Code).toBe("404");
    }
  });

  it("400 before anything runs: unknown function, bad arguments, filter syntax, unsupported options", async () => {
    const space = await createSpace(t, unique("bad"));
    await createUnit(t, space, "web", deployment("web"));
    const before = await counts();
    const cases: [Record<string, unknown>, Record<string, string>, RegExp][] = [
      [
        { FunctionInvocations: [call("set-label", "a", "b"), call("set-imag", "main", "x")] },
        {},
        /FunctionInvocations\/1: function set-imag does not exist for toolchain Kubernetes\/YAML \(did you mean set-image\?\)/,
      ],
      [
        { FunctionInvocations: [call("set-replicas", "many")] },
        {},
        /FunctionInvocations\/0 \(set-replicas\)/,
      ],
      [{ FunctionInvocations: [call("set-label", "a", "b", "c")] }, {}, /too many arguments/],
      [
        { FunctionInvocations: [call("set-label", "a", "b")] },
        { where: "Slug = 'web' OR Slug = 'x'" },
        /where.*column/,
      ],
      [
        { FunctionInvocations: [call("set-label", "a", "b")] },
        { where: "Lables.a = 'b'" },
        /did you mean 'Labels'/,
      ],
      [
        { FunctionInvocations: [call("set-label", "a", "b")] },
        { where_data: "spec.replicas >" },
        /where_data/,
      ],
      [
        { FunctionInvocations: [call("set-label", "a", "b")], ToolchainType: "Nope/YAML" },
        {},
        /ToolchainType/,
      ],
      [{ FunctionInvocations: [] }, {}, /names no function/],
      [
        { FunctionInvocations: [call("set-label", "a", "b")] },
        { revision_id: "6f1b7a4e-8d4f-4a51-9c59-0b1f7c7e2a11" },
        /revision_id needs unit_id/,
      ],
      [{ FunctionInvocations: [call("set-label", "a", "b")] }, { view: "x" }, /view/],
    ];
    for (const [requestBody, query, message] of cases) {
      const response = await invoke(t, { spaceId: space, body: requestBody, query });
      expect(
        response.statusCode,
        `${JSON.stringify(requestBody)} ${JSON.stringify(query)}: ${response.body}`,
      ).toBe(400);
      expect(response.json().Code).toBe("400");
      expect(response.json().Message).toMatch(message);
    }
    expect(await counts()).toEqual(before);
  });

  it("accepts requests shaped as ConfigHub's client sends them", async () => {
    const space = await createSpace(t, unique("client"));
    const unit = await createUnit(t, space, "web", deployment("web"));
    // cub sends strings with CastStringArgsToScalars; API clients may send typed values and names.
    const response = await t.request({
      method: "POST",
      url: `/api/space/${space}/function/invoke?dry_run=false&where=${encodeURIComponent(`UnitID IN ('${unit.UnitID}')`)}`,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        FunctionInvocations: [
          { FunctionName: "set-replicas", Arguments: [{ ParameterName: "replicas", Value: 4 }] },
          { FunctionName: "set-label", Arguments: [{ Value: "managed" }, { Value: "true" }] },
          {
            FunctionName: "set-int-path",
            Arguments: [{ Value: "apps/v1/Deployment" }, { Value: "spec.minReadySeconds" }, { Value: "10" }],
          },
        ],
        CastStringArgsToScalars: true,
        ToolchainType: "Kubernetes/YAML",
        ChangeDescription: "from cub",
        StopOnError: true,
        NumFilters: 0,
      }),
    });
    expect(response.statusCode, response.body).toBe(200);
    const [element] = await body(response);
    expect(element!.Mutators).toEqual([0, 1, 2]);
    const data = fromB64(element!.ConfigData);
    expect(data).toContain("replicas: 4");
    expect(data).toContain('managed: "true"');
    expect(data).toContain("minReadySeconds: 10");
  });

  it("ChangeSets: a write must name the selected Units' ChangeSet; dry runs skip the check", async () => {
    const space = await createSpace(t, unique("changes"));
    const member = await createUnit(t, space, "member", deployment("member"));
    const loner = await createUnit(t, space, "loner", deployment("loner"));
    const changeSet = await t.request({
      method: "POST",
      url: `/api/space/${space}/change_set`,
      body: { Slug: "rollout" },
    });
    expect(changeSet.statusCode, changeSet.body).toBe(200);
    const changeSetId = changeSet.json().ChangeSetID as string;
    const join = await t.request({
      method: "PATCH",
      url: `/api/space/${space}/unit/${member.UnitID}`,
      body: { ChangeSetID: changeSetId },
    });
    expect(join.statusCode, join.body).toBe(200);
    expect(join.json().ChangeSetID).toBe(changeSetId);
    const functions = { FunctionInvocations: [call("set-label", "wave", "1")] };
    const before = await counts();

    // The member is selected but the call names no ChangeSet; then the loner is selected with one.
    const unnamed = await invoke(t, { spaceId: space, body: functions });
    expect(unnamed.statusCode, unnamed.body).toBe(409);
    expect(unnamed.json().Message).toMatch(new RegExp(`Unit member .* is in ChangeSet ${changeSetId}`));
    const wrong = await invoke(t, { spaceId: space, query: { change_set_id: changeSetId }, body: functions });
    expect(wrong.statusCode, wrong.body).toBe(409);
    expect(wrong.json().Message).toMatch(/Unit loner .* is not in ChangeSet/);
    expect(await counts()).toEqual(before);

    const preview = await invoke(t, { spaceId: space, query: { dry_run: "true" }, body: functions });
    expect(preview.statusCode, preview.body).toBe(200);

    const named = await invoke(t, {
      spaceId: space,
      query: { change_set_id: changeSetId, where: "Slug = 'member'" },
      body: functions,
    });
    expect(named.statusCode, named.body).toBe(200);
    const revision = await database.db
      .selectFrom("revisions")
      .select("change_set_id")
      .where("revision_id", "=", (await body(named))[0]!.RevisionID)
      .executeTakeFirstOrThrow();
    expect(revision.change_set_id).toBe(changeSetId);
    expect((await getUnit(t, space, loner.UnitID)).HeadRevisionNum).toBe(1);

    const missing = await invoke(t, {
      spaceId: space,
      query: { change_set_id: "6f1b7a4e-8d4f-4a51-9c59-0b1f7c7e2a11" },
      body: functions,
    });
    expect(missing.statusCode, missing.body).toBe(404);
  });
});

// ConfigHub's list parameters are honoured on every list route, never accepted and ignored:
// `filter` (a saved Filter of the listed entity), `include` (related entities in the Extended
// wrapper), `select` (only those fields, with the required ones), and on Unit lists `where_data`
// and `resource_type`; Unit lists come ordered by Slug.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { b64, buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";

const deployment = (name: string, replicas: number) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${replicas}\n`;
const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: b\n`;

type Item = Record<string, Record<string, unknown>>;

describe.each(testDatabases())("list parameters on $name", (target) => {
  let database: Database;
  let t: TestApp;
  let one: string;
  let two: string;
  const units: Record<string, string> = {};

  beforeAll(async () => {
    database = await target.open();
  });
  beforeEach(async () => {
    t = await buildTestApp(database);
    one = await create("/api/space", { Slug: "one", Labels: { env: "prod" } }, "SpaceID");
    two = await create("/api/space", { Slug: "two" }, "SpaceID");
    // Created out of Slug order: lists must sort them.
    for (const [space, slug, data, tier] of [
      [one, "web", deployment("web", 3), "frontend"],
      [one, "api", deployment("api", 1), "backend"],
      [one, "config", configMap("settings"), "backend"],
      [two, "batch", deployment("batch", 5), "backend"],
    ] as const) {
      units[slug] = await create(
        `/api/space/${space}/unit`,
        { Slug: slug, ToolchainType: "Kubernetes/YAML", Data: b64(data), Labels: { tier } },
        "UnitID",
      );
    }
    return () => t.close();
  });

  async function create(url: string, body: Record<string, unknown>, idField: string): Promise<string> {
    const response = await t.request({ method: "POST", url, body });
    expect(response.statusCode, response.body).toBe(200);
    return response.json()[idField] as string;
  }

  async function list(url: string, query: Record<string, string> = {}): Promise<Item[]> {
    const response = await t.request({ method: "GET", url: `${url}?${new URLSearchParams(query)}` });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Item[];
  }

  async function refused(url: string, query: Record<string, string>): Promise<string> {
    const response = await t.request({ method: "GET", url: `${url}?${new URLSearchParams(query)}` });
    expect(response.statusCode, response.body).toBe(400);
    return response.json().Message as string;
  }

  const slugs = (items: Item[], entity = "Unit") => items.map((item) => item[entity]!.Slug);

  it("orders Unit lists by Slug, in a Space and across the organization", async () => {
    expect(slugs(await list(`/api/space/${one}/unit`))).toEqual(["api", "config", "web"]);
    expect(slugs(await list("/api/unit"))).toEqual(["api", "batch", "config", "web"]);
  });

  it("select returns only the listed fields with the required ones, and no Data unless selected", async () => {
    for (const url of [`/api/space/${one}/unit`, "/api/unit"]) {
      const items = await list(url, { select: "Labels, DisplayName" });
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) {
        expect(Object.keys(item)).toEqual(["Unit"]);
        expect(Object.keys(item.Unit!).sort()).toEqual(
          [
            "DisplayName",
            "Labels",
            "OrganizationID",
            "Slug",
            "SpaceID",
            "ToolchainType",
            "UnitID",
            "Version",
          ].sort(),
        );
      }
    }
    // The fields `where` names come back too.
    const [filtered] = await list("/api/unit", { select: "DisplayName", where: "Labels.tier = 'frontend'" });
    expect(filtered!.Unit).toMatchObject({ Slug: "web", Labels: { tier: "frontend" }, DisplayName: "web" });
    expect(filtered!.Unit!.CreatedAt).toBeUndefined();

    const withData = await list(`/api/space/${one}/unit`, { select: "Data", where: "Slug = 'api'" });
    expect(withData[0]!.Unit!.Data).toBe(b64(deployment("api", 1)));
    expect(withData[0]!.Unit!.Labels).toBeUndefined();

    expect(await refused("/api/unit", { select: "Slug,Lables" })).toBe(
      "querystring/select: unknown Unit field 'Lables' (did you mean 'Labels'?); Unit fields: " +
        "UnitID, SpaceID, SpaceSlug, OrganizationID, Slug, DisplayName, Labels, Annotations, ToolchainType, " +
        "Data, LastChangeDescription, DeleteGates, DestroyGates, ChangeSetID, DataHash, ContentHash, " +
        "HeadRevisionNum, HeadMutationNum, LiveRevisionNum, LastAppliedRevisionNum, PreviousLiveRevisionNum, " +
        "UpstreamOrganizationID, UpstreamSpaceID, UpstreamUnitID, UpstreamRevisionNum, ApplyGates, " +
        "ApplyWarnings, ApprovedBy, FromLinkID, Values, TargetID, BridgeWorkerID, TargetOptions, ProviderType, " +
        "DriftReconciliationMode, HeadUnitActionNum, HeadUnitEventNum, Version, CreatedAt, UpdatedAt, EntityType",
    );
  });

  it("include expands the related entities ConfigHub names, and refuses what confn cannot expand", async () => {
    const [api] = await list(`/api/space/${one}/unit`, {
      where: "Slug = 'api'",
      include: "SpaceID,HeadRevisionNum,HeadMutationNum,LiveRevisionNum",
      select: "HeadRevisionNum",
    });
    expect(api!.Space).toMatchObject({ SpaceID: one, Slug: "one", Labels: { env: "prod" } });
    expect(api!.HeadRevision).toMatchObject({ UnitID: units.api, RevisionNum: 1, Source: "CreateUnit" });
    expect(api!.HeadMutation).toMatchObject({ UnitID: units.api, MutationNum: 1 });
    // LiveRevisionNum 0: never applied, nothing to expand.
    expect(api!.LiveRevision).toBeUndefined();
    expect(api!.Unit!.Data).toBeUndefined();

    const across = await list("/api/unit", { include: "SpaceID" });
    expect(across.map((item) => [item.Unit!.Slug, item.Space!.Slug])).toEqual([
      ["api", "one"],
      ["batch", "two"],
      ["config", "one"],
      ["web", "one"],
    ]);

    expect(await refused("/api/unit", { include: "TargetID" })).toBe(
      "querystring/include: Unit attribute 'TargetID' cannot be expanded: confn has no Targets",
    );
    expect(await refused("/api/unit", { include: "SpaceId" })).toMatch(
      /^querystring\/include: unknown Unit attribute 'SpaceId' \(did you mean 'SpaceID'\?\); confn expands: SpaceID, /,
    );
  });

  it("where_data and resource_type keep the Units whose config data matches, as invoke does", async () => {
    expect(slugs(await list("/api/unit", { where_data: "spec.replicas > 2" }))).toEqual(["batch", "web"]);
    expect(slugs(await list(`/api/space/${one}/unit`, { where_data: "spec.replicas > 2" }))).toEqual(["web"]);
    expect(slugs(await list("/api/unit", { resource_type: "v1/ConfigMap" }))).toEqual(["config"]);
    expect(slugs(await list("/api/unit", { resource_type: "apps/v1/Deployment" }))).toEqual([
      "api",
      "batch",
      "web",
    ]);
    expect(
      slugs(await list("/api/unit", { where_data: "spec.replicas < 4", where: "Labels.tier = 'backend'" })),
    ).toEqual(["api"]);
    // Data is read for the condition, but not returned unless selected.
    const [web] = await list(`/api/space/${one}/unit`, { where_data: "spec.replicas = 3", select: "Slug" });
    expect(web!.Unit!.Slug).toBe("web");
    expect(web!.Unit!.Data).toBeUndefined();

    // A saved Filter's WhereData and ResourceType hold as well.
    const big = await create(
      `/api/space/${one}/filter`,
      { Slug: "big", From: "Unit", WhereData: "spec.replicas > 2", ResourceType: "apps/v1/Deployment" },
      "FilterID",
    );
    expect(slugs(await list("/api/unit", { filter: big }))).toEqual(["batch", "web"]);
    expect(slugs(await list("/api/unit", { filter: big, where_data: "spec.replicas < 4" }))).toEqual(["web"]);

    expect(await refused("/api/unit", { where_data: "spec.replicas >" })).toMatch(/^querystring\/where_data/);
  });

  it("where_trigger and trigger_filter keep the Units failing (or passing) the chosen validating Triggers", async () => {
    const trigger = (space: string, slug: string, expression: string, labels: Record<string, string>) =>
      create(
        `/api/space/${space}/trigger`,
        {
          Slug: slug,
          Event: "Mutation",
          ToolchainType: "Kubernetes/YAML",
          FunctionName: "cel-validate",
          Arguments: [{ Value: expression }],
          Labels: labels,
        },
        "TriggerID",
      );
    // Created after the Units, so their data was never checked against these.
    await trigger(one, "min-replicas", "r.kind != 'Deployment' || r.spec.replicas >= 3", { policy: "size" });
    await trigger(two, "no-configmaps", "r.kind != 'ConfigMap'", { policy: "kinds" });

    const size = { where_trigger: "Labels.policy = 'size'" };
    expect(slugs(await list("/api/unit", size))).toEqual(["api"]);
    expect(slugs(await list("/api/unit", { ...size, triggers_passed: "true" }))).toEqual([
      "batch",
      "config",
      "web",
    ]);
    expect(slugs(await list(`/api/space/${one}/unit`, { ...size, triggers_passed: "false" }))).toEqual([
      "api",
    ]);
    // Both Triggers: a Unit failing either fails.
    expect(slugs(await list("/api/unit", { where_trigger: "Validating = true" }))).toEqual(["api", "config"]);

    const kinds = await create(
      `/api/space/${two}/filter`,
      { Slug: "kinds", From: "Trigger", Where: "Labels.policy = 'kinds'", FromSpaceID: two },
      "FilterID",
    );
    expect(slugs(await list("/api/unit", { trigger_filter: kinds }))).toEqual(["config"]);
    expect(
      slugs(await list("/api/unit", { trigger_filter: kinds, where_trigger: "Slug = 'min-replicas'" })),
    ).toEqual([]);
    expect(await refused("/api/unit", { trigger_filter: await unitFilter() })).toMatch(
      /^querystring\/trigger_filter: Filter units selects Unit entities; this list returns Triggers/,
    );
    expect(await refused("/api/unit", { triggers_passed: "true" })).toBe(
      "querystring/triggers_passed: applies only with where_trigger or trigger_filter, which choose the Triggers",
    );
    expect(await refused("/api/unit", { where_trigger: "Labels.policy =" })).toMatch(
      /^querystring\/where_trigger/,
    );
  });

  const unitFilter = () => create(`/api/space/${one}/filter`, { Slug: "units", From: "Unit" }, "FilterID");

  it("filter, include and select work on the Space, Filter, Invocation, Trigger and ChangeSet lists", async () => {
    const prodSpaces = await create(
      "/api/space/" + one + "/filter",
      { Slug: "prod", From: "Space", Where: "Labels.env = 'prod'" },
      "FilterID",
    );
    expect(slugs(await list("/api/space", { filter: prodSpaces }), "Space")).toEqual(["one"]);
    const spaces = await list("/api/space", { select: "Labels" });
    expect(Object.keys(spaces[0]!.Space!).sort()).toEqual(
      ["Labels", "OrganizationID", "Slug", "SpaceID", "Version"].sort(),
    );

    await create(`/api/space/${two}/filter`, { Slug: "in-two", From: "Unit", FromSpaceID: two }, "FilterID");
    const filterFilter = await create(
      `/api/space/${one}/filter`,
      { Slug: "from-unit", From: "Filter", Where: "From = 'Unit'" },
      "FilterID",
    );
    const filters = await list("/api/filter", { filter: filterFilter, include: "SpaceID,FromSpaceID" });
    expect(filters.map((f) => [f.Filter!.Slug, f.Space!.Slug, f.FromSpace?.Slug])).toEqual([
      ["in-two", "two", "two"],
    ]);

    const entities = [
      [
        "invocation",
        "Invocation",
        { FunctionName: "set-replicas", ToolchainType: "Kubernetes/YAML", Arguments: [{ Value: 2 }] },
      ],
      [
        "trigger",
        "Trigger",
        {
          Event: "Mutation",
          FunctionName: "cel-validate",
          ToolchainType: "Kubernetes/YAML",
          Arguments: [{ Value: "true" }],
        },
      ],
      ["change_set", "ChangeSet", {}],
    ] as const;
    for (const [path, entity, body] of entities) {
      await create(
        `/api/space/${one}/${path}`,
        { Slug: "first", Labels: { keep: "yes" }, ...body },
        `${entity}ID`,
      );
      await create(`/api/space/${two}/${path}`, { Slug: "second", ...body }, `${entity}ID`);
      const saved = await create(
        `/api/space/${one}/filter`,
        { Slug: `kept-${path.replace("_", "-")}`, From: entity, Where: "Labels.keep = 'yes'" },
        "FilterID",
      );
      const kept = await list(`/api/${path}`, { filter: saved, include: "SpaceID", select: "Labels" });
      expect(
        kept.map((item) => [item[entity]!.Slug, item.Space!.Slug]),
        entity,
      ).toEqual([["first", "one"]]);
      expect(kept[0]![entity]!.Labels, entity).toEqual({ keep: "yes" });
      expect(kept[0]![entity]!.CreatedAt, entity).toBeUndefined();
      expect(await list(`/api/space/${two}/${path}`, { filter: saved }), entity).toEqual([]);
      // A Filter of another entity type is refused, naming both.
      expect(await refused(`/api/${path}`, { filter: prodSpaces }), entity).toBe(
        `querystring/filter: Filter prod selects Space entities; this list returns ${entity}s: use a Filter From ${entity}`,
      );
    }
  });

  it("entity and id on the Filter lists keep the Filters that select that entity", async () => {
    const save = (space: string, body: Record<string, unknown>) =>
      create(`/api/space/${space}/filter`, body, "FilterID");
    await save(one, { Slug: "backend", From: "Unit", Where: "Labels.tier = 'backend'" });
    await save(one, { Slug: "everything", From: "Unit" });
    await save(one, { Slug: "scaled", From: "Unit", WhereData: "spec.replicas > 2" });
    await save(two, { Slug: "only-two", From: "Unit", FromSpaceID: two });
    await save(one, { Slug: "spaces", From: "Space" });
    const selecting = async (url: string, entity: string, id: string) =>
      slugs(await list(url, { entity, id }), "Filter").sort();

    expect(await selecting("/api/filter", "Unit", units.api!)).toEqual(["backend", "everything"]);
    expect(await selecting("/api/filter", "Unit", units.web!)).toEqual(["everything", "scaled"]);
    expect(await selecting("/api/filter", "Unit", units.batch!)).toEqual([
      "backend",
      "everything",
      "only-two",
      "scaled",
    ]);
    expect(await selecting(`/api/space/${one}/filter`, "Unit", units.batch!)).toEqual([
      "backend",
      "everything",
      "scaled",
    ]);
    expect(await selecting("/api/filter", "Space", one)).toEqual(["spaces"]);

    expect(await refused("/api/filter", { entity: "Unit" })).toBe(
      "querystring/entity, querystring/id: go together (the entity type and its ID)",
    );
    expect(await refused("/api/filter", { entity: "Target", id: one })).toMatch(
      /^querystring\/entity: 'Target' is not a stored entity type; use one of /,
    );
    const missing = await t.request({ method: "GET", url: `/api/filter?entity=Unit&id=${one}` });
    expect(missing.statusCode, missing.body).toBe(404);
  });

  it("a Space-resident list refuses a Filter for another Space, and a Space list one with FromSpaceID", async () => {
    const inTwo = await create(
      `/api/space/${two}/filter`,
      { Slug: "in-two", From: "Filter", FromSpaceID: two },
      "FilterID",
    );
    expect(await refused(`/api/space/${one}/filter`, { filter: inTwo })).toBe(
      `querystring/filter: Filter in-two is for Space ${two} (FromSpaceID); this list is of Space ${one}`,
    );
    const spacesInTwo = await create(
      `/api/space/${two}/filter`,
      { Slug: "spaces", From: "Space", FromSpaceID: two },
      "FilterID",
    );
    expect(await refused("/api/space", { filter: spacesInTwo })).toMatch(
      /^querystring\/filter: Filter spaces has a FromSpaceID, which applies to entities inside a Space/,
    );
  });
});

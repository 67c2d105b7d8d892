// The invoke pipeline without a server: a script with a database handle runs an organization-wide
// invocation (as docs/invoke.md shows), gets one element per Unit, and finds the changes written as
// Revisions; a wrong request is a typed error naming the input, not an HTTP status.
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import { FunctionRegistry } from "../../src/engine/index.ts";
import { FilterFieldError } from "../../src/filter/index.ts";
import {
  invokeFunctions,
  invokeRequest,
  InvokeError,
  type WireFunctionInvocationsResponse,
} from "../../src/invoke/index.ts";
import { NotFoundError } from "../../src/store/errors.ts";
import { createFilter } from "../../src/store/filters.ts";
import type { Database } from "../../src/store/database.ts";
import { listUnitRevisions } from "../../src/store/history-lists.ts";
import { createSpace } from "../../src/store/spaces.ts";
import { createUnit, getUnit } from "../../src/store/units.ts";
import { createTestOrganization, testDatabases } from "../support/databases.ts";

const functions = FunctionRegistry.from(standardFunctions);
const writer = { userId: null, userAgent: "pipeline.test" };

const deployment = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name} # the ${name} app\nspec:\n  replicas: 1\n`;

async function elements(body: Readable): Promise<WireFunctionInvocationsResponse[]> {
  let text = "";
  for await (const chunk of body) text += String(chunk);
  return JSON.parse(text) as WireFunctionInvocationsResponse[];
}

describe.each(testDatabases())("the invoke pipeline from a script on $name", (target) => {
  let database: Database;
  let organizationId: string;
  let units: { spaceId: string; unitId: string; slug: string }[];

  beforeAll(async () => {
    database = await target.open();
  });

  beforeEach(async () => {
    const { db } = database;
    organizationId = (await createTestOrganization(db, "pipeline")).organizationId;
    units = [];
    for (const [spaceSlug, unitSlugs] of [
      ["prod", ["web", "api"]],
      ["staging", ["web", "batch"]],
    ] as const) {
      const space = await createSpace(db, organizationId, {
        slug: spaceSlug,
        displayName: spaceSlug,
        labels: {},
        annotations: {},
        deleteGates: {},
      });
      for (const slug of unitSlugs) {
        const attributes = {
          slug,
          displayName: slug,
          labels: { tier: slug === "batch" ? "jobs" : "web" },
          annotations: {},
          deleteGates: {},
          destroyGates: {},
          lastChangeDescription: "",
        };
        const { unit } = await createUnit(
          db,
          organizationId,
          space.space_id,
          { attributes, toolchainType: "Kubernetes/YAML", data: deployment(slug) },
          writer,
        );
        units.push({ spaceId: space.space_id, unitId: unit.unit_id, slug: `${spaceSlug}/${slug}` });
      }
    }
  });

  it("runs on the selected Units of every Space and writes one Revision per changed Unit", async () => {
    const request = invokeRequest({
      organizationId,
      where: "Labels.tier = 'web'",
      invocations: [{ FunctionName: "set-replicas", Arguments: [{ Value: 3 }] }],
      changeDescription: "scale the web tier",
    });
    const response = await invokeFunctions({ db: database.db, functions }, request, writer);
    expect(response.status).toBe(200);
    const body = await elements(response.body);
    expect(body.map((e) => `${e.SpaceSlug}/${e.UnitSlug}`).sort()).toEqual([
      "prod/api",
      "prod/web",
      "staging/web",
    ]);
    for (const element of body) {
      expect(element.Success).toBe(true);
      // Only the changed value changes: the comment on the name stays.
      expect(Buffer.from(element.ConfigData, "base64").toString()).toBe(
        deployment(element.UnitSlug).replace("replicas: 1", "replicas: 3"),
      );
    }

    for (const { spaceId, unitId, slug } of units) {
      const key = { organizationId, spaceId, unitId };
      const unit = await getUnit(database.db, key);
      const revisions = await listUnitRevisions(database.db, key);
      if (slug === "staging/batch") {
        expect(unit.head_revision_num).toBe(1);
        continue;
      }
      expect(unit.head_revision_num).toBe(2);
      const head = revisions.find((r) => r.revision_num === 2)!;
      expect(head.source).toBe("Invoke");
      expect(head.description).toBe("scale the web tier");
      expect(head.data).toContain("replicas: 3");
    }
  });

  it("writes nothing on a dry run", async () => {
    const request = invokeRequest({
      organizationId,
      dryRun: true,
      invocations: [{ FunctionName: "set-replicas", Arguments: [{ Value: 5 }] }],
    });
    const response = await invokeFunctions({ db: database.db, functions }, request, writer);
    const body = await elements(response.body);
    expect(body).toHaveLength(4);
    expect(body.every((e) => Buffer.from(e.ConfigData, "base64").toString().includes("replicas: 5"))).toBe(
      true,
    );
    for (const { spaceId, unitId } of units) {
      expect((await getUnit(database.db, { organizationId, spaceId, unitId })).head_revision_num).toBe(1);
    }
  });

  it("refuses a wrong request with a typed error naming the input, before anything runs", async () => {
    const run = (init: Omit<Parameters<typeof invokeRequest>[0], "organizationId">) =>
      invokeFunctions({ db: database.db, functions }, invokeRequest({ organizationId, ...init }), writer);

    const unknown = await run({
      invocations: [{ FunctionName: "set-replica", Arguments: [{ Value: 2 }] }],
    }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(InvokeError);
    expect(unknown).toMatchObject({ code: "UNKNOWN_FUNCTION", input: "body/FunctionInvocations/0" });
    expect((unknown as Error).message).toContain("did you mean set-replicas?");

    const badArguments = await run({
      invocations: [{ FunctionName: "set-replicas", Arguments: [{ Value: "many" }] }],
    }).catch((error: unknown) => error);
    expect(badArguments).toMatchObject({ code: "INVALID_ARGUMENT", input: "body/FunctionInvocations/0" });

    const badWhere = await run({
      where: "Lables.tier = 'web'",
      invocations: [{ FunctionName: "set-replicas", Arguments: [{ Value: 2 }] }],
    }).catch((error: unknown) => error);
    expect(badWhere).toBeInstanceOf(FilterFieldError);
    expect(badWhere).toMatchObject({ field: "querystring/where" });

    const missingSpace = await run({
      spaceId: randomUUID(),
      invocations: [{ FunctionName: "set-replicas", Arguments: [{ Value: 2 }] }],
    }).catch((error: unknown) => error);
    expect(missingSpace).toBeInstanceOf(NotFoundError);

    const spaceFilter = await createFilter(database.db, organizationId, units[0]!.spaceId, {
      slug: "all-spaces",
      displayName: "",
      labels: {},
      annotations: {},
      deleteGates: {},
      from: "Space",
      fromSpaceId: null,
      where: "",
      whereData: "",
      resourceType: "",
    });
    const notForUnits = await run({
      filterId: spaceFilter.filter_id,
      invocations: [{ FunctionName: "set-replicas", Arguments: [{ Value: 2 }] }],
    }).catch((error: unknown) => error);
    expect(notForUnits).toMatchObject({ code: "FILTER_NOT_FOR_UNITS", input: "Filter all-spaces" });

    for (const { spaceId, unitId } of units) {
      expect((await getUnit(database.db, { organizationId, spaceId, unitId })).head_revision_num).toBe(1);
    }
  });
});

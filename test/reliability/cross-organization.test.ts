// Issue 11, kept proven: every route of the OpenAPI document, called by one organization with
// another organization's IDs, is a 404 (never a 200 that leaks or changes, never a 500), and the
// other organization's data is unchanged afterwards. A route added to the document is probed
// without touching this file; a route whose request this file cannot build fails it.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { b64, buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import { printFigures } from "./support/event-loop.ts";

interface Operation {
  readonly method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  readonly path: string;
  /** The body's first media type (a raw data upload is not JSON). */
  readonly contentType: string | undefined;
  readonly bodySchema: { required?: string[]; properties?: Record<string, { enum?: unknown[] }> } | undefined;
  /** The query parameters the route accepts (any other is a 400). */
  readonly queryParameters: string[];
}

const openapi = JSON.parse(readFileSync(new URL("../../openapi/openapi.json", import.meta.url), "utf8")) as {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: { content?: Record<string, { schema?: unknown }> };
        parameters?: { name: string; in: string }[];
      }
    >
  >;
};

const operations: Operation[] = Object.entries(openapi.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({
    method: method.toUpperCase() as Operation["method"],
    path,
    bodySchema: Object.values(operation.requestBody?.content ?? {})[0]?.schema as Operation["bodySchema"],
    contentType: Object.keys(operation.requestBody?.content ?? {})[0],
    queryParameters: (operation.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
  })),
);

/** Values for required body properties that are not enums. */
const REQUIRED_VALUES: Record<string, unknown> = {
  Slug: "probe",
  ToolchainType: "Kubernetes/YAML",
  FunctionName: "get-replicas",
  From: "Unit",
  Event: "Mutation",
  Version: 1,
};

/** The smallest valid body: every required property, an enum's first value or a known value. */
function minimalBody(operation: Operation): Record<string, unknown> {
  // An invocation needs a function to name (the schema cannot say "one of these three").
  if (operation.path.endsWith("/function/invoke"))
    return { FunctionInvocations: [{ FunctionName: "get-replicas" }] };
  const schema = operation.bodySchema;
  const body: Record<string, unknown> = {};
  for (const name of schema?.required ?? []) {
    const known = REQUIRED_VALUES[name];
    const enumValues = schema?.properties?.[name]?.enum;
    if (known === undefined && !enumValues)
      throw new Error(`no probe value for required body property ${name}`);
    body[name] = known ?? enumValues![0];
  }
  return body;
}

const CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: theirs\ndata:\n  a: '1'\n";

describe.each(testDatabases())("cross-organization probe on $name", (target) => {
  let database: Database;
  let t: TestApp;
  /** The other organization's IDs, by path parameter name. */
  const theirs: Record<string, string> = {};
  let snapshot: () => Promise<string>;

  beforeAll(async () => {
    database = await target.open();
    t = await buildTestApp(database);
    const token = t.otherOrg.tokens.admin;
    const create = async (url: string, body: unknown) => {
      const response = await t.request({ method: "POST", url, body, token });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as Record<string, string>;
    };
    theirs.space_id = (await create("/api/space", { Slug: "theirs" })).SpaceID!;
    const space = `/api/space/${theirs.space_id}`;
    const unit = await create(`${space}/unit`, {
      Slug: "theirs",
      ToolchainType: "Kubernetes/YAML",
      Data: b64(CONFIG_MAP),
    });
    theirs.unit_id = unit.UnitID!;
    const revisions = await t.request({ method: "GET", url: `${space}/unit/${unit.UnitID}/revision`, token });
    theirs.revision_id = (revisions.json() as { Revision: { RevisionID: string } }[])[0]!.Revision.RevisionID;
    theirs.filter_id = (await create(`${space}/filter`, { Slug: "f", From: "Unit" })).FilterID!;
    theirs.invocation_id = (
      await create(`${space}/invocation`, {
        Slug: "i",
        FunctionName: "get-replicas",
        ToolchainType: "Kubernetes/YAML",
      })
    ).InvocationID!;
    theirs.trigger_id = (
      await create(`${space}/trigger`, {
        Slug: "t",
        Event: "Mutation",
        ToolchainType: "Kubernetes/YAML",
        FunctionName: "get-replicas",
        Disabled: true,
      })
    ).TriggerID!;
    theirs.change_set_id = (await create(`${space}/change_set`, { Slug: "c" })).ChangeSetID!;
    theirs.bridge_worker_id = (await create(`${space}/bridge_worker`, { Slug: "w" })).BridgeWorkerID!;
    // A connection-history entry, as the worker port writes one when the worker connects.
    theirs.status_id = randomUUID();
    await database.db
      .insertInto("bridge_worker_statuses")
      .values({
        bridge_worker_status_id: theirs.status_id,
        bridge_worker_id: theirs.bridge_worker_id,
        organization_id: t.otherOrg.organizationId,
        space_id: theirs.space_id,
        bridge_worker_slug: "w",
        seen_at: new Date(),
        status: "Connected",
      })
      .execute();
    const theirToken = (await create("/api/token", { Role: "viewer", Description: "theirs" })) as unknown as {
      Token: { TokenID: string };
    };
    theirs.token_id = theirToken.Token.TokenID;
    // Everything the other organization can see of itself, to prove nothing changed.
    snapshot = async () => {
      const reads = [
        "/api/space",
        "/api/unit",
        "/api/filter",
        "/api/invocation",
        "/api/trigger",
        "/api/change_set",
        "/api/bridge_worker",
        "/api/token",
      ];
      const bodies = await Promise.all(reads.map((url) => t.request({ method: "GET", url, token })));
      const unitRead = await t.request({ method: "GET", url: `${space}/unit/${theirs.unit_id}`, token });
      return JSON.stringify([...bodies.map((b) => b.json()), unitRead.json()]);
    };
    return () => t.close();
  });

  it("answers 404 to every route called with another organization's IDs", async () => {
    const before = await snapshot();
    const probed = operations.filter((o) => o.path.includes("{"));
    const outcomes: string[] = [];
    for (const operation of probed) {
      const url = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const id = theirs[name];
        if (!id)
          throw new Error(
            `${operation.method} ${operation.path}: no ID of the other organization for {${name}}`,
          );
        return id;
      });
      const response = await t.request({
        method: operation.method,
        url: operation.queryParameters.includes("recursive") ? `${url}?recursive=true` : url,
        ...(operation.contentType === "application/octet-stream"
          ? { body: CONFIG_MAP, headers: { "content-type": operation.contentType } }
          : ["POST", "PATCH", "PUT"].includes(operation.method)
            ? { body: minimalBody(operation) }
            : {}),
      });
      outcomes.push(`${operation.method} ${operation.path}: ${response.statusCode}`);
      expect(response.statusCode, `${operation.method} ${operation.path}: ${response.body}`).toBe(404);
      expect(response.json().Code).toBe("404");
    }
    expect(await snapshot()).toBe(before);
    const routesWithoutIds = operations.length - probed.length;
    printFigures(`cross-organization probe on ${target.name}`, {
      "routes with IDs probed": `${probed.length}, all 404`,
      "routes without IDs (organization-wide, nothing to probe)": routesWithoutIds,
      "other organization's data": "unchanged",
    });
  });

  it("keeps organization-wide routes to the caller's own data", async () => {
    const wheres = [`SpaceID = '${theirs.space_id}'`, `UnitID = '${theirs.unit_id}'`];
    for (const entity of ["unit", "filter", "invocation", "trigger", "change_set"]) {
      const response = await t.request({
        method: "GET",
        url: `/api/${entity}?${new URLSearchParams({ where: `SpaceID = '${theirs.space_id}'` })}`,
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toEqual([]);
    }
    const units = await t.request({
      method: "GET",
      url: `/api/unit?where=${encodeURIComponent(wheres[1]!)}`,
    });
    expect(units.json()).toEqual([]);
    const before = await snapshot();
    const invoke = await t.request({
      method: "POST",
      url: `/api/function/invoke?${new URLSearchParams({ where: wheres[1]! })}`,
      body: {
        FunctionInvocations: [{ FunctionName: "set-label", Arguments: [{ Value: "a" }, { Value: "b" }] }],
      },
    });
    expect(invoke.statusCode, invoke.body).toBe(200);
    expect(invoke.json()).toEqual([]);
    expect(await snapshot()).toBe(before);
  });
});

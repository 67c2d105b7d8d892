// No query parameter is ever silently ignored: every route of the OpenAPI document answers an
// unknown one with a 400 naming it and listing what the route accepts, before doing anything else.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";

// Rejection happens before any database access; one database is enough.
const [pglite] = testDatabases();

interface Operation {
  readonly parameters?: { readonly name: string; readonly in: string }[];
}

describe("Query parameters a route does not implement", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(await pglite!.open());
    return () => t.close();
  });

  const createSpace = async (slug: string): Promise<string> => {
    const response = await t.request({ method: "POST", url: "/api/space", body: { Slug: slug } });
    expect(response.statusCode).toBe(200);
    return response.json().SpaceID as string;
  };

  it("are a 400 naming them on every route of the OpenAPI document", async () => {
    const document = t.app.swagger() as { paths: Record<string, Record<string, Operation>> };
    const routes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(routes.length).toBeGreaterThan(40);
    for (const { path, method, operation } of routes) {
      const accepted = (operation.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
      const url = path.replace(/\{[^}]+\}/g, () => randomUUID());
      const response = await t.request({
        method: method.toUpperCase() as "GET",
        url: `${url}?confn_unknown=1`,
        // A body that is wrong too: the unknown parameter is still what the 400 names.
        ...(method === "get" || method === "delete" ? {} : { body: {} }),
      });
      const route = `${method.toUpperCase()} ${path}`;
      expect(response.statusCode, route).toBe(400);
      expect(response.json(), route).toEqual({
        Code: "400",
        Message:
          "querystring/confn_unknown: unknown parameter 'confn_unknown' is not supported on this route (" +
          (accepted.length > 0 ? `it accepts: ${accepted.join(", ")}` : "it takes no query parameters") +
          ")",
      });
    }
  });

  it("a Unit list sent a parameter ConfigHub defines but confn does not implement answers 400, not every Unit", async () => {
    const spaceId = await createSpace("included");
    const created = await t.request({
      method: "POST",
      url: `/api/space/${spaceId}/unit`,
      body: { Slug: "web", ToolchainType: "Kubernetes/YAML" },
    });
    expect(created.statusCode).toBe(200);
    for (const url of [`/api/space/${spaceId}/unit`, "/api/unit"]) {
      const response = await t.request({ method: "GET", url: `${url}?view=default` });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().Message, url).toBe(
        "querystring/view: unknown parameter 'view' is not supported on this route " +
          "(it accepts: where, contains, filter, include, select, resource_type, where_data, where_trigger, trigger_filter, triggers_passed)",
      );
    }
  });

  it("names every unknown parameter of a request, and still honours the known ones", async () => {
    const both = await t.request({
      method: "GET",
      url: "/api/space?summary=true&where=Slug%3D'x'&select=Slug&recursive=true",
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().Message).toBe(
      "querystring/summary, querystring/recursive: unknown parameters 'summary', 'recursive' are not supported " +
        "on this route (it accepts: where, contains, filter, include, select)",
    );

    await createSpace("kept");
    await createSpace("other");
    const listed = await t.request({ method: "GET", url: "/api/space?where=Slug%20%3D%20'kept'" });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().map((s: { Space: { Slug: string } }) => s.Space.Slug)).toEqual(["kept"]);
  });
});

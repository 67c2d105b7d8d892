// GET /api/function and /api/space/{space_id}/function: ToolchainType -> name -> FunctionSignature,
// narrowed by `where` over signature attributes; worker listings (entity + id) are empty until
// bridge workers exist.
import { beforeAll, describe, expect, it } from "vitest";
import { FunctionRegistry } from "../../src/engine/index.ts";
import { standardFunctions } from "../../functions/index.ts";
import { buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import { createSpace, createUnit, deployment, expectConfigHubShape } from "./invoke-support.ts";

type Listing = Record<
  string,
  Record<string, { FunctionName: string; Validating: boolean; Mutating: boolean }>
>;

describe.each(testDatabases())("function listings on $name", (target) => {
  let t: TestApp;
  let space: string;
  beforeAll(async () => {
    t = await buildTestApp(await target.open());
    space = await createSpace(t, "listing");
    return () => t.close();
  });

  it("lists every builtin function by toolchain and name, in ConfigHub's shape", async () => {
    for (const url of ["/api/function", `/api/space/${space}/function`]) {
      const response = await t.request({ method: "GET", url, as: "viewer" });
      expect(response.statusCode, response.body).toBe(200);
      const listing = response.json() as Listing;
      // The registry's signatures, with OutputInfo left out where it is null (as ConfigHub does).
      const registry = JSON.parse(JSON.stringify(FunctionRegistry.from(standardFunctions).list())) as Listing;
      for (const functions of Object.values(registry)) {
        for (const signature of Object.values(functions) as Record<string, unknown>[]) {
          if (signature.OutputInfo === null) delete signature.OutputInfo;
        }
      }
      expect(listing).toEqual(registry);
      for (const [toolchain, functions] of Object.entries(listing)) {
        for (const [name, signature] of Object.entries(functions)) {
          expect(signature.FunctionName).toBe(name);
          expect((signature as { ToolchainType?: string }).ToolchainType).toBe(toolchain);
          expectConfigHubShape(signature, "FunctionSignature");
        }
      }
    }
  });

  it("narrows the listing with `where` over signature attributes", async () => {
    const where = encodeURIComponent("Validating = true AND FunctionName LIKE 'cel-%'");
    const response = await t.request({ method: "GET", url: `/api/function?where=${where}` });
    expect(response.statusCode, response.body).toBe(200);
    expect(Object.keys((response.json() as Listing)["Kubernetes/YAML"] ?? {})).toEqual(["cel-validate"]);

    const mutating = (
      await t.request({ method: "GET", url: `/api/space/${space}/function?where=Mutating%20%3D%20true` })
    ).json() as Listing;
    expect(Object.values(mutating["Kubernetes/YAML"]!).every((s) => s.Mutating)).toBe(true);

    const bad = await t.request({
      method: "GET",
      url: `/api/function?where=${encodeURIComponent("Mutating = 'yes'")}`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().Message).toMatch(/where.*column/);
  });

  it("lists a worker's functions for entity + id: none until bridge workers exist", async () => {
    const unit = await createUnit(t, space, "web", deployment("web"));
    const forUnit = await t.request({
      method: "GET",
      url: `/api/space/${space}/function?entity=unit&id=${unit.UnitID}`,
    });
    expect(forUnit.statusCode, forUnit.body).toBe(200);
    expect(forUnit.json()).toEqual({});
    const missing = await t.request({
      method: "GET",
      url: `/api/space/${space}/function?entity=unit&id=6f1b7a4e-8d4f-4a51-9c59-0b1f7c7e2a11`,
    });
    expect(missing.statusCode).toBe(404);
    const half = await t.request({ method: "GET", url: `/api/space/${space}/function?entity=worker` });
    expect(half.statusCode).toBe(400);
    expect(half.json().Message).toMatch(/entity and querystring\/id go together/);
    const wrong = await t.request({
      method: "GET",
      url: `/api/space/${space}/function?entity=bridge&id=${unit.UnitID}`,
    });
    expect(wrong.statusCode).toBe(400);
  });

  it("another organization's Space is a 404", async () => {
    const other = t.otherOrg.tokens.admin;
    const theirs = (
      await t.request({ method: "POST", url: "/api/space", body: { Slug: "theirs" }, token: other })
    ).json().SpaceID;
    expect((await t.request({ method: "GET", url: `/api/space/${theirs}/function` })).statusCode).toBe(404);
  });
});

// Our responses against ConfigHub's published schemas (fixtures/confighub-schemas.json): a client
// written against ConfigHub's OpenAPI must read them. Beyond validation, every property we send
// must be one ConfigHub defines, or one of our declared extensions (a typo would otherwise pass,
// since ConfigHub's schemas allow additional properties).
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { b64, buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  $ref?: string;
  items?: SchemaNode;
}
const reference = JSON.parse(
  readFileSync(new URL("./fixtures/confighub-schemas.json", import.meta.url), "utf8"),
) as {
  components: { schemas: Record<string, SchemaNode> };
};

/** confn's additions to ConfigHub's shapes, documented in the route schemas. */
const EXTENSIONS: Record<string, readonly string[]> = {
  Mutation: ["Source", "Description", "FunctionInvocations", "ResourceMutations"],
  OrganizationMember: ["OrganizationSlug", "Role"],
};

function createValidator(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat("base64", (s: string) => Buffer.from(s, "base64").toString("base64") === s);
  ajv.addSchema({ $id: "confighub", ...reference });
  return ajv;
}

/** Property names not in ConfigHub's schema `name` (following $refs and arrays), as paths. */
function unknownProperties(value: unknown, name: string, path = name): string[] {
  const schema = reference.components.schemas[name];
  if (!schema?.properties || typeof value !== "object" || value === null) return [];
  const allowed = new Set([...Object.keys(schema.properties), ...(EXTENSIONS[name] ?? [])]);
  const unknown: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (!allowed.has(key)) {
      unknown.push(`${path}.${key}`);
      continue;
    }
    const property = schema.properties[key];
    const ref = property?.$ref ?? property?.items?.$ref;
    if (ref) {
      const target = ref.split("/").pop() as string;
      const children = Array.isArray(child) ? child : [child];
      for (const item of children) unknown.push(...unknownProperties(item, target, `${path}.${key}`));
    }
  }
  return unknown;
}

describe.each(testDatabases())("responses match ConfigHub's schemas on $name", (target) => {
  let database: Database;
  let t: TestApp;
  const ajv = createValidator();

  function expectShape(value: unknown, schemaName: string): void {
    const validate = ajv.getSchema(`confighub#/components/schemas/${schemaName}`);
    if (!validate) throw new Error(`no schema ${schemaName}`);
    const valid = validate(value);
    expect(validate.errors ?? [], `${schemaName}: ${ajv.errorsText(validate.errors)}`).toEqual([]);
    expect(valid).toBe(true);
    expect(unknownProperties(value, schemaName)).toEqual([]);
  }
  function expectList(value: unknown, schemaName: string): void {
    expect(Array.isArray(value)).toBe(true);
    expect((value as unknown[]).length).toBeGreaterThan(0);
    for (const item of value as unknown[]) expectShape(item, schemaName);
  }

  beforeAll(async () => {
    database = await target.open();
    t = await buildTestApp(database);
    return () => t.close();
  });

  it("the checker itself flags unknown properties, nested ones included", () => {
    expect(unknownProperties({ Slug: "a", Bogus: 1 }, "Unit")).toEqual(["Unit.Bogus"]);
    expect(unknownProperties({ Unit: { Labels: {}, Lables: {} } }, "ExtendedUnit")).toEqual([
      "ExtendedUnit.Unit.Lables",
    ]);
    expect(unknownProperties({ Source: "x" }, "Revision")).toEqual([]);
  });

  it("Space, ExtendedSpace, Unit, ExtendedUnit, Revision, Mutation, DeleteResponse, errors, me, info", async () => {
    const space = await t.request({
      method: "POST",
      url: "/api/space",
      body: { Slug: "prod", Labels: { env: "prod" } },
    });
    expectShape(space.json(), "Space");
    const spaceId = space.json().SpaceID;
    expectShape((await t.request({ method: "GET", url: `/api/space/${spaceId}` })).json(), "ExtendedSpace");
    expectList((await t.request({ method: "GET", url: "/api/space" })).json(), "ExtendedSpace");
    expectShape(
      (
        await t.request({ method: "PATCH", url: `/api/space/${spaceId}`, body: { DisplayName: "Prod" } })
      ).json(),
      "Space",
    );

    const unit = await t.request({
      method: "POST",
      url: `/api/space/${spaceId}/unit`,
      body: {
        Slug: "web",
        ToolchainType: "Kubernetes/YAML",
        Data: b64("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n"),
        Labels: { tier: "web" },
        LastChangeDescription: "import",
      },
    });
    expectShape(unit.json(), "Unit");
    const unitUrl = `/api/space/${spaceId}/unit/${unit.json().UnitID}`;
    expectShape(
      (await t.request({ method: "PATCH", url: unitUrl, body: { Data: b64("kind: Namespace\n") } })).json(),
      "Unit",
    );
    expectShape((await t.request({ method: "GET", url: unitUrl })).json(), "ExtendedUnit");
    expectList(
      (await t.request({ method: "GET", url: `/api/space/${spaceId}/unit` })).json(),
      "ExtendedUnit",
    );
    expectList((await t.request({ method: "GET", url: "/api/unit" })).json(), "ExtendedUnit");

    const revisions = (await t.request({ method: "GET", url: `${unitUrl}/revision` })).json();
    expectList(revisions, "ExtendedRevision");
    expectShape(
      (
        await t.request({ method: "GET", url: `${unitUrl}/revision/${revisions[1].Revision.RevisionID}` })
      ).json(),
      "ExtendedRevision",
    );
    expectList((await t.request({ method: "GET", url: `${unitUrl}/mutation` })).json(), "ExtendedMutation");

    expectShape((await t.request({ method: "GET", url: "/api/me" })).json(), "OrganizationMember");
    expectShape((await t.app.inject({ method: "GET", url: "/api/info" })).json(), "ApiInfo");
    expectShape(
      (await t.request({ method: "GET", url: unitUrl, as: "none" })).json(),
      "StandardErrorResponse",
    );
    expectShape((await t.request({ method: "DELETE", url: unitUrl })).json(), "DeleteResponse");
  });
});

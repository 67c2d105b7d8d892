// The ConfigHub contract (issue 14, "Tests"): for every operation confn implements, a request shaped
// exactly as ConfigHub's OpenAPI (../shared/reference/confighub-openapi-functions.json) defines it —
// its method and path, query parameters it names, a body valid against its request schema with no
// property it does not define — and the answer validated against the response schema ConfigHub
// declares for that status. Beyond validation, every property confn sends must be one ConfigHub
// defines or one of confn's documented extensions (docs/api-extensions.md): ConfigHub's schemas allow
// additional properties, so a typo or an undocumented field would otherwise pass.
//
// CASES is the table: one row per request. An operation added to openapi/openapi.json fails
// "covers every operation" until it has a row.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { b64, buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

interface SchemaNode {
  $ref?: string;
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  anyOf?: SchemaNode[];
}
interface ReferenceParameter {
  name: string;
  in: "query" | "path" | "header";
  schema: SchemaNode;
}
interface ReferenceOperation {
  operationId: string;
  parameters?: ReferenceParameter[];
  requestBody?: { content: Record<string, { schema: SchemaNode }> };
  responses: Record<string, { content?: Record<string, { schema: SchemaNode }> }>;
}
interface Reference {
  paths: Record<string, Record<string, ReferenceOperation>>;
  components: { schemas: Record<string, SchemaNode> };
}

const reference = JSON.parse(
  readFileSync(
    new URL("../../../shared/reference/confighub-openapi-functions.json", import.meta.url),
    "utf8",
  ),
) as Reference;

/** operationId -> method, path and definition in ConfigHub's OpenAPI. */
const referenceOperations = new Map(
  Object.entries(reference.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(
      ([method, operation]) =>
        [operation.operationId, { method: method.toUpperCase(), path, operation }] as const,
    ),
  ),
);

const confn = JSON.parse(readFileSync(new URL("../../openapi/openapi.json", import.meta.url), "utf8")) as {
  paths: Record<string, Record<string, { operationId: string }>>;
  components: { schemas: Record<string, { properties?: Record<string, { description?: string }> }> };
};

/** operationId -> `METHOD /path` of every operation confn serves (its own OpenAPI document). */
const confnOperations = new Map(
  Object.entries(confn.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, { operationId }]) => [
      operationId,
      `${method.toUpperCase()} ${path}`,
    ]),
  ),
);
/** confn's own operations that ConfigHub does not have. */
const CONFN_ONLY = new Set([
  "health",
  // confn's raw upload (docs/unit-writes.md); ConfigHub changes data only through a Unit body.
  "UploadUnitData",
  // Token management over the API (docs/api-extensions.md); ConfigHub has no token API.
  "ListApiTokens",
  "CreateApiToken",
  "RevokeApiToken",
  // confn stores only a hash of a worker's secret, so it is replaced, never read (docs/bridge-workers.md).
  "RotateBridgeWorkerSecret",
]);

/** docs/api-extensions.md's table: schema -> the properties confn adds to it. */
function documentedExtensions(markdown: string): Record<string, string[]> {
  const extensions: Record<string, string[]> = {};
  for (const [, schema, property] of markdown.matchAll(/^\| `(\w+)` \| `(\w+)` \| .+ \|$/gm)) {
    (extensions[schema!] ??= []).push(property!);
  }
  return extensions;
}
const EXTENSIONS = documentedExtensions(
  readFileSync(new URL("../../docs/api-extensions.md", import.meta.url), "utf8"),
);

function schemaName(ref: string): string {
  return ref.split("/").pop() as string;
}

/**
 * Property names in `value` that `schema` (following $refs, arrays and maps) does not define and
 * that are not documented extensions of the named schema they appear in, as paths.
 */
function unknownProperties(value: unknown, schema: SchemaNode | undefined, path: string): string[] {
  if (!schema || value === null || typeof value !== "object") return [];
  let name: string | undefined;
  let node = schema;
  while (node.$ref) {
    name = schemaName(node.$ref);
    node = reference.components.schemas[name] ?? {};
  }
  if (Array.isArray(value)) {
    return node.items ? value.flatMap((item, i) => unknownProperties(item, node.items, `${path}[${i}]`)) : [];
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (node.properties) {
    const allowed = new Set([...Object.keys(node.properties), ...(name ? (EXTENSIONS[name] ?? []) : [])]);
    return entries.flatMap(([key, child]) =>
      allowed.has(key)
        ? unknownProperties(child, node.properties![key], `${path}.${key}`)
        : [`${path}.${key}`],
    );
  }
  if (typeof node.additionalProperties === "object") {
    return entries.flatMap(([key, child]) =>
      unknownProperties(child, node.additionalProperties as SchemaNode, `${path}.${key}`),
    );
  }
  return [];
}

function createValidator(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat("byte", (s: string) => Buffer.from(s, "base64").toString("base64") === s);
  ajv.addFormat("base64", (s: string) => Buffer.from(s, "base64").toString("base64") === s);
  ajv.addSchema({ $id: "confighub", components: reference.components });
  return ajv;
}
const ajv = createValidator();
const compiled = new Map<SchemaNode, ValidateFunction>();

/** Validates `value` against an inline schema of ConfigHub's document (its $refs resolved there). */
function validate(schema: SchemaNode, value: unknown): string[] {
  let check = compiled.get(schema);
  if (!check) {
    const rebased = JSON.parse(
      JSON.stringify(schema).replaceAll('"$ref":"#/', '"$ref":"confighub#/'),
    ) as object;
    check = ajv.compile(rebased);
    compiled.set(schema, check);
  }
  return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`);
}

/** The IDs and values the requests use, made before the table runs. */
interface World {
  space: string;
  unit: string;
  revision: string;
  filter: string;
  invocation: string;
  trigger: string;
  changeSet: string;
  bridgeWorker: string;
  /** A connection-history entry of `bridgeWorker`. */
  workerStatus: string;
  /** A saved Filter From Space. */
  spaceFilter: string;
  /** The current Version of the entity at `url` (a PUT sends the Version it read). */
  versionOf: (url: string) => Promise<number>;
  doomed: {
    space: string;
    unit: string;
    filter: string;
    invocation: string;
    trigger: string;
    changeSet: string;
    bridgeWorker: string;
  };
}

interface ContractRequest {
  readonly path?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  /** The body's media type; the first ConfigHub declares for the operation by default. */
  readonly contentType?: string;
}

interface ContractCase {
  /** ConfigHub's operationId. */
  readonly operationId: string;
  /** What the row shows, when an operation has several rows. */
  readonly what?: string;
  readonly request: (w: World) => ContractRequest | Promise<ContractRequest>;
  /** The status expected (200 unless said). */
  readonly status?: number;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: main
        image: nginx:1.25
`;
const setLabel = { FunctionName: "set-label", Arguments: [{ Value: "team" }, { Value: "platform" }] };
const webOnly = { where: "Slug = 'web'" };
/** A `where` every saved entity of the test matches. */
const everything = { where: "Slug != 'nothing'" };

/**
 * One row per request, run in order (reads, then writes, then deletes). Each request uses only
 * parameters and body properties ConfigHub defines for the operation; rows of operations added later
 * go in the group they belong to.
 */
const CASES: readonly ContractCase[] = [
  // --- server, caller
  { operationId: "apiInfo", request: () => ({}) },
  { operationId: "GetMe", request: () => ({}) },
  { operationId: "GetMe", what: "without a token", request: () => ({}), status: 401 },

  // --- Spaces
  {
    operationId: "ListSpaces",
    request: () => ({ query: { where: "Slug = 'contract'", contains: "contract" } }),
  },
  {
    operationId: "CreateSpace",
    request: () => ({ body: { Slug: "contract-new", DisplayName: "New", Labels: { env: "dev" } } }),
  },
  { operationId: "GetSpace", request: (w) => ({ path: { space_id: w.space } }) },
  {
    operationId: "PatchSpace",
    request: (w) => ({ path: { space_id: w.space }, body: { Annotations: { owner: "platform" } } }),
  },

  // --- Units, their history
  { operationId: "ListUnits", request: (w) => ({ path: { space_id: w.space }, query: webOnly }) },
  { operationId: "ListAllUnits", request: () => ({ query: { where: "Labels.tier = 'web'" } }) },
  {
    operationId: "CreateUnit",
    request: (w) => ({
      path: { space_id: w.space },
      body: {
        Slug: "api",
        ToolchainType: "Kubernetes/YAML",
        Data: b64(DEPLOYMENT.replace("name: web", "name: api")),
        Labels: { tier: "api" },
        LastChangeDescription: "import",
      },
    }),
  },
  { operationId: "GetUnit", request: (w) => ({ path: { space_id: w.space, unit_id: w.unit } }) },
  {
    operationId: "GetUnit",
    what: "unknown Unit",
    request: (w) => ({ path: { space_id: w.space, unit_id: "00000000-0000-4000-8000-000000000000" } }),
    status: 404,
  },
  {
    operationId: "PatchUnit",
    request: (w) => ({
      path: { space_id: w.space, unit_id: w.unit },
      body: { Labels: { team: "platform" }, Data: b64(DEPLOYMENT.replace("replicas: 2", "replicas: 3")) },
    }),
  },
  {
    operationId: "ListExtendedRevisions",
    request: (w) => ({ path: { space_id: w.space, unit_id: w.unit } }),
  },
  {
    operationId: "GetExtendedRevision",
    request: (w) => ({ path: { space_id: w.space, unit_id: w.unit, revision_id: w.revision } }),
  },
  {
    operationId: "ListExtendedMutations",
    request: (w) => ({ path: { space_id: w.space, unit_id: w.unit } }),
  },
  { operationId: "ListAllRevisions", request: () => ({ query: { where: "RevisionNum > 0" } }) },
  {
    operationId: "DownloadUnitData",
    request: (w) => ({ path: { space_id: w.space, unit_id: w.unit } }),
  },
  {
    operationId: "DownloadRevisionData",
    request: (w) => ({ path: { space_id: w.space, unit_id: w.unit, revision_id: w.revision } }),
  },

  // --- bulk Units
  {
    operationId: "BulkPatchUnits",
    request: () => ({ query: webOnly, body: { Labels: { reviewed: "yes" }, DisplayName: "Web" } }),
  },
  {
    operationId: "BulkPatchUnits",
    what: "one Unit fails (207)",
    request: () => ({ query: { where: "Labels.tier IN ('web', 'api')" }, body: { Slug: "same" } }),
    status: 207,
  },
  {
    operationId: "BulkCreateUnits",
    request: () => ({ query: { ...webOnly, name_prefixes: "dev-,qa-" }, body: { Labels: { env: "dev" } } }),
  },
  {
    operationId: "BulkCreateUnits",
    what: "into the Spaces where_space and filter_space select, existing clones allowed",
    request: (w) => ({
      query: {
        ...webOnly,
        where_space: "Slug = 'contract-new'",
        filter_space: w.spaceFilter,
        allow_exists: "true",
      },
      body: {},
    }),
  },

  // --- functions
  { operationId: "ListOrgFunctions", request: () => ({ query: { where: "Mutating = true" } }) },
  {
    operationId: "ListFunctions",
    request: (w) => ({ path: { space_id: w.space }, query: { where: "FunctionName = 'set-label'" } }),
  },
  {
    operationId: "InvokeFunctions",
    request: (w) => ({
      path: { space_id: w.space },
      query: { where: "Slug = 'web'", dry_run: "true" },
      body: { FunctionInvocations: [setLabel], ToolchainType: "Kubernetes/YAML", ChangeDescription: "label" },
    }),
  },
  {
    operationId: "InvokeFunctionsOnOrg",
    request: () => ({
      query: { where: "Slug = 'web'" },
      body: {
        FunctionInvocations: [setLabel, { FunctionName: "get-replicas" }],
        ChangeDescription: "label",
      },
    }),
  },

  // --- saved Filters, Invocations, Triggers, ChangeSets
  { operationId: "ListFilters", request: (w) => ({ path: { space_id: w.space }, query: everything }) },
  { operationId: "ListAllFilters", request: () => ({ query: { where: "From = 'Unit'" } }) },
  {
    operationId: "CreateFilter",
    request: (w) => ({
      path: { space_id: w.space },
      body: { Slug: "api-units", From: "Unit", Where: "Labels.tier = 'api'", FromSpaceID: w.space },
    }),
  },
  { operationId: "GetFilter", request: (w) => ({ path: { space_id: w.space, filter_id: w.filter } }) },
  {
    operationId: "PatchFilter",
    request: (w) => ({
      path: { space_id: w.space, filter_id: w.filter },
      body: { DisplayName: "Web Units" },
    }),
  },
  { operationId: "ListInvocations", request: (w) => ({ path: { space_id: w.space }, query: everything }) },
  { operationId: "ListAllInvocations", request: () => ({ query: { contains: "label" } }) },
  {
    operationId: "CreateInvocation",
    request: (w) => ({
      path: { space_id: w.space },
      body: {
        Slug: "scale",
        ToolchainType: "Kubernetes/YAML",
        FunctionName: "set-replicas",
        Arguments: [{ Value: 3 }],
      },
    }),
  },
  {
    operationId: "GetInvocation",
    request: (w) => ({ path: { space_id: w.space, invocation_id: w.invocation } }),
  },
  {
    operationId: "PatchInvocation",
    request: (w) => ({
      path: { space_id: w.space, invocation_id: w.invocation },
      body: { Labels: { kind: "label" } },
    }),
  },
  { operationId: "ListTriggers", request: (w) => ({ path: { space_id: w.space }, query: everything }) },
  { operationId: "ListAllTriggers", request: () => ({ query: { where: "Event = 'Mutation'" } }) },
  {
    operationId: "CreateTrigger",
    request: (w) => ({
      path: { space_id: w.space },
      body: {
        Slug: "min-replicas",
        Event: "Mutation",
        ToolchainType: "Kubernetes/YAML",
        FunctionName: "cel-validate",
        Arguments: [{ Value: "r.spec.replicas >= 1" }],
        Disabled: true,
      },
    }),
  },
  { operationId: "GetTrigger", request: (w) => ({ path: { space_id: w.space, trigger_id: w.trigger } }) },
  {
    operationId: "PatchTrigger",
    request: (w) => ({ path: { space_id: w.space, trigger_id: w.trigger }, body: { Description: "checks" } }),
  },
  { operationId: "ListChangeSets", request: (w) => ({ path: { space_id: w.space }, query: everything }) },
  { operationId: "ListAllChangeSets", request: () => ({ query: { where: "Slug = 'release'" } }) },
  {
    operationId: "CreateChangeSet",
    request: (w) => ({
      path: { space_id: w.space },
      body: { Slug: "next", Description: "the next release" },
    }),
  },
  {
    operationId: "GetChangeSet",
    request: (w) => ({ path: { space_id: w.space, change_set_id: w.changeSet } }),
  },
  {
    operationId: "PatchChangeSet",
    request: (w) => ({
      path: { space_id: w.space, change_set_id: w.changeSet },
      body: { Description: "release 2" },
    }),
  },

  { operationId: "ListBridgeWorkers", request: (w) => ({ path: { space_id: w.space }, query: everything }) },
  {
    operationId: "ListAllBridgeWorkers",
    request: () => ({ query: { where: "Condition = 'Disconnected'" } }),
  },
  {
    operationId: "CreateBridgeWorker",
    request: (w) => ({
      path: { space_id: w.space },
      body: { Slug: "kyverno", Labels: { team: "platform" } },
    }),
  },
  {
    operationId: "GetBridgeWorker",
    request: (w) => ({ path: { space_id: w.space, bridge_worker_id: w.bridgeWorker } }),
  },
  {
    operationId: "PatchBridgeWorker",
    request: (w) => ({
      path: { space_id: w.space, bridge_worker_id: w.bridgeWorker },
      body: { DisplayName: "Policy worker" },
    }),
  },
  {
    operationId: "ListBridgeWorkerFunctions",
    request: (w) => ({ path: { space_id: w.space, bridge_worker_id: w.bridgeWorker } }),
  },
  {
    operationId: "ListBridgeWorkerStatuses",
    request: (w) => ({ path: { space_id: w.space, bridge_worker_id: w.bridgeWorker } }),
  },
  {
    operationId: "GetBridgeWorkerStatus",
    request: (w) => ({
      path: { space_id: w.space, bridge_worker_id: w.bridgeWorker, status_id: w.workerStatus },
    }),
  },

  // --- whole replacements (PUT), on the entities the deletes remove (nothing else changed most of them)
  {
    operationId: "UpdateSpace",
    request: (w) => ({
      path: { space_id: w.doomed.space },
      body: { Slug: "doomed", DisplayName: "Doomed", Labels: { env: "test" }, Version: 1 },
    }),
  },
  {
    operationId: "UpdateUnit",
    request: async (w) => ({
      path: { space_id: w.doomed.space, unit_id: w.doomed.unit },
      body: {
        Slug: "doomed",
        ToolchainType: "Kubernetes/YAML",
        Data: b64(DEPLOYMENT.replace("replicas: 2", "replicas: 4")),
        Labels: { tier: "web" },
        // The bulk rows above patched it: send the Version read now, as a client does.
        Version: await w.versionOf(`/api/space/${w.doomed.space}/unit/${w.doomed.unit}`),
      },
    }),
  },
  {
    operationId: "UpdateFilter",
    request: (w) => ({
      path: { space_id: w.space, filter_id: w.doomed.filter },
      body: { Slug: "web-doomed", From: "Unit", Where: "Slug = 'api'", Version: 1 },
    }),
  },
  {
    operationId: "UpdateInvocation",
    request: (w) => ({
      path: { space_id: w.space, invocation_id: w.doomed.invocation },
      body: { Slug: "label-doomed", ToolchainType: "Kubernetes/YAML", ...setLabel, Version: 1 },
    }),
  },
  {
    operationId: "UpdateTrigger",
    request: (w) => ({
      path: { space_id: w.space, trigger_id: w.doomed.trigger },
      body: {
        Slug: "stamp-doomed",
        Event: "Mutation",
        ToolchainType: "Kubernetes/YAML",
        FunctionName: "set-annotation",
        Arguments: [{ Value: "example.com/checked" }, { Value: "no" }],
        Disabled: true,
        Version: 1,
      },
    }),
  },
  {
    operationId: "UpdateChangeSet",
    request: (w) => ({
      path: { space_id: w.space, change_set_id: w.doomed.changeSet },
      body: { Slug: "release-doomed", Description: "replaced", Version: 1 },
    }),
  },

  {
    operationId: "UpdateBridgeWorker",
    request: (w) => ({
      path: { space_id: w.space, bridge_worker_id: w.doomed.bridgeWorker },
      body: { Slug: "policy-doomed", DisplayName: "replaced", Version: 1 },
    }),
  },

  // --- deletes
  {
    operationId: "DeleteBridgeWorker",
    request: (w) => ({ path: { space_id: w.space, bridge_worker_id: w.doomed.bridgeWorker } }),
  },
  {
    operationId: "DeleteUnit",
    request: (w) => ({ path: { space_id: w.doomed.space, unit_id: w.doomed.unit } }),
  },
  {
    operationId: "DeleteFilter",
    request: (w) => ({ path: { space_id: w.space, filter_id: w.doomed.filter } }),
  },
  {
    operationId: "DeleteInvocation",
    request: (w) => ({ path: { space_id: w.space, invocation_id: w.doomed.invocation } }),
  },
  {
    operationId: "DeleteTrigger",
    request: (w) => ({ path: { space_id: w.space, trigger_id: w.doomed.trigger } }),
  },
  {
    operationId: "DeleteChangeSet",
    request: (w) => ({ path: { space_id: w.space, change_set_id: w.doomed.changeSet } }),
  },
  { operationId: "BulkDeleteUnits", request: () => ({ query: { where: "Slug LIKE 'dev-%'" } }) },
  {
    operationId: "BulkDeleteUnits",
    what: "a selection that matches nothing",
    request: () => ({ query: { where: "Slug LIKE 'dev-%'" } }),
    status: 404,
  },
  { operationId: "DeleteSpace", request: (w) => ({ path: { space_id: w.doomed.space } }) },
];

/** The request of a row, checked against ConfigHub's definition, as inject options. */
async function buildRequest(row: ContractCase, world: World) {
  const found = referenceOperations.get(row.operationId);
  if (!found) throw new Error(`${row.operationId} is not an operation of ConfigHub's OpenAPI`);
  const { method, path, operation } = found;
  const request = await row.request(world);
  const problems: string[] = [];
  const parameters = operation.parameters ?? [];

  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = request.path?.[name];
    if (value === undefined) problems.push(`no value for path parameter {${name}}`);
    return value ?? "";
  });
  for (const name of Object.keys(request.path ?? {})) {
    if (!path.includes(`{${name}}`)) problems.push(`path parameter ${name} is not in ${path}`);
  }
  for (const [name, value] of Object.entries(request.query ?? {})) {
    const parameter = parameters.find((p) => p.in === "query" && p.name === name);
    if (!parameter) {
      problems.push(`query parameter ${name} is not defined for ${row.operationId}`);
      continue;
    }
    const typed =
      parameter.schema.type === "boolean" ? value === "true" || (value === "false" ? false : value) : value;
    problems.push(...validate(parameter.schema, typed).map((p) => `query parameter ${name}: ${p}`));
  }

  let contentType: string | undefined;
  if (request.body !== undefined) {
    const content = operation.requestBody?.content ?? {};
    contentType = request.contentType ?? Object.keys(content)[0];
    const schema = contentType ? content[contentType]?.schema : undefined;
    if (!schema) problems.push(`${row.operationId} takes no ${contentType ?? ""} body`);
    else {
      problems.push(...validate(schema, request.body).map((p) => `body: ${p}`));
      problems.push(...unknownProperties(request.body, schema, "body").map((p) => `${p} is not defined`));
    }
  }
  expect(problems, `${row.operationId}: the request is not shaped as ConfigHub defines it`).toEqual([]);

  const query = new URLSearchParams(request.query ?? {}).toString();
  return {
    method,
    url: `/api${url}${query ? `?${query}` : ""}`,
    ...(request.body !== undefined
      ? { body: JSON.stringify(request.body), headers: { "content-type": contentType! } }
      : {}),
  };
}

describe("the ConfigHub contract table", () => {
  it("covers every operation confn serves, each the same method and path as ConfigHub's", () => {
    const covered = new Set(CASES.map((row) => row.operationId));
    const missing = [...confnOperations.keys()].filter((id) => !CONFN_ONLY.has(id) && !covered.has(id));
    expect(missing, "operations without a row in CASES").toEqual([]);
    for (const id of covered) {
      const theirs = referenceOperations.get(id);
      expect(theirs, `${id} is not in ConfigHub's OpenAPI`).toBeDefined();
      expect(confnOperations.get(id), id).toBe(
        `${theirs!.method} /api${theirs!.path.replace(/\{(\w+)\}/g, "{$1}")}`,
      );
    }
  });

  it("documents exactly the properties confn's own schemas describe as extensions", () => {
    const described = Object.entries(confn.components.schemas).flatMap(([schema, { properties }]) =>
      Object.entries(properties ?? {})
        .filter(([, property]) => property.description?.startsWith("Extension:"))
        .map(([name]) => `${schema}.${name}`),
    );
    const documented = Object.entries(EXTENSIONS).flatMap(([schema, names]) =>
      names.map((n) => `${schema}.${n}`),
    );
    expect(documented.sort()).toEqual(described.sort());
  });

  it("flags what ConfigHub's schemas do not allow: wrong types, unknown properties", () => {
    expect(validate({ $ref: "#/components/schemas/Unit" }, { Slug: 5 })).not.toEqual([]);
    expect(validate({ $ref: "#/components/schemas/Unit" }, { Slug: "web", ToolchainType: "x" })).toEqual([]);
    expect(unknownProperties({ Slug: "a", Bogus: 1 }, { $ref: "#/components/schemas/Unit" }, "Unit")).toEqual(
      ["Unit.Bogus"],
    );
    expect(
      unknownProperties(
        [{ Unit: { Labels: {}, Lables: {} } }],
        { type: "array", items: { $ref: "#/components/schemas/ExtendedUnit" } },
        "body",
      ),
    ).toEqual(["body[0].Unit.Lables"]);
    // A documented extension is allowed only on its own schema.
    expect(unknownProperties({ Source: "x" }, { $ref: "#/components/schemas/Mutation" }, "M")).toEqual([]);
    expect(
      unknownProperties({ Source: "x", Role: "admin" }, { $ref: "#/components/schemas/Revision" }, "R"),
    ).toEqual(["R.Role"]);
  });
});

describe.each(testDatabases())("ConfigHub's OpenAPI, request and response, on $name", (target) => {
  let database: Database;
  let t: TestApp;
  const world = {} as World;

  beforeAll(async () => {
    database = await target.open();
    t = await buildTestApp(database);
    const made = async (url: string, body: unknown, id: string) => {
      const response = await t.request({ method: "POST", url, body });
      expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
      return (response.json() as Record<string, string>)[id]!;
    };
    const entities = async (space: string, suffix: string) => ({
      filter: await made(
        `/api/space/${space}/filter`,
        { Slug: `web${suffix}`, From: "Unit", Where: "Slug = 'web'" },
        "FilterID",
      ),
      invocation: await made(
        `/api/space/${space}/invocation`,
        { Slug: `label${suffix}`, ToolchainType: "Kubernetes/YAML", ...setLabel },
        "InvocationID",
      ),
      trigger: await made(
        `/api/space/${space}/trigger`,
        {
          Slug: `stamp${suffix}`,
          Event: "Mutation",
          ToolchainType: "Kubernetes/YAML",
          FunctionName: "set-annotation",
          Arguments: [{ Value: "example.com/checked" }, { Value: "yes" }],
          Disabled: true,
        },
        "TriggerID",
      ),
      changeSet: await made(`/api/space/${space}/change_set`, { Slug: `release${suffix}` }, "ChangeSetID"),
      bridgeWorker: await made(
        `/api/space/${space}/bridge_worker`,
        { Slug: `policy${suffix}` },
        "BridgeWorkerID",
      ),
    });
    world.space = await made("/api/space", { Slug: "contract", Labels: { env: "prod" } }, "SpaceID");
    const unit = {
      Slug: "web",
      ToolchainType: "Kubernetes/YAML",
      Data: b64(DEPLOYMENT),
      Labels: { tier: "web" },
    };
    world.unit = await made(`/api/space/${world.space}/unit`, unit, "UnitID");
    const revisions = await t.request({
      method: "GET",
      url: `/api/space/${world.space}/unit/${world.unit}/revision`,
    });
    world.revision = (revisions.json() as { Revision: { RevisionID: string } }[])[0]!.Revision.RevisionID;
    Object.assign(world, await entities(world.space, ""));
    world.spaceFilter = await made(
      `/api/space/${world.space}/filter`,
      { Slug: "new-spaces", From: "Space", Where: "Slug LIKE 'contract-%'" },
      "FilterID",
    );
    // A connection-history entry, as the worker port writes one when the worker connects.
    world.workerStatus = randomUUID();
    await database.db
      .insertInto("bridge_worker_statuses")
      .values({
        bridge_worker_status_id: world.workerStatus,
        bridge_worker_id: world.bridgeWorker,
        organization_id: t.org.organizationId,
        space_id: world.space,
        bridge_worker_slug: "policy",
        ip_address: "127.0.0.1",
        seen_at: new Date(),
        status: "Connected",
      })
      .execute();
    world.versionOf = async (url) => {
      const response = await t.request({ method: "GET", url });
      expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
      // A GET of a Unit answers an ExtendedUnit, which holds the Unit.
      const body = response.json() as { Version?: number; Unit?: { Version: number } };
      return body.Version ?? body.Unit!.Version;
    };
    const doomedSpace = await made("/api/space", { Slug: "doomed" }, "SpaceID");
    world.doomed = {
      space: doomedSpace,
      unit: await made(`/api/space/${doomedSpace}/unit`, { ...unit, Slug: "doomed" }, "UnitID"),
      ...(await entities(world.space, "-doomed")),
    };
    return () => t.close();
  });

  it.each(CASES.map((row) => [`${row.operationId}${row.what ? ` (${row.what})` : ""}`, row] as const))(
    "%s",
    async (_, row) => {
      const request = await buildRequest(row, world);
      const response = await t.request({
        ...request,
        ...(row.status === 401 ? { as: "none" as const } : {}),
      } as Parameters<TestApp["request"]>[0]);
      const status = row.status ?? 200;
      expect(response.statusCode, response.body).toBe(status);
      const { operation } = referenceOperations.get(row.operationId)!;
      const declared = operation.responses[String(status)] ?? operation.responses.default;
      const raw = declared?.content?.["application/octet-stream"];
      if (raw) {
        // A raw answer (the data downloads): the media type ConfigHub declares, and some bytes.
        expect(response.headers["content-type"]).toMatch(/^application\/octet-stream/);
        expect(response.body.length, "a raw answer proves nothing when empty").toBeGreaterThan(0);
        return;
      }
      const schema = declared?.content?.["application/json"]?.schema;
      expect(
        schema,
        `ConfigHub declares no JSON answer with status ${status} for ${row.operationId}`,
      ).toBeDefined();
      const body = response.json() as unknown;
      expect(validate(schema!, body), `${row.operationId} answer against ConfigHub's schema`).toEqual([]);
      expect(unknownProperties(body, schema, "answer"), "properties ConfigHub does not define").toEqual([]);
      if (Array.isArray(body) && status < 300)
        expect(body.length, "a list answer proves nothing when empty").toBeGreaterThan(0);
    },
  );
});

// Shared helpers of the function-invocation API tests: Kubernetes manifests, Space/Unit/entity
// creation through the API, invoke calls shaped as ConfigHub's client sends them, the ConfigHub
// contract check (ajv over ../shared/reference/confighub-openapi-functions.json), and row counts
// read straight from the database to prove what was (not) written.
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { expect } from "vitest";
import type { Database } from "../../src/store/database.ts";
import { b64, fromB64, type TestApp } from "../support/databases.ts";
import type { Role } from "../../src/store/schema.ts";

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** A Deployment with one container. */
export function deployment(name: string, options: { image?: string; replicas?: number } = {}): string {
  return [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    `  name: ${name}`,
    "  namespace: apps",
    "spec:",
    `  replicas: ${options.replicas ?? 1}`,
    "  template:",
    "    spec:",
    "      containers:",
    "      - name: main",
    `        image: ${options.image ?? "nginx:1.25"}`,
    "",
  ].join("\n");
}

export async function createSpace(t: TestApp, slug: string): Promise<string> {
  const response = await t.request({ method: "POST", url: "/api/space", body: { Slug: slug } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().SpaceID as string;
}

/** A Mutation Trigger on Kubernetes/YAML in the Space, with the given fields (FunctionName, Arguments, ...). */
export async function createTrigger(
  t: TestApp,
  spaceId: string,
  slug: string,
  fields: Record<string, unknown>,
): Promise<{ TriggerID: string; Validating: boolean }> {
  const response = await t.request({
    method: "POST",
    url: `/api/space/${spaceId}/trigger`,
    body: { Slug: slug, Event: "Mutation", ToolchainType: "Kubernetes/YAML", ...fields },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { TriggerID: string; Validating: boolean };
}

export interface CreatedUnit {
  readonly UnitID: string;
  readonly Slug: string;
  readonly HeadRevisionNum: number;
  readonly Version: number;
}

export async function createUnit(
  t: TestApp,
  spaceId: string,
  slug: string,
  data: string,
  extra: Record<string, unknown> = {},
): Promise<CreatedUnit> {
  const response = await t.request({
    method: "POST",
    url: `/api/space/${spaceId}/unit`,
    body: { Slug: slug, ToolchainType: "Kubernetes/YAML", Data: b64(data), ...extra },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as CreatedUnit;
}

export async function getUnit(t: TestApp, spaceId: string, unitId: string) {
  const response = await t.request({ method: "GET", url: `/api/space/${spaceId}/unit/${unitId}` });
  expect(response.statusCode, response.body).toBe(200);
  const unit = response.json().Unit;
  return { ...unit, data: fromB64(unit.Data as string) } as Record<string, unknown> & {
    data: string;
    HeadRevisionNum: number;
    ApplyGates: Record<string, boolean>;
    ApplyWarnings: Record<string, boolean>;
  };
}

/** `{ FunctionName, Arguments: [{ Value }] }` with every argument a string, as `cub function do` sends. */
export function call(functionName: string, ...values: (string | number | boolean)[]) {
  return { FunctionName: functionName, Arguments: values.map((Value) => ({ Value })) };
}

export interface InvokeOptions {
  readonly spaceId?: string;
  readonly query?: Record<string, string>;
  readonly body: Record<string, unknown>;
  readonly as?: Role;
  readonly token?: string;
}

/** POSTs to the Space's or the organization's invoke endpoint. */
export function invoke(t: TestApp, options: InvokeOptions) {
  const path = options.spaceId ? `/api/space/${options.spaceId}/function/invoke` : "/api/function/invoke";
  const query = new URLSearchParams(options.query ?? {}).toString();
  return t.request({
    method: "POST",
    url: query ? `${path}?${query}` : path,
    body: options.body,
    ...(options.as ? { as: options.as } : {}),
    ...(options.token ? { token: options.token } : {}),
  });
}

export interface ResponseElement {
  UnitID: string;
  UnitSlug: string;
  SpaceID: string;
  SpaceSlug: string;
  OrganizationID: string;
  RevisionID: string;
  ConfigData: string;
  Outputs: Record<string, string>;
  Mutations: {
    Resource: { ResourceName: string };
    ResourceMutationInfo: { MutationType: string; Index: number };
    PathMutationMap: Record<string, { MutationType: string; Index: number }>;
  }[];
  Mutators: number[];
  HasNewMutations: boolean;
  Success: boolean;
  Error?: { Message: string; Details: string[]; Status: number; Type: string; ErrorCategory: string };
}

/** The decoded `Outputs[type]` of an element. */
export function output(element: ResponseElement, type: string): unknown {
  const encoded = element.Outputs[type];
  return encoded === undefined ? undefined : JSON.parse(fromB64(encoded));
}

export const dataOf = (element: ResponseElement): string => fromB64(element.ConfigData);

/** Revisions and Mutations of an organization, counted in the database. */
export async function writeCounts(database: Database, organizationId: string) {
  const count = async (table: "revisions" | "mutations") =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("organization_id", "=", organizationId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { revisions: await count("revisions"), mutations: await count("mutations") };
}

const reference = JSON.parse(
  readFileSync(
    new URL("../../../shared/reference/confighub-openapi-functions.json", import.meta.url),
    "utf8",
  ),
) as object;

let contract: Ajv | undefined;

/** Asserts that `value` validates against ConfigHub's schema `name` (components.schemas). */
export function expectConfigHubShape(value: unknown, name: string): void {
  if (!contract) {
    contract = new Ajv({ strict: false, allErrors: true });
    addFormats(contract);
    contract.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
    contract.addFormat("base64", (s: string) => Buffer.from(s, "base64").toString("base64") === s);
    contract.addSchema({ ...reference, $id: "confighub-functions" });
  }
  const validate = contract.getSchema(`confighub-functions#/components/schemas/${name}`);
  if (!validate) throw new Error(`ConfigHub's reference has no schema ${name}`);
  const valid = validate(value);
  expect(validate.errors ?? [], `${name}: ${contract.errorsText(validate.errors)}`).toEqual([]);
  expect(valid).toBe(true);
}

/** Asserts that an invoke response body is a list of ConfigHub FunctionInvocationsResponse elements. */
export function expectInvokeContract(body: unknown): asserts body is ResponseElement[] {
  expect(Array.isArray(body)).toBe(true);
  for (const element of body as unknown[]) expectConfigHubShape(element, "FunctionInvocationsResponse");
}

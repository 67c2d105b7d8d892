// An invocation validates each function call's arguments once: the up-front check (which refuses a
// bad request before anything runs) and the per-Unit runs share the engine's validation, for the
// explicit FunctionInvocations and for saved Invocations alike, however many Units are selected.
import type { Readable } from "node:stream";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import type * as ValidateArgumentsModule from "../../src/engine/arguments/validate-arguments.ts";
import { FunctionRegistry } from "../../src/engine/index.ts";
import { invokeFunctions, invokeRequest } from "../../src/invoke/index.ts";
import type { Database } from "../../src/store/database.ts";
import { createInvocation } from "../../src/store/invocations.ts";
import { createSpace } from "../../src/store/spaces.ts";
import { createUnit } from "../../src/store/units.ts";
import { createTestOrganization, testDatabases } from "../support/databases.ts";

const validations = vi.hoisted(() => ({ functions: [] as string[] }));

vi.mock("../../src/engine/arguments/validate-arguments.ts", async (importOriginal) => {
  const original = await importOriginal<typeof ValidateArgumentsModule>();
  return {
    ...original,
    validateArguments: (...args: Parameters<typeof original.validateArguments>) => {
      validations.functions.push(args[0].signature.FunctionName);
      return original.validateArguments(...args);
    },
  };
});

const functions = FunctionRegistry.from(standardFunctions);
const writer = { userId: null, userAgent: "validate-once.test" };
const UNITS = 5;

async function drain(body: Readable): Promise<{ Success: boolean }[]> {
  let text = "";
  for await (const chunk of body) text += String(chunk);
  return JSON.parse(text) as { Success: boolean }[];
}

describe.each(testDatabases())("argument validation per invocation on $name", (target) => {
  let database: Database;
  let organizationId: string;
  let invocationId: string;

  beforeAll(async () => {
    database = await target.open();
    const { db } = database;
    organizationId = (await createTestOrganization(db, "validate-once")).organizationId;
    const common = { displayName: "", labels: {}, annotations: {}, deleteGates: {} };
    const space = await createSpace(db, organizationId, { slug: "apps", ...common });
    for (let i = 0; i < UNITS; i++) {
      const data = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  replicas: 1\n`;
      const attributes = { slug: `app-${i}`, ...common, destroyGates: {}, lastChangeDescription: "" };
      await createUnit(
        db,
        organizationId,
        space.space_id,
        { attributes, toolchainType: "Kubernetes/YAML", data },
        writer,
      );
    }
    const saved = await createInvocation(db, organizationId, space.space_id, {
      slug: "label-team",
      ...common,
      functionInvocations: [
        { FunctionName: "set-label", Arguments: [{ Value: "team" }, { Value: "platform" }] },
      ],
      toolchainType: "Kubernetes/YAML",
    });
    invocationId = saved.invocation_id;
  });

  it("validates the explicit and the saved calls once each, not once per Unit", async () => {
    validations.functions.length = 0;
    const request = invokeRequest({
      organizationId,
      dryRun: true,
      invocations: [{ FunctionName: "set-replicas", Arguments: [{ Value: "3" }] }],
      invocationIds: [invocationId],
    });
    const response = await invokeFunctions({ db: database.db, functions }, request, writer);
    const elements = await drain(response.body);
    expect(elements).toHaveLength(UNITS);
    expect(elements.every((e) => e.Success)).toBe(true);
    expect(validations.functions.sort()).toEqual(["set-label", "set-replicas"]);
  });
});

// The Mutations the engine records for a call (the Mutation rows of a write, the response's
// Mutations) carry each changed node's own YAML text as Value, its comments included, as ConfigHub's
// do (spec §4.1; issue 14 §3): so replaying a recorded Mutation with patch-mutations onto another
// Unit brings the comment along, as compute-mutations' own Values do.
import { describe, expect, it } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import { FunctionRegistry, execute, type FunctionInvocation } from "../../src/engine/index.ts";

const registry = FunctionRegistry.from(standardFunctions);

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2 # two while we measure
`;

const call = (name: string, ...values: string[]): FunctionInvocation => ({
  FunctionName: name,
  Arguments: values.map((Value) => ({ Value })),
});

async function run(configData: string, invocations: FunctionInvocation[]) {
  const result = await execute({
    registry,
    configData,
    invocations,
    options: { castStringArgsToScalars: true },
  });
  expect(result.errorMessages).toEqual([]);
  return result;
}

describe("Values of the Mutations the engine records", () => {
  it("keep the line comment of a changed scalar", async () => {
    const result = await run(DEPLOYMENT, [call("set-replicas", "5")]);
    expect(result.configData).toBe(DEPLOYMENT.replace("replicas: 2", "replicas: 5"));
    expect(result.mutations[0]!.PathMutationMap).toEqual({
      "spec.replicas": {
        MutationType: "Update",
        Index: 0,
        Predicate: true,
        Value: "5 # two while we measure\n",
      },
    });
  });

  it("keep comments when a later change refreshes an earlier one's Value", async () => {
    const result = await run(DEPLOYMENT, [
      call("set-label", "app", "web"),
      call("set-path-comment", "apps/v1/Deployment", "metadata.labels.app", "owned by the web team"),
      call("set-label", "tier", "backend"),
    ]);
    expect(result.mutations[0]!.PathMutationMap["metadata.labels"]).toEqual({
      MutationType: "Add",
      Index: 2,
      Predicate: true,
      Value: "app: web # owned by the web team\ntier: backend\n",
    });
  });

  it("bring the comment along when replayed onto another Unit with patch-mutations", async () => {
    const recorded = (await run(DEPLOYMENT, [call("set-replicas", "5")])).mutations;
    const target = DEPLOYMENT.replace("  replicas: 2 # two while we measure\n", "  replicas: 1\n");
    const patched = await run(target, [call("patch-mutations", "[]", JSON.stringify(recorded))]);
    expect(patched.configData).toBe(target.replace("replicas: 1", "replicas: 5 # two while we measure"));
  });

  it("render comment-free nodes exactly as before", async () => {
    const result = await run(DEPLOYMENT.replace(" # two while we measure", ""), [call("set-replicas", "5")]);
    expect(result.mutations[0]!.PathMutationMap["spec.replicas"]!.Value).toBe("5\n");
  });
});

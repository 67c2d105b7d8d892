// ExecuteRequest.documents: a caller that has parsed the Unit's data already (the invoke pipeline's
// where_data check) hands the documents over and the engine runs on them; documents that are not
// exactly this run's data (other text, other toolchain) are ignored, so they can never change a result.
import { describe, expect, it } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import { parseConfig } from "../../src/config/index.ts";
import { execute, FunctionRegistry } from "../../src/engine/index.ts";

const registry = FunctionRegistry.from(standardFunctions);
const DATA = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1 # keep\n";
const invocations = [{ FunctionName: "set-replicas", Arguments: [{ Value: 4 }] }];

describe("execute with parsed documents", () => {
  it("runs on the documents given for its data, with the result of parsing it itself", async () => {
    const documents = parseConfig(DATA, { toolchain: "Kubernetes/YAML" });
    const reused = await execute({ registry, configData: DATA, documents, invocations });
    const own = await execute({ registry, configData: DATA, invocations });
    expect(reused.configData).toBe(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 4 # keep\n",
    );
    expect(reused).toEqual(own);
    // The engine edited the given documents in place rather than a copy of its own.
    expect(documents.toString()).toBe(reused.configData);
  });

  it("ignores documents of other data", async () => {
    const other = parseConfig(DATA.replace("web", "api"), { toolchain: "Kubernetes/YAML" });
    const result = await execute({ registry, configData: DATA, documents: other, invocations });
    expect(result.configData).toBe(DATA.replace("replicas: 1", "replicas: 4"));
    expect(other.toString()).toBe(DATA.replace("web", "api"));
  });
});

import { describe, expect, it } from "vitest";
import { YQ_TIME_LIMIT_MS, yq } from "../../functions/generic/yq.ts";
import { FunctionRegistry, execute } from "../../src/engine/index.ts";
import type { ExecutionResult, YAMLPayload } from "../../src/engine/index.ts";
import { conformanceTestData } from "../support/function-runs.ts";

const registry = FunctionRegistry.from([yq]);
const DEPLOYMENT = conformanceTestData("deployment.yaml");
const ALL_IN_ONE = conformanceTestData("all-in-one.yaml");

async function run(configData: string, expression: string): Promise<ExecutionResult> {
  const result = await execute({
    registry,
    configData,
    invocations: [{ FunctionName: "yq", Arguments: [{ Value: expression }] }],
  });
  // yq is read-only: the data never changes.
  expect(result.configData).toBe(configData);
  expect(result.mutators).toEqual([]);
  return result;
}

async function payload(configData: string, expression: string): Promise<string> {
  const result = await run(configData, expression);
  expect(result.errorMessages).toEqual([]);
  expect(result.outputType).toBe("YAML");
  return (result.output as YAMLPayload).Payload;
}

describe("yq", () => {
  it("prints a scalar as YAML (golden yq-relicas)", async () => {
    expect(await payload(DEPLOYMENT, ".spec.replicas")).toBe("3\n");
  });

  it("prints each result of a document on its own, maps and lists as block YAML", async () => {
    expect(await payload(DEPLOYMENT, ".spec.template.spec.containers[].image")).toBe(
      "nginx:latest\notel/opentelemetry-collector:latest-amd64\n",
    );
    expect(await payload(DEPLOYMENT, ".spec.template.spec.containers[1]")).toBe(
      "image: otel/opentelemetry-collector:latest-amd64\nname: otel-sidecar\nports:\n  - containerPort: 4318\n",
    );
  });

  it("applies the expression to every document and separates their results with ---", async () => {
    expect(await payload(ALL_IN_ONE, ".kind")).toBe(
      "Service\n---\nDeployment\n---\nConfigMap\n---\nServiceAccount\n---\nNamespace\n",
    );
  });

  it("prints nothing for documents without results, and null for missing paths", async () => {
    expect(await payload(ALL_IN_ONE, 'select(.kind == "Deployment") | .metadata.name')).toBe("mydep\n");
    expect(await payload(DEPLOYMENT, ".spec.nothing")).toBe("null\n");
    expect(await payload(ALL_IN_ONE, "empty")).toBe("");
  });

  it("quotes strings that would read as another type", async () => {
    expect(await payload(DEPLOYMENT, ".spec.replicas | tostring")).toBe('"3"\n');
  });

  it("reports a syntax error with line and column, and leaves the data alone", async () => {
    const result = await run(DEPLOYMENT, ".spec.replicas |");
    expect(result.success).toBe(false);
    expect(result.output).toBeNull();
    expect(result.errorMessages).toEqual([
      "invalid yq expression .spec.replicas |: syntax error, unexpected end of file at line 1, column 16",
    ]);
  });

  it("reports an unknown function as an invalid expression", async () => {
    const result = await run(DEPLOYMENT, "document_index");
    expect(result.errorMessages).toEqual([
      "invalid yq expression document_index: document_index/0 is not defined at line 1, column 1",
    ]);
  });

  it("reports a runtime error naming the resource", async () => {
    const result = await run(ALL_IN_ONE, ".data.MYVAR | ascii_downcase");
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual([
      "yq expression .data.MYVAR | ascii_downcase failed on resource confighubplaceholder/myservice: explode input must be a string",
    ]);
  });

  it("stops an expression that does not terminate, then works again", async () => {
    const started = performance.now();
    const result = await run(DEPLOYMENT, "until(false; .)");
    // Explicit safety bound: the time limit plus the cost of stopping the worker.
    expect(performance.now() - started).toBeLessThan(YQ_TIME_LIMIT_MS + 3000);
    expect(result.success).toBe(false);
    expect(result.errorMessages).toEqual([
      `yq expression until(false; .) was stopped: the jq program did not finish within ${YQ_TIME_LIMIT_MS} ms`,
    ]);
    expect(await payload(DEPLOYMENT, ".metadata.name")).toBe("mydep\n");
  }, 20_000);

  it("cannot read the server's environment", async () => {
    process.env.CONFN_YQ_TEST_SECRET = "s3cret";
    try {
      expect(await payload(DEPLOYMENT, "env.CONFN_YQ_TEST_SECRET")).toBe("null\n");
      expect(await payload(DEPLOYMENT, '$ENV | has("CONFN_YQ_TEST_SECRET")')).toBe("false\n");
    } finally {
      delete process.env.CONFN_YQ_TEST_SECRET;
    }
  });

  it("answers several queries in flight in order", async () => {
    const results = await Promise.all(
      [".metadata.name", ".kind", ".spec.replicas"].map((e) => payload(DEPLOYMENT, e)),
    );
    expect(results).toEqual(["mydep\n", "Deployment\n", "3\n"]);
  });
});

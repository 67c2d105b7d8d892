// `npm run bench -- validate`: schema validation of a 1,000-resource Unit through the executor.
// Target (issue "Function library II"): 1,000 resources validated in under a second. The baseline,
// measured in the same run, is the same Unit through a validating function that checks nothing, so
// the ratio isolates what schema validation itself costs on top of parsing and the executor.
import { defineFunction } from "../src/engine/function-definition.ts";
import { FunctionRegistry, execute } from "../src/engine/index.ts";
import { validate } from "../functions/kubernetes/validate.ts";

const RESOURCES = 1000;
const ROUNDS = 5;
const TARGET_MS = 1000;

const acceptAll = defineFunction({
  toolchains: ["Kubernetes/YAML"],
  signature: {
    FunctionName: "accept-all",
    Description: "Baseline: a validating function that reads nothing and passes",
    OutputInfo: { ResultName: "passed", Description: "Always true", OutputType: "ValidationResult" },
    Validating: true,
  },
  invoke: () => ({ output: { Passed: true, Index: 0 } }),
});

const registry = FunctionRegistry.from([validate, acceptAll]);

/** A realistic mix: Deployments, Services, ConfigMaps and ServiceAccounts, in that rotation. */
function unit(count: number): string {
  const documents: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `app-${i}`;
    switch (i % 4) {
      case 0:
        documents.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: prod
  labels:
    app: ${name}
spec:
  replicas: 3
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: main
        image: ghcr.io/example/${name}:1.2.${i}
        ports:
        - containerPort: 8080
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            cpu: 500m
            memory: 256Mi
        env:
        - name: MODE
          value: fast
      - name: sidecar
        image: otel/opentelemetry-collector:latest
`);
        break;
      case 1:
        documents.push(`apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: prod
spec:
  type: ClusterIP
  selector:
    app: ${name}
  ports:
  - protocol: TCP
    port: 80
    targetPort: 8080
`);
        break;
      case 2:
        documents.push(`apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: prod
data:
  MODE: fast
  LEVEL: info
`);
        break;
      default:
        documents.push(`apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: prod
`);
    }
  }
  return documents.join("---\n");
}

async function timeRun(configData: string, functionName: string): Promise<number> {
  const started = performance.now();
  const result = await execute({
    registry,
    configData,
    invocations: [{ FunctionName: functionName, Arguments: [] }],
    options: { combineValidationResults: true },
  });
  const elapsed = performance.now() - started;
  const output = result.output as { Passed?: boolean } | null;
  if (!result.success || output?.Passed !== true) {
    throw new Error(
      `${functionName} did not pass: ${JSON.stringify({ errors: result.errorMessages, output })}`,
    );
  }
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function run(): Promise<void> {
  const configData = unit(RESOURCES);
  // Warm-up: loads the schema modules once, as a long-running server would have.
  await timeRun(configData, "validate");
  await timeRun(configData, "accept-all");

  const baseline: number[] = [];
  const validated: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    baseline.push(await timeRun(configData, "accept-all"));
    validated.push(await timeRun(configData, "validate"));
  }
  const baselineMs = median(baseline);
  const validateMs = median(validated);
  const perSecond = (ms: number): string => Math.round((RESOURCES / ms) * 1000).toLocaleString("en-US");
  console.log(`validate: ${RESOURCES} resources, median of ${ROUNDS} runs`);
  console.log(
    `  baseline (parse + executor, no checks): ${baselineMs.toFixed(1)} ms (${perSecond(baselineMs)} resources/s)`,
  );
  console.log(
    `  validate (strict schema validation):    ${validateMs.toFixed(1)} ms (${perSecond(validateMs)} resources/s)`,
  );
  console.log(`  ratio validate / baseline: ${(validateMs / baselineMs).toFixed(2)}x`);
  console.log(
    `  target: ${RESOURCES} resources in under ${TARGET_MS} ms -> ${validateMs < TARGET_MS ? "met" : "NOT met"}`,
  );
}

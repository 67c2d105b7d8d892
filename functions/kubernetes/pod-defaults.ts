// set-pod-defaults (spec §5.2): hardening and operability defaults for every workload's pod spec
// (W: `spec.template.spec`, CronJob's `spec.jobTemplate.spec.template.spec`, Pod's `spec`).
// - always: terminationGracePeriodSeconds 60 when absent;
// - pod-security: Pod Security Admission labels on Namespaces (enforce baseline, warn restricted);
// - automount-service-account-token: automountServiceAccountToken false;
// - security-context: seccomp RuntimeDefault for the pod; for every container (init and ephemeral
//   too) read-only root, non-root, no privilege escalation, not privileged, capabilities dropped and
//   imagePullPolicy Always unless those two are set;
// - resources: requests of at least 128m cpu and 128Mi memory for every container (existing limits
//   are kept; ConfigHub's implementation removed them as a side effect);
// - probes: for main containers without a readiness probe, a readiness probe copied from the
//   liveness or startup probe, or else startup/liveness/readiness HTTP probes on the first port.
import { describeResource, formatKey, formatSegments } from "../../src/config/index.ts";
import type { ConfigDocument, ResolvedPath } from "../../src/config/index.ts";
import { defineFunction, type FunctionDefinition } from "../../src/engine/index.ts";
import { parseQuantity } from "../../src/filter/in-memory.ts";
import { setResourceQuantities, type ResourceQuantities } from "./container-resources.ts";
import { PLACEHOLDER_STRING } from "../generic/placeholders/placeholder-values.ts";

type Segments = readonly (string | number)[];

/** Where each workload type keeps its pod spec. */
const POD_SPEC_PATHS: Readonly<Record<string, Segments>> = {
  "apps/v1/Deployment": ["spec", "template", "spec"],
  "apps/v1/ReplicaSet": ["spec", "template", "spec"],
  "apps/v1/DaemonSet": ["spec", "template", "spec"],
  "apps/v1/StatefulSet": ["spec", "template", "spec"],
  "batch/v1/Job": ["spec", "template", "spec"],
  "batch/v1/CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
  "v1/Pod": ["spec"],
};

const CONTAINER_LISTS = ["containers", "initContainers", "ephemeralContainers"] as const;

const POD_SECURITY_LABELS: readonly [string, string][] = [
  ["pod-security.kubernetes.io/enforce", "baseline"],
  ["pod-security.kubernetes.io/enforce-version", "latest"],
  ["pod-security.kubernetes.io/warn", "restricted"],
  ["pod-security.kubernetes.io/warn-version", "latest"],
];

const MINIMUM_REQUESTS: ResourceQuantities = {
  cpu: { text: "128m", quantity: parseQuantity("128m")! },
  memory: { text: "128Mi", quantity: parseQuantity("128Mi")! },
};

const DEFAULT_PROBE_PORT = 8080;

function option(name: string, description: string) {
  return {
    ParameterName: name,
    Description: description,
    Required: false,
    DataType: "bool" as const,
    Example: "true",
  };
}

export const setPodDefaults = defineFunction({
  toolchains: ["Kubernetes/YAML"],
  signature: {
    FunctionName: "set-pod-defaults",
    Description: "Set default pod settings",
    Parameters: [
      option("pod-security", "Enable pod security labels on namespaces (default: false)"),
      option("automount-service-account-token", "Set automountServiceAccountToken to false (default: false)"),
      option("security-context", "Set security context for pods and containers (default: false)"),
      option("resources", "Set minimum resource requests for containers (default: false)"),
      option("probes", "Add liveness, readiness, and startup probes to containers (default: false)"),
    ],
    Mutating: true,
    AffectedResourceTypes: Object.keys(POD_SPEC_PATHS).sort(),
  },
  invoke({ data, args }) {
    const options = {
      podSecurity: args.optionalBool("pod-security", false),
      automount: args.optionalBool("automount-service-account-token", false),
      securityContext: args.optionalBool("security-context", false),
      resources: args.optionalBool("resources", false),
      probes: args.optionalBool("probes", false),
    };
    for (const document of data.documents) {
      const resource = document.identity();
      if (resource.type === "v1/Namespace") {
        if (options.podSecurity) {
          for (const [key, value] of POD_SECURITY_LABELS) {
            document.set(`metadata.labels.${formatKey(key)}`, value, { upsert: true });
          }
        }
        continue;
      }
      const podSpec = POD_SPEC_PATHS[resource.type];
      if (!podSpec || !isMap(valueAt(document.toJS(), podSpec))) continue;
      const pod = new PodSpec(document, podSpec, `${describeResource(resource)}`);
      if (options.automount) pod.set(["automountServiceAccountToken"], false);
      if (!pod.has(["terminationGracePeriodSeconds"])) pod.set(["terminationGracePeriodSeconds"], 60);
      if (options.securityContext) pod.secure();
      if (options.resources) pod.requestMinimums();
      if (options.probes) pod.addProbes();
    }
  },
});

export const podDefaultFunctions: readonly FunctionDefinition[] = [setPodDefaults];

/** Edits of one pod spec, addressed by segments relative to it. */
class PodSpec {
  constructor(
    private readonly document: ConfigDocument,
    private readonly root: Segments,
    private readonly resource: string,
  ) {}

  has(relative: Segments): boolean {
    return valueAt(this.document.toJS(), [...this.root, ...relative]) !== undefined;
  }

  get(relative: Segments): unknown {
    return valueAt(this.document.toJS(), [...this.root, ...relative]);
  }

  set(relative: Segments, value: string | number | boolean): void {
    this.document.set(resolved([...this.root, ...relative]), value, { upsert: true });
  }

  setValue(relative: Segments, value: unknown): void {
    this.document.setValue(resolved([...this.root, ...relative]), value);
  }

  /** Indices of the containers of one list (none when the list is absent or not a list). */
  containers(list: (typeof CONTAINER_LISTS)[number]): number[] {
    const containers = this.get([list]);
    return Array.isArray(containers) ? containers.flatMap((c, i) => (isMap(c) ? [i] : [])) : [];
  }

  secure(): void {
    this.set(["securityContext", "seccompProfile", "type"], "RuntimeDefault");
    for (const list of CONTAINER_LISTS) {
      for (const i of this.containers(list)) {
        const context = [list, i, "securityContext"];
        this.set([...context, "readOnlyRootFilesystem"], true);
        this.set([...context, "runAsNonRoot"], true);
        this.set([...context, "allowPrivilegeEscalation"], false);
        this.set([...context, "privileged"], false);
        if (!this.has([...context, "capabilities", "drop"]))
          this.setValue([...context, "capabilities", "drop"], ["ALL"]);
        if (!this.has([list, i, "imagePullPolicy"])) this.set([list, i, "imagePullPolicy"], "Always");
      }
    }
  }

  requestMinimums(): void {
    for (const list of CONTAINER_LISTS) {
      for (const i of this.containers(list)) {
        // A new resources map starts in flow style, as ConfigHub writes it: `{requests: {...}}`.
        if (!this.has([list, i, "resources"])) this.setValue([list, i, "resources"], {});
        const resources = [...this.root, list, i, "resources"];
        setResourceQuantities(
          this.document,
          resources,
          "requests",
          MINIMUM_REQUESTS,
          "floor",
          `${formatSegments(resources)} of ${this.resource}`,
        );
      }
    }
  }

  addProbes(): void {
    // Only main containers serve traffic: init and ephemeral containers get no probes.
    for (const i of this.containers("containers")) {
      const container = this.get(["containers", i]) as Record<string, unknown>;
      if (container.readinessProbe !== undefined) continue;
      const existing = container.livenessProbe ?? container.startupProbe;
      if (existing !== undefined) {
        // Ready sooner and checked as often as a readiness probe should be.
        const readiness = { ...(isMap(existing) ? existing : {}), initialDelaySeconds: 5, periodSeconds: 10 };
        this.setValue(["containers", i, "readinessProbe"], readiness);
        continue;
      }
      const httpGet = { path: PLACEHOLDER_STRING, port: probePort(container) };
      this.setValue(["containers", i, "startupProbe"], probe(httpGet, 10, 10, 30));
      this.setValue(["containers", i, "livenessProbe"], probe(httpGet, 30, 10, 3));
      this.setValue(["containers", i, "readinessProbe"], probe(httpGet, 5, 10, 3));
    }
  }
}

function probe(
  httpGet: object,
  initialDelaySeconds: number,
  periodSeconds: number,
  failureThreshold: number,
): object {
  return {
    httpGet,
    initialDelaySeconds,
    periodSeconds,
    timeoutSeconds: 1,
    failureThreshold,
    successThreshold: 1,
  };
}

/** The first port's containerPort when it is a number, else 8080. */
function probePort(container: Record<string, unknown>): number {
  const ports = container.ports;
  const first: unknown = Array.isArray(ports) ? ports[0] : undefined;
  const port = isMap(first) ? first.containerPort : undefined;
  return typeof port === "number" && Number.isInteger(port) ? port : DEFAULT_PROBE_PORT;
}

function resolved(segments: Segments): ResolvedPath {
  return { path: formatSegments(segments), segments, bindings: [] };
}

function valueAt(root: unknown, segments: Segments): unknown {
  let current = root;
  for (const segment of segments) {
    if (Array.isArray(current) && typeof segment === "number") current = current[segment];
    else if (isMap(current) && typeof segment === "string" && Object.hasOwn(current, segment))
      current = current[segment];
    else return undefined;
  }
  return current;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

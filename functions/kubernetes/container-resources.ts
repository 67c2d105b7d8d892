// set-container-resources (spec §5.2): requests and limits of the named container (`*`: every
// container, init and ephemeral ones included) in every workload, where the container already has a
// `resources` map (the path registry's `container-resources` paths).
// - operation `all` sets the requests; `cap` keeps a current request that is already smaller, `floor`
//   one that is already larger (compared as Kubernetes quantities, so `1` > `500m`).
// - limits are limit-factor × request, written in Kubernetes' canonical form (500m × 2 = "1",
//   256Mi × 2 = 512Mi), with the same cap/floor rule; a factor of 0 removes the limits.
// Quantities are exact (src/filter/quantity.ts); anything that is not a quantity is an error naming it.
import { describeResource, formatSegments } from "../../src/config/index.ts";
import type { ConfigDocument } from "../../src/config/index.ts";
import { FunctionError, defineFunction, type FunctionDefinition } from "../../src/engine/index.ts";
import {
  compareQuantities,
  formatQuantity,
  multiplyQuantity,
  parseQuantity,
  type Quantity,
} from "../../src/filter/in-memory.ts";
import {
  fillPathTemplate,
  kubernetesPathRegistry,
  registeredPaths,
  registeredResourceTypes,
} from "../path-visitor/index.ts";
import { parameterPatterns } from "./parameter-patterns.ts";

const ATTRIBUTE = "container-resources";

export type Operation = "all" | "cap" | "floor";
type ResourceName = "cpu" | "memory";

/** The quantities to apply to requests or limits; absent ones are left alone. */
export type ResourceQuantities = Partial<
  Record<ResourceName, { readonly text: string; readonly quantity: Quantity }>
>;

export const setContainerResources = defineFunction({
  toolchains: ["Kubernetes/YAML"],
  signature: {
    FunctionName: "set-container-resources",
    Description: "Set resource requests and limits for a container",
    Parameters: [
      {
        ParameterName: "container-name",
        Description: "Name of the container whose resources to set",
        Required: true,
        DataType: "string",
        Example: "main",
        Regexp: parameterPatterns.containerName,
      },
      {
        ParameterName: "operation",
        Description:
          'If "all" then requests and limits will be set unconditionally; if "cap", then the values will be set if they exceed the values; if "floor", then the values will be set if they are less than the values',
        Required: true,
        DataType: "enum",
        Example: "all",
        EnumValues: ["all", "cap", "floor"],
      },
      {
        ParameterName: "cpu",
        Description:
          "Request cpu represented as a Kubernetes resource quantity, such as 500m; ignored if empty",
        Required: true,
        DataType: "string",
        Example: "500m",
      },
      {
        ParameterName: "memory",
        Description:
          "Request memory represented as a Kubernetes resource quantity, such as 256Mi; ignored if empty",
        Required: true,
        DataType: "string",
        Example: "256Mi",
      },
      {
        ParameterName: "limit-factor",
        Description:
          "Integer factor to multiply requests to compute limits. A factor of 0 implies no limits.",
        Required: true,
        DataType: "int",
        Example: "2",
        Min: 0,
        Max: 10,
      },
    ],
    Mutating: true,
    AttributeName: ATTRIBUTE,
    AffectedResourceTypes: registeredResourceTypes(kubernetesPathRegistry, ATTRIBUTE),
  },
  invoke({ data, args }) {
    const containerName = args.string("container-name");
    const operation = args.string("operation") as Operation;
    const factor = args.int("limit-factor");
    const requests: ResourceQuantities = {};
    const cpu = args.string("cpu");
    const memory = args.string("memory");
    if (cpu !== "") requests.cpu = { text: cpu, quantity: argumentQuantity("cpu", cpu, "500m, 0.5 or 2") };
    if (memory !== "")
      requests.memory = { text: memory, quantity: argumentQuantity("memory", memory, "256Mi or 1Gi") };
    if (cpu === "" && memory === "") throw new FunctionError("must specify at least one of cpu and memory");
    const limits: ResourceQuantities = {};
    for (const name of ["cpu", "memory"] as const) {
      const request = requests[name];
      if (request && factor !== 0) {
        const quantity = multiplyQuantity(request.quantity, factor);
        limits[name] = { text: formatQuantity(quantity), quantity };
      }
    }
    for (const document of data.documents) {
      const resource = document.identity();
      for (const entry of registeredPaths(kubernetesPathRegistry, ATTRIBUTE, resource.type)) {
        const path = fillPathTemplate(entry.Path, [containerName]);
        for (const resources of document.resolve(path)) {
          const where = `${formatSegments(resources.segments)} of ${describeResource(resource)}`;
          setResourceQuantities(document, resources.segments, "requests", requests, operation, where);
          if (factor === 0) removeLimits(document, resources.segments);
          else setResourceQuantities(document, resources.segments, "limits", limits, operation, where);
        }
      }
    }
  },
});

export const containerResourceFunctions: readonly FunctionDefinition[] = [setContainerResources];

function argumentQuantity(name: ResourceName, text: string, examples: string): Quantity {
  const quantity = parseQuantity(text);
  if (!quantity)
    throw new FunctionError(`invalid ${name} ${text}: not a Kubernetes quantity (such as ${examples})`);
  if (quantity.numerator < 0n)
    throw new FunctionError(`invalid ${name} ${text}: a request cannot be negative`);
  return quantity;
}

/**
 * Writes `quantities` into `section` of the `resources` map at `resources` (creating what is missing),
 * honouring cap/floor; `where` names the map in errors.
 */
export function setResourceQuantities(
  document: ConfigDocument,
  resources: readonly (string | number)[],
  section: "requests" | "limits",
  quantities: ResourceQuantities,
  operation: Operation,
  where: string,
): void {
  for (const name of ["cpu", "memory"] as const) {
    const wanted = quantities[name];
    if (!wanted) continue;
    const segments = [...resources, section, name];
    const current = document.get({ path: formatSegments(segments), segments, bindings: [] });
    if (
      current !== undefined &&
      operation !== "all" &&
      keepCurrent(current.value, wanted.quantity, operation, `${section}.${name} in ${where}`)
    ) {
      continue;
    }
    setString(document, segments, wanted.text);
  }
}

/** cap keeps a smaller current value, floor a larger one. */
function keepCurrent(value: unknown, wanted: Quantity, operation: "cap" | "floor", where: string): boolean {
  const text = typeof value === "string" || typeof value === "number" ? String(value) : undefined;
  const current = text === undefined ? undefined : parseQuantity(text);
  if (!current) {
    throw new FunctionError(
      `cannot ${operation} ${where}: the current value ${JSON.stringify(value)} is not a Kubernetes quantity`,
    );
  }
  const order = compareQuantities(current, wanted);
  return operation === "cap" ? order < 0 : order > 0;
}

function setString(document: ConfigDocument, segments: readonly (string | number)[], text: string): void {
  document.set({ path: formatSegments(segments), segments, bindings: [] }, text, { upsert: true });
}

function removeLimits(document: ConfigDocument, resources: readonly (string | number)[]): void {
  const segments = [...resources, "limits"];
  document.delete({ path: formatSegments(segments), segments, bindings: [] });
}

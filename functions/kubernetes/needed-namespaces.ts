// get-needed-namespaces (spec §5.2): the namespace references (metadata.namespace of namespaced
// resources, RoleBinding subjects, CRD webhook and APIService services, Flux targets) that still hold
// the placeholder, each with the setter that fills them.
import type { FunctionDefinition } from "../../src/engine/index.ts";
import { defineFunction } from "../../src/engine/index.ts";
import { holdsPlaceholder } from "../generic/placeholders/placeholder-values.ts";
import { collectAttributes, kubernetesPathRegistry, registryTargets } from "../path-visitor/index.ts";

const NAMESPACE_REFERENCES = "namespace-name-reference";

export const getNeededNamespaces = defineFunction({
  toolchains: ["Kubernetes/YAML"],
  signature: {
    FunctionName: "get-needed-namespaces",
    Description: "Get needed namespace attributes in each resource",
    OutputInfo: {
      ResultName: "namespace-name",
      Description: "Namespace attributes in the resources that need to be set",
      OutputType: "AttributeValueList",
    },
    FunctionType: "PathVisitor",
    AttributeName: NAMESPACE_REFERENCES,
    AffectedResourceTypes: ["*"],
  },
  invoke({ data }) {
    const needed = collectAttributes(data, registryTargets(kubernetesPathRegistry, NAMESPACE_REFERENCES), {
      expected: "string",
      filter: (reading) => holdsPlaceholder(reading.value as string),
    });
    return { output: needed };
  },
});

export const neededNamespaceFunctions: readonly FunctionDefinition[] = [getNeededNamespaces];

// Metadata getters and setters (spec §5.3): namespaces (with the references that must follow them),
// annotations and labels, over the Kubernetes path registry.
import type { FunctionDefinition } from "../../src/engine/index.ts";
import {
  kubernetesPathRegistry as registry,
  registryPair,
  type RegisteredPath,
} from "../path-visitor/index.ts";

const toolchains = ["Kubernetes/YAML"] as const;

// set-namespace gives a namespaced resource without a namespace one (the `*` entry excludes
// cluster-scoped types, and a Namespace's own name is never touched). References (RoleBinding
// subjects, CRD conversion webhooks, APIService, Flux) are updated only where they exist: creating
// them would invent structure (e.g. a namespace on a User subject).
const createsNamespace = (entry: RegisteredPath) => entry.Path === "metadata.namespace";

export const namespacePair = registryPair({
  registry,
  toolchains,
  name: "namespace",
  attributeName: "namespace-name-reference",
  description: " the namespace attributes in resource",
  pathParameters: [],
  value: {
    ParameterName: "namespace-name",
    Description: "Value of namespace fields in the resources",
    DataType: "string",
    Example: "production",
  },
  upsert: createsNamespace,
});

// Keys are single path segments whatever they contain (`app.kubernetes.io/name`, `example.com/x`);
// the setters add a missing key (and a missing `annotations`/`labels` map).
export const annotationPair = registryPair({
  registry,
  toolchains,
  name: "annotation",
  attributeName: "annotation-value",
  description: " an annotation",
  pathParameters: [
    {
      ParameterName: "annotation-key",
      DescriptionStem: "Key of annotation to",
      Example: "example.com/owner",
    },
  ],
  value: {
    ParameterName: "annotation-value",
    Description: "Value of the specified annotation",
    DataType: "string",
  },
  upsert: true,
});

export const labelPair = registryPair({
  registry,
  toolchains,
  name: "label",
  attributeName: "label-value",
  description: " a label",
  pathParameters: [
    { ParameterName: "label-key", DescriptionStem: "Key of label to", Example: "app.kubernetes.io/name" },
  ],
  value: { ParameterName: "label-value", Description: "Value of the specified label", DataType: "string" },
  upsert: true,
});

export const metadataFunctions: readonly FunctionDefinition[] = [
  ...namespacePair,
  ...annotationPair,
  ...labelPair,
];

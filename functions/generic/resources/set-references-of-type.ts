// set-references-of-type: writes a resource name into every registered reference to resources of
// one type (spec §5.1), e.g. every configMapRef for v1/ConfigMap. Namespaces are referenced through
// the namespace paths that set-namespace writes (metadata.namespace of namespaced resources,
// RoleBinding subjects, CRD webhook and APIService services), which ConfigHub's registry has no
// `resource-name/v1/Namespace` entry for, so it did nothing for them (design §9).
import { defineFunction } from "../../../src/engine/index.ts";
import {
  kubernetesPathRegistry,
  registryTargets,
  updateAttributes,
  type PathTargets,
} from "../../path-visitor/index.ts";
import { byToolchain, GENERIC_TOOLCHAINS } from "../generic-toolchains.ts";

const NAMESPACE_TYPE = "v1/Namespace";
const NAMESPACE_REFERENCES = "namespace-name-reference";

/** The reference paths to resources of `type`. */
function referenceTargets(type: string): PathTargets {
  if (type === NAMESPACE_TYPE) {
    // A namespaced resource without a namespace gets one, like set-namespace; the `*` entry's
    // TypeExceptions keep cluster-scoped resources out.
    return registryTargets(kubernetesPathRegistry, NAMESPACE_REFERENCES, {
      upsert: (entry) => entry.Path === "metadata.namespace",
    });
  }
  return registryTargets(kubernetesPathRegistry, `resource-name/${type}`);
}

export const setReferencesOfType = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: byToolchain((types) => ({
    FunctionName: "set-references-of-type",
    Description: "Sets references targeting the specified type",
    Parameters: [
      {
        ParameterName: "resource-type",
        Description: `Type (${types}) of the config references to set`,
        Required: true,
        DataType: "string",
      },
      {
        ParameterName: "resource-name",
        Description: "Name to set in the resource references",
        Required: true,
        DataType: "string",
      },
    ],
    Mutating: true,
    AffectedResourceTypes: ["*"],
  })),
  invoke({ data, args }) {
    updateAttributes(data, referenceTargets(args.string("resource-type")), args.string("resource-name"));
  },
});

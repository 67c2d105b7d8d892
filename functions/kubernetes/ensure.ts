// ensure-namespaces (spec §5.2) gives each namespaced resource without a namespace the placeholder
// namespace, so a later set-namespace (or a needed-value resolution) fills it in. (ensure-context,
// generic, is in functions/generic/ensure-context.ts.)
import { toolchainIdentity } from "../../src/config/index.ts";
import { FunctionError, defineFunction, type FunctionDefinition } from "../../src/engine/index.ts";
import { PLACEHOLDER_STRING } from "../generic/placeholders/placeholder-values.ts";

export const ensureNamespaces = defineFunction({
  toolchains: ["Kubernetes/YAML"],
  signature: {
    FunctionName: "ensure-namespaces",
    Description:
      "Ensure every namespaced resource has a namespace field by adding one with the placeholder value if it is not present",
    Mutating: true,
    AffectedResourceTypes: ["*"],
  },
  invoke({ data }) {
    const identity = toolchainIdentity(data.toolchain);
    const errors: string[] = [];
    for (const document of data.documents) {
      const resource = document.identity();
      // A Kubernetes name cannot contain "/", and the scoped name would no longer split in two.
      if (resource.nameWithoutScope.includes("/")) {
        errors.push(`improperly formatted resource name ${resource.name} (document ${document.index})`);
        continue;
      }
      // The scoped name is `namespace/name`, or `/name` when there is no namespace.
      const hasNamespace = !resource.name.startsWith("/");
      if (hasNamespace || identity.isClusterScoped(resource.type)) continue;
      document.set("metadata.namespace", PLACEHOLDER_STRING, { upsert: true });
    }
    if (errors.length > 0) throw FunctionError.join(errors);
  },
});

export const ensureFunctions: readonly FunctionDefinition[] = [ensureNamespaces];

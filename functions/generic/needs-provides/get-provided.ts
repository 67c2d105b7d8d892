// get-provided: the registered provided-value attributes (the names of resources other Units can
// refer to), plus one entry per resource of the live state (spec §5.1). ConfigHub's live entries
// always named v1/ConfigMap as their getter's type; they name the resource's own type (design §1:
// QUIRKs are fixed).
import { defineFunction } from "../../../src/engine/index.ts";
import type { AttributeValue } from "../../../src/engine/index.ts";
import {
  attributeValue,
  collectAttributes,
  identifyAll,
  kubernetesPathRegistry,
  registryTargets,
} from "../../path-visitor/index.ts";

export const getProvided = defineFunction({
  toolchains: ["Kubernetes/YAML"],
  signature: {
    FunctionName: "get-provided",
    Description: "Returns a list of Provided attributes",
    OutputInfo: {
      ResultName: "attribute",
      Description: "Provided attributes",
      OutputType: "AttributeValueList",
    },
    AffectedResourceTypes: ["*"],
  },
  invoke({ data, liveState }) {
    const provided: AttributeValue[] = collectAttributes(
      data,
      registryTargets(kubernetesPathRegistry, "provided-value"),
      { expected: "string" },
    );
    if (liveState) {
      for (const identity of identifyAll(liveState)) {
        provided.push(
          attributeValue({
            identity,
            path: "metadata.name",
            inLiveState: true,
            attributeName: "resource-name",
            dataType: "string",
            info: {
              GetterInvocation: {
                FunctionName: "get-resources-of-type",
                Arguments: [{ ParameterName: "resource-type", Value: identity.type }],
              },
            },
            value: identity.nameWithoutScope,
          }),
        );
      }
    }
    return { output: provided };
  },
});

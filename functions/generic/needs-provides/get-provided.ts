// get-provided: the registered provided-value attributes (the names of resources other Units can
// refer to; spec §5.1). ConfigHub adds one entry per resource of the Target's live state; confn has
// no live state yet (Units have no Targets), so there are none.
import { defineFunction } from "../../../src/engine/index.ts";
import type { AttributeValue } from "../../../src/engine/index.ts";
import { collectAttributes, kubernetesPathRegistry, registryTargets } from "../../path-visitor/index.ts";
import { GENERIC_TOOLCHAINS } from "../generic-toolchains.ts";

export const getProvided = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
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
  invoke({ data }) {
    const provided: AttributeValue[] = collectAttributes(
      data,
      registryTargets(kubernetesPathRegistry, "provided-value"),
      { expected: "string" },
    );
    return { output: provided };
  },
});

// get-needed: the registered needed-value attributes that still hold the placeholder, each with the
// setter that fills it (spec §5.1): the values a Unit needs from elsewhere before it can be applied.
import { defineFunction } from "../../../src/engine/index.ts";
import { collectAttributes, kubernetesPathRegistry, registryTargets } from "../../path-visitor/index.ts";
import { holdsPlaceholder } from "../placeholders/placeholder-values.ts";
import { GENERIC_TOOLCHAINS } from "../generic-toolchains.ts";

export const getNeeded = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: {
    FunctionName: "get-needed",
    Description: "Returns a list of needed attributes with setter functions",
    OutputInfo: {
      ResultName: "attribute",
      Description: "Needed attributes",
      OutputType: "AttributeValueList",
    },
    AffectedResourceTypes: ["*"],
  },
  invoke({ data }) {
    const needed = collectAttributes(data, registryTargets(kubernetesPathRegistry, "needed-value"), {
      expected: "string",
      filter: (reading) => holdsPlaceholder(reading.value as string),
    });
    return { output: needed };
  },
});

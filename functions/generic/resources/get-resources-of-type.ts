// get-resources-of-type: the identities of the resources of one type, in document order (spec §5.1;
// ConfigHub's order is unspecified, ours is stable).
import { defineFunction } from "../../../src/engine/index.ts";
import type { ResourceInfo } from "../../../src/engine/index.ts";
import { byToolchain, GENERIC_TOOLCHAINS } from "../generic-toolchains.ts";

export const getResourcesOfType = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: byToolchain((types) => ({
    FunctionName: "get-resources-of-type",
    Description: "Returns a list of resources of the specified type",
    Parameters: [
      {
        ParameterName: "resource-type",
        Description: `Type (${types}) of the resources to return`,
        Required: true,
        DataType: "string",
      },
    ],
    OutputInfo: {
      ResultName: "resource-name",
      Description: "Return the names of resources of the specified type",
      OutputType: "ResourceInfoList",
    },
    AffectedResourceTypes: ["*"],
  })),
  invoke({ data, args }) {
    const type = args.string("resource-type");
    const resources: ResourceInfo[] = [];
    for (const document of data.documents) {
      const identity = document.identity();
      if (identity.type !== type) continue;
      resources.push({
        ResourceName: identity.name,
        ResourceNameWithoutScope: identity.nameWithoutScope,
        ResourceType: identity.type,
        ResourceCategory: identity.category as ResourceInfo["ResourceCategory"],
      });
    }
    return { output: resources };
  },
});

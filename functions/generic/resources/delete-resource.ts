// delete-resource: removes the last document that is the named resource (spec §5.1).
import { defineFunction, FunctionError } from "../../../src/engine/index.ts";
import { identifiedDocuments, lastResourceIndex } from "./resource-lookup.ts";
import { byToolchain, GENERIC_TOOLCHAINS } from "../generic-toolchains.ts";

export const deleteResource = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: byToolchain((types) => ({
    FunctionName: "delete-resource",
    Description: "Remove the specified resource from the configuration data",
    Parameters: [
      {
        ParameterName: "resource-type",
        Description: `Type (${types}) of the resource to delete`,
        Required: true,
        DataType: "string",
      },
      {
        ParameterName: "resource-name",
        Description: "Name of the resource to delete",
        Required: true,
        DataType: "string",
      },
    ],
    Mutating: true,
    // Deleting twice fails the second time: the resource is gone.
    Idempotent: false,
    AffectedResourceTypes: ["*"],
  })),
  invoke({ data, args }) {
    const type = args.string("resource-type");
    const name = args.string("resource-name");
    const index = lastResourceIndex(identifiedDocuments(data, "resource to delete"), type, name);
    if (index < 0) throw new FunctionError(`resource with type ${type} and name ${name} not found`);
    data.remove(index);
  },
});

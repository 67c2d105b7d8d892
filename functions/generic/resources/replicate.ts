// replicate: replaces a resource with `replicas` copies named `<name>0` … `<name>{n-1}`, in its place;
// 0 copies deletes it (spec §5.1). ConfigHub crashes on a negative count; here the parameter's Min
// rejects it (design §9), and Max bounds how many documents one call may create.
import { defaultParseLimits } from "../../../src/config/index.ts";
import { defineFunction, FunctionError } from "../../../src/engine/index.ts";
import { byToolchain, GENERIC_TOOLCHAINS } from "../generic-toolchains.ts";

const MAX_REPLICAS = 1000;

export const replicate = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: byToolchain((types) => ({
    FunctionName: "replicate",
    Description: "Replicate the specified configuration resource/element replicas-1 times",
    Parameters: [
      {
        ParameterName: "resource-type",
        Description: `Type (${types}) of the resource/element to replicate`,
        Required: true,
        DataType: "string",
      },
      {
        ParameterName: "resource-name",
        Description: "Name of the resource/element to replicate",
        Required: true,
        DataType: "string",
      },
      {
        ParameterName: "replicas",
        Description: "Desired number of replicas of the resource/element",
        Required: true,
        DataType: "int",
        Min: 0,
        Max: MAX_REPLICAS,
      },
      {
        ParameterName: "resource-category",
        Description: "Category of the resource/element to replicate",
        Required: false,
        DataType: "string",
      },
    ],
    Mutating: true,
    AffectedResourceTypes: ["*"],
  })),
  invoke({ data, args }) {
    const type = args.string("resource-type");
    // ConfigHub compares the name without scope with the argument as given.
    const name = args.string("resource-name");
    const replicas = args.int("replicas");
    const category = args.optionalString("resource-category", "Resource");

    const index = data.documents.findIndex((document) => {
      const identity = document.identity();
      return identity.category === category && identity.type === type && identity.nameWithoutScope === name;
    });
    if (index < 0) return; // Nothing to replicate, as in ConfigHub.

    if (replicas === 0) {
      data.remove(index);
      return;
    }
    const text = data.documents[index]!.toString();
    const size = Buffer.byteLength(data.toString()) + (replicas - 1) * Buffer.byteLength(text);
    if (size > defaultParseLimits.maxBytes) {
      throw new FunctionError(
        `replicating ${type} ${name} ${replicas} times would make the configuration data ${size} bytes, more than the limit of ${defaultParseLimits.maxBytes}`,
      );
    }
    for (let copy = 1; copy < replicas; copy++) data.insert(index + copy, text);
    for (let copy = 0; copy < replicas; copy++) {
      data.documents[index + copy]!.set("metadata.name", `${name}${copy}`);
    }
  },
});

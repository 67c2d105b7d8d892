// upsert-resource: puts one resource from a ResourceList into the data, replacing the last document
// that is that resource or appending it (spec §5.1).
import { ConfigError, parseConfig } from "../../../src/config/index.ts";
import type { ConfigDocumentSet } from "../../../src/config/index.ts";
import { defineFunction, FunctionError } from "../../../src/engine/index.ts";
import { parseResourceList } from "./resource-list-argument.ts";
import { identifiedDocuments, isResource, lastResourceIndex, scopelessName } from "./resource-lookup.ts";
import { byToolchain, GENERIC_TOOLCHAINS } from "../generic-toolchains.ts";

/**
 * Checks that `body` is one resource document and that it is the resource it is listed as, so a
 * mislabelled list entry cannot slip in a different resource under another name.
 */
function checkBody(data: ConfigDocumentSet, body: string, type: string, name: string): void {
  const fail = (detail: string): never => {
    throw new FunctionError(`failed to parse resource body: ${detail}`);
  };
  try {
    // The body is YAML in every toolchain (get-resources' default body; spec: "parses its body as
    // YAML"): for a non-YAML toolchain, a document of its YAML view.
    const documents = parseConfig(body, { toolchain: data.toolchain, yamlView: true }).documents;
    if (documents.length !== 1) {
      fail(`expected exactly one resource document, found ${documents.length}`);
    }
    const identity = documents[0]!.identity();
    if (!isResource(identity, type, name)) {
      fail(`the body is ${identity.type} ${identity.name}, not ${type} ${name}`);
    }
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

export const upsertResource = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: byToolchain((types) => ({
    FunctionName: "upsert-resource",
    Description:
      "Append the resource if it is not present or replace the existing resource if it is already present in the configuration data",
    Parameters: [
      {
        ParameterName: "resource-list",
        Description: "ResourceList containing the resource to upsert",
        Required: true,
        DataType: "ResourceList",
      },
      {
        ParameterName: "resource-type",
        Description: `Type (${types}) of the resource to upsert`,
        Required: true,
        DataType: "string",
      },
      {
        ParameterName: "resource-name",
        Description: "Name of the resource to upsert",
        Required: true,
        DataType: "string",
      },
    ],
    Mutating: true,
    AffectedResourceTypes: ["*"],
  })),
  invoke({ data, args }) {
    const list = parseResourceList(args.string("resource-list"), "resource-list");
    if (list.length === 0) throw new FunctionError("resource-list cannot be empty");
    const type = args.string("resource-type");
    const name = args.string("resource-name");

    const entry = list.find(
      (resource) =>
        resource.ResourceType === type && scopelessName(resource.ResourceName) === scopelessName(name),
    );
    if (!entry) {
      throw new FunctionError(`resource with type ${type} and name ${name} not found in resource-list`);
    }
    const body = entry.ResourceBody ?? "";
    checkBody(data, body, type, name);

    const index = lastResourceIndex(identifiedDocuments(data, "existing resource"), type, name);
    if (index >= 0) data.replace(index, body);
    else data.append(body);
  },
});

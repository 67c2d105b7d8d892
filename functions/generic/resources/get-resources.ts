// get-resources: every resource's identity, optionally with its body (spec §5.1).
import { defineFunction } from "../../../src/engine/index.ts";
import type { Resource } from "../../../src/engine/index.ts";
import { jsonBody } from "./json-body.ts";
import { GENERIC_TOOLCHAINS } from "../generic-toolchains.ts";

const BODY_FORMATS = ["yaml", "none", "json", "native"] as const;
type BodyFormat = (typeof BODY_FORMATS)[number];

export const getResources = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: {
    FunctionName: "get-resources",
    Description: "Returns a list of resources and their types",
    Parameters: [
      {
        ParameterName: "body",
        Description: "Format for resource body output: yaml (default), none, json, or native",
        Required: false,
        DataType: "enum",
        Example: "yaml",
        EnumValues: [...BODY_FORMATS],
      },
    ],
    OutputInfo: {
      ResultName: "resource",
      Description: "Return the names, types, and bodies of the resources",
      OutputType: "ResourceList",
    },
    AffectedResourceTypes: ["*"],
  },
  invoke({ data, args }) {
    // The enum constraint has already rejected anything else.
    const format = args.optionalString("body", "yaml") as BodyFormat;
    const resources: Resource[] = data.documents.map((document) => {
      const identity = document.identity();
      const resource: Resource = {
        ResourceName: identity.name,
        ResourceNameWithoutScope: identity.nameWithoutScope,
        ResourceType: identity.type,
        ResourceCategory: identity.category as Resource["ResourceCategory"],
      };
      switch (format) {
        case "none":
          break;
        case "json":
          resource.ResourceBody = jsonBody(document.toJS(), identity.name);
          break;
        // A non-YAML toolchain whose whole text is one resource (AppConfig/Properties): its native
        // text. Kubernetes/YAML's native format is YAML. Otherwise the body is the document's own
        // (view) text, comments and formatting included, rather than a re-serialisation (design §3, §9).
        case "native":
          resource.ResourceBody =
            data.isNative && data.documents.length === 1 ? data.toString() : document.toString();
          break;
        case "yaml":
          resource.ResourceBody = document.toString();
          break;
      }
      return resource;
    });
    return { output: resources };
  },
});

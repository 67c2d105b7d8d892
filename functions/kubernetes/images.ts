// set-image-reference-by-uri (spec §5.2): points every container image of one repository at a new
// tag or digest, whatever the container is called: `ghcr.io/acme/api:1.2` and `ghcr.io/acme/api@sha…`
// both become `ghcr.io/acme/api:1.3`; images of other repositories are left alone.
import { imageAccessor } from "../../src/config/index.ts";
import type { FunctionDefinition } from "../../src/engine/index.ts";
import { defineFunction } from "../../src/engine/index.ts";
import {
  kubernetesPathRegistry,
  registeredResourceTypes,
  registryTargets,
  updateAttributes,
} from "../path-visitor/index.ts";
import { parameterPatterns } from "./parameter-patterns.ts";

const CONTAINER_IMAGES = "container-images";
// As in ConfigHub, the reference may be empty: `set-image-reference-by-uri ghcr.io/acme/api ""`
// strips the tag or digest.
const optionalImageReference = parameterPatterns.optionalImageReference;

export const setImageReferenceByUri = defineFunction({
  toolchains: ["Kubernetes/YAML"],
  signature: {
    FunctionName: "set-image-reference-by-uri",
    Description: "Set the reference for a specified image URI",
    Parameters: [
      {
        ParameterName: "repository-uri",
        Description: "Image repository URI whose reference should be set",
        Required: true,
        DataType: "string",
        Example: "quay.io/jetstack/cert-manager-controller",
        Regexp: parameterPatterns.repositoryUri,
      },
      {
        ParameterName: "image-reference",
        Description: "Tag or digest (including separator : or @)",
        Required: true,
        DataType: "string",
        Example: ":v1.17.2",
        Regexp: optionalImageReference,
      },
    ],
    Mutating: true,
    AttributeName: CONTAINER_IMAGES,
    AffectedResourceTypes: registeredResourceTypes(kubernetesPathRegistry, CONTAINER_IMAGES),
  },
  invoke({ data, args }) {
    const uri = args.string("repository-uri");
    const image = uri + args.string("image-reference");
    updateAttributes(data, registryTargets(kubernetesPathRegistry, CONTAINER_IMAGES), (visit) => {
      // Only images that parse and name exactly this repository (an image that is not a string, or
      // does not parse, has no URI to compare).
      const current = visit.node?.value;
      if (typeof current !== "string" || imageAccessor.get(current, "uri") !== uri) return undefined;
      return image;
    });
  },
});

export const imageFunctions: readonly FunctionDefinition[] = [setImageReferenceByUri];

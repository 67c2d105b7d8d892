// Container getters and setters (spec §5.3): names, images (whole, `#uri`, `#reference`), environment
// variables and replicas, over the Kubernetes path registry. Every workload type's pod template is
// covered (containers, initContainers and ephemeralContainers); a container name of `*` means all.
import type { FunctionDefinition } from "../../src/engine/index.ts";
import {
  kubernetesPathRegistry as registry,
  registryGetter,
  registryPair,
  type PathParameter,
} from "../path-visitor/index.ts";
import { parameterPatterns } from "./parameter-patterns.ts";

const toolchains = ["Kubernetes/YAML"] as const;

function containerName(whose: string): PathParameter {
  return {
    ParameterName: "container-name",
    DescriptionStem: `Name of the container whose ${whose} to`,
    Example: "main",
    Regexp: parameterPatterns.containerName,
  };
}

export const getContainerName = registryGetter({
  registry,
  toolchains,
  name: "container-name",
  attributeName: "container-name",
  description: " the container name",
  pathParameters: [],
  value: { ParameterName: "container-name", Description: "Name of the container", DataType: "string" },
});

export const imagePair = registryPair({
  registry,
  toolchains,
  name: "image",
  attributeName: "container-image",
  description: " the image for a container",
  pathParameters: [containerName("image")],
  value: {
    ParameterName: "container-image",
    Description: "Full container image (repository URI and image reference)",
    DataType: "string",
    Example: "ghcr.io/example/app:v1.2.3",
    Regexp: parameterPatterns.image,
  },
});

export const imageUriPair = registryPair({
  registry,
  toolchains,
  name: "image-uri",
  attributeName: "container-repository-uri",
  description: " the image repository URI for a container",
  pathParameters: [containerName("URI")],
  value: {
    ParameterName: "repository-uri",
    Description: "Repository URI (including host and repo)",
    DataType: "string",
    Example: "ghcr.io/example/app",
    Regexp: parameterPatterns.repositoryUri,
  },
});

export const imageReferencePair = registryPair({
  registry,
  toolchains,
  name: "image-reference",
  attributeName: "container-image-reference",
  description: " the image reference for a container",
  pathParameters: [containerName("reference")],
  value: {
    ParameterName: "image-reference",
    Description: "Image tag or digest (including separator : or @)",
    DataType: "string",
    Example: ":v1.2.3",
    Regexp: parameterPatterns.imageReference,
  },
});

// Only existing variables are visited: set-env adds new ones.
export const envVarPair = registryPair({
  registry,
  toolchains,
  name: "env-var",
  attributeName: "env-value",
  description: " an environment variable for a container",
  pathParameters: [
    containerName("env var"),
    {
      ParameterName: "env-var",
      DescriptionStem: "Name of the env var to",
      Example: "DATABASE_URL",
      Regexp: parameterPatterns.envVar,
    },
  ],
  value: {
    ParameterName: "env-value",
    Description: "Env value",
    DataType: "string",
    Example: "postgres://db:5432/main",
  },
});

export const replicasPair = registryPair({
  registry,
  toolchains,
  name: "replicas",
  attributeName: "replicas",
  description: " the replicas for workload controllers",
  pathParameters: [],
  value: {
    ParameterName: "replicas",
    Description: "Number of replicas of workload controllers",
    DataType: "int",
    Example: "3",
    Min: 0,
  },
});

export const containerFunctions: readonly FunctionDefinition[] = [
  getContainerName,
  ...imagePair,
  ...imageUriPair,
  ...imageReferencePair,
  ...envVarPair,
  ...replicasPair,
];

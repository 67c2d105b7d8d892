// Hostname getters and setters (spec §5.3): Ingress rule hosts and the Service external-dns
// annotation, whole (`hostname`) or by part (`#subdomain`, `#domain`). Setters never create a host.
import type { FunctionDefinition } from "../../src/engine/index.ts";
import { kubernetesPathRegistry as registry, registryPair } from "../path-visitor/index.ts";
import { parameterPatterns } from "./parameter-patterns.ts";

const toolchains = ["Kubernetes/YAML"] as const;

export const hostnamePair = registryPair({
  registry,
  toolchains,
  name: "hostname",
  attributeName: "hostname",
  description: " the hostname",
  pathParameters: [],
  value: {
    ParameterName: "hostname",
    Description: "Hostname",
    DataType: "string",
    Example: "myapp.example.com",
    Regexp: parameterPatterns.hostname,
  },
});

export const subdomainPair = registryPair({
  registry,
  toolchains,
  name: "hostname-subdomain",
  attributeName: "subdomain",
  description: " the subdomain",
  pathParameters: [],
  value: {
    ParameterName: "subdomain",
    Description: "Subdomain",
    DataType: "string",
    Example: "myapp",
    Regexp: parameterPatterns.subdomain,
  },
});

export const domainPair = registryPair({
  registry,
  toolchains,
  name: "hostname-domain",
  attributeName: "domain",
  description: " the domain name",
  pathParameters: [],
  value: {
    ParameterName: "domain",
    Description: "Domain name",
    DataType: "string",
    Example: "example.com",
    Regexp: parameterPatterns.domain,
  },
});

export const hostnameFunctions: readonly FunctionDefinition[] = [
  ...hostnamePair,
  ...subdomainPair,
  ...domainPair,
];

// Resource identity for Kubernetes/YAML (spec §0): type `apiVersion/kind`, name `namespace/name`,
// category `Resource`.
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import { kubernetesClusterScopedTypes } from "./kubernetes-cluster-scoped-types.ts";
import type { ResourceIdentity, ToolchainIdentity } from "./resource-identity.ts";

// Kinds that compute-mutations treats as the same resource when only the kind changed (spec §0).
const similarKindGroups: readonly ReadonlySet<string>[] = [
  new Set(["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "CronJob"]),
  new Set(["ConfigMap", "Secret"]),
  new Set(["Role", "ClusterRole"]),
  new Set(["RoleBinding", "ClusterRoleBinding"]),
];

function kindOf(type: string): string {
  return type.slice(type.lastIndexOf("/") + 1);
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

export const kubernetesIdentity: ToolchainIdentity = {
  toolchain: "Kubernetes/YAML",

  identify(value: unknown): ResourceIdentity {
    const apiVersion = nonEmptyString(field(value, "apiVersion"));
    const kind = nonEmptyString(field(value, "kind"));
    if (apiVersion === undefined || kind === undefined) {
      const missing = [apiVersion === undefined ? "apiVersion" : "", kind === undefined ? "kind" : ""]
        .filter(Boolean)
        .join(" and ");
      throw new ConfigError(ConfigErrorCode.Identity, `resource type is missing: no string ${missing}`);
    }
    const metadata = field(value, "metadata");
    const name = nonEmptyString(field(metadata, "name"));
    if (name === undefined) {
      throw new ConfigError(
        ConfigErrorCode.Identity,
        `resource name is missing: ${apiVersion}/${kind} has no string metadata.name`,
      );
    }
    const namespace = nonEmptyString(field(metadata, "namespace")) ?? "";
    return {
      type: `${apiVersion}/${kind}`,
      name: `${namespace}/${name}`,
      nameWithoutScope: name,
      category: "Resource",
    };
  },

  isClusterScoped(type: string): boolean {
    return kubernetesClusterScopedTypes.has(type);
  },

  similarTypes(a: string, b: string): boolean {
    if (a === b) return true;
    const kindA = kindOf(a);
    const kindB = kindOf(b);
    return kindA === kindB || similarKindGroups.some((group) => group.has(kindA) && group.has(kindB));
  },
};

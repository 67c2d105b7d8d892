import { describe, expect, it } from "vitest";
import { kubernetesClusterScopedTypes, kubernetesIdentity } from "../../src/config/index.ts";
import { kubernetesPathRegistry } from "../../functions/path-visitor/index.ts";

describe("Kubernetes identity", () => {
  it.each([
    [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }, "v1/ConfigMap", "/c", "c"],
    [
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", namespace: "ns" } },
      "apps/v1/Deployment",
      "ns/d",
      "d",
    ],
    [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "ns", namespace: "" } },
      "v1/Namespace",
      "/ns",
      "ns",
    ],
  ])("identifies %j", (value, type, name, nameWithoutScope) => {
    expect(kubernetesIdentity.identify(value)).toEqual({
      type,
      name,
      nameWithoutScope,
      category: "Resource",
    });
  });

  it.each([
    [null, /no string apiVersion and kind/],
    [["a"], /no string apiVersion and kind/],
    [{ apiVersion: "v1" }, /no string kind/],
    [{ apiVersion: 1, kind: "X", metadata: { name: "n" } }, /no string apiVersion/],
    [{ apiVersion: "v1", kind: "X" }, /v1\/X has no string metadata.name/],
    [{ apiVersion: "v1", kind: "X", metadata: { name: 5 } }, /v1\/X has no string metadata.name/],
  ])("rejects %j", (value, message) => {
    expect(() => kubernetesIdentity.identify(value)).toThrow(message);
  });

  it("knows the 30 cluster-scoped types, the same as the registry's namespace exceptions", () => {
    expect(kubernetesClusterScopedTypes.size).toBe(30);
    const exceptions =
      kubernetesPathRegistry["attribute-value"]?.["*"]?.["metadata.namespace"]?.TypeExceptions;
    expect([...kubernetesClusterScopedTypes].sort()).toEqual(Object.keys(exceptions ?? {}).sort());
    expect(kubernetesIdentity.isClusterScoped("v1/Namespace")).toBe(true);
    expect(kubernetesIdentity.isClusterScoped("v1/ConfigMap")).toBe(false);
  });

  it.each([
    ["apps/v1/Deployment", "apps/v1/Deployment", true],
    ["apps/v1/Deployment", "extensions/v1beta1/Deployment", true],
    ["apps/v1/Deployment", "batch/v1/CronJob", true],
    ["v1/ConfigMap", "v1/Secret", true],
    ["rbac.authorization.k8s.io/v1/Role", "rbac.authorization.k8s.io/v1/ClusterRole", true],
    ["rbac.authorization.k8s.io/v1/RoleBinding", "rbac.authorization.k8s.io/v1/ClusterRoleBinding", true],
    ["v1/ConfigMap", "apps/v1/Deployment", false],
    ["rbac.authorization.k8s.io/v1/Role", "rbac.authorization.k8s.io/v1/RoleBinding", false],
  ])("similarTypes(%s, %s) = %s", (a, b, similar) => {
    expect(kubernetesIdentity.similarTypes(a, b)).toBe(similar);
    expect(kubernetesIdentity.similarTypes(b, a)).toBe(similar);
  });
});

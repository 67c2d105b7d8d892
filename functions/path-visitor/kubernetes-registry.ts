// The Kubernetes path registry (spec §1.4, §5.3): ConfigHub's registered paths for Kubernetes/YAML,
// vendored here with its escaping fixed (design §9: `~1` kept in registry paths).
import registryData from "./kubernetes-paths.json" with { type: "json" };
import type { PathRegistryData } from "./registry-view.ts";

export const kubernetesPathRegistry: PathRegistryData = registryData as unknown as PathRegistryData;

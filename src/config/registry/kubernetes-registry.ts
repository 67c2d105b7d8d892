// The Kubernetes path registry: ConfigHub's `listpaths` data (conformance golden listpaths.txt),
// with the `~1` escapes its General entries lost restored (design §9), loaded on first use.
import { readFileSync } from "node:fs";
import { PathRegistry } from "./path-registry.ts";

let registry: PathRegistry | undefined;

export function kubernetesPathRegistry(): PathRegistry {
  if (!registry) {
    const text = readFileSync(new URL("./kubernetes-paths.json", import.meta.url), "utf8");
    registry = PathRegistry.fromData(JSON.parse(text));
  }
  return registry;
}

// Which ToolchainIdentity serves which toolchain. Kubernetes/YAML is built in; other toolchains
// (AppConfig/Properties, ...) register theirs when their module loads.
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import { kubernetesIdentity } from "./kubernetes-identity.ts";
import type { ToolchainIdentity, ToolchainType } from "./resource-identity.ts";

const identities = new Map<ToolchainType, ToolchainIdentity>([
  [kubernetesIdentity.toolchain, kubernetesIdentity],
]);

/** Makes `identity` the resource identity of its toolchain (replacing any earlier one). */
export function registerToolchainIdentity(identity: ToolchainIdentity): void {
  identities.set(identity.toolchain, identity);
}

/** The resource identity of a toolchain; throws ConfigError `UNKNOWN_TOOLCHAIN` if none is registered. */
export function toolchainIdentity(toolchain: ToolchainType): ToolchainIdentity {
  const identity = identities.get(toolchain);
  if (!identity) {
    const known = [...identities.keys()].join(", ");
    throw new ConfigError(
      ConfigErrorCode.UnknownToolchain,
      `unknown toolchain "${toolchain}": no resource identity is registered (known: ${known})`,
    );
  }
  return identity;
}

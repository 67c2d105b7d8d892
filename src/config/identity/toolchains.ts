// Which ToolchainIdentity serves which toolchain. Only Kubernetes/YAML has one so far; a new toolchain
// adds its identity to this map.
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import { kubernetesIdentity } from "./kubernetes-identity.ts";
import type { ToolchainIdentity } from "./resource-identity.ts";
import type { ToolchainType } from "../toolchain-types.ts";

const identities: ReadonlyMap<ToolchainType, ToolchainIdentity> = new Map<ToolchainType, ToolchainIdentity>([
  [kubernetesIdentity.toolchain, kubernetesIdentity],
]);

/** The resource identity of a toolchain; throws ConfigError `UNKNOWN_TOOLCHAIN` if none is registered. */
export function toolchainIdentity(toolchain: ToolchainType | (string & {})): ToolchainIdentity {
  const identity = identities.get(toolchain as ToolchainType);
  if (!identity) {
    const known = [...identities.keys()].join(", ");
    throw new ConfigError(
      ConfigErrorCode.UnknownToolchain,
      `unknown toolchain "${toolchain}": no resource identity is registered (known: ${known})`,
    );
  }
  return identity;
}

// Which ToolchainIdentity serves which toolchain: Kubernetes/YAML's own, and for every non-YAML
// toolchain the identity of its NativeFormat (native/native-formats.ts), so registering a format is
// all a new toolchain needs here.
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import { nativeFormats } from "../native/native-formats.ts";
import { kubernetesIdentity } from "./kubernetes-identity.ts";
import type { ToolchainIdentity } from "./resource-identity.ts";
import type { ToolchainType } from "../toolchain-types.ts";

const identities: ReadonlyMap<ToolchainType, ToolchainIdentity> = new Map<ToolchainType, ToolchainIdentity>([
  [kubernetesIdentity.toolchain, kubernetesIdentity],
  ...nativeFormats().map((format): [ToolchainType, ToolchainIdentity] => [format.toolchain, format.identity]),
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

// The accessors ConfigHub registers for Kubernetes (spec §1.3): container images (`#uri`,
// `#reference`) and hostnames (`#subdomain`, `#domain`). The patterns are the registry's, verbatim.
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import { deferredAccessor, type EmbeddedAccessor } from "./embedded-accessor.ts";

/** `uri` = optional host and the repository; `reference` = `:tag` or `@digest`, separator included. */
export const imagePattern =
  "^(?P<uri>(?:(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*(?:\\:[0-9]+)?)/)?" +
  "(?:[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:\\/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*))" +
  "(?P<reference>\\:(?:[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127})|@(?:[a-z0-9]+(?:[+._-][a-z0-9]+)*\\:[a-zA-Z0-9=_-]+))?$";

/** `subdomain` = the first DNS label; `domain` = the rest (one to ten labels). */
export const hostnamePattern =
  "^(?P<subdomain>[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)\\.(?P<domain>[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?){0,9})$";

export const imageAccessor: EmbeddedAccessor = deferredAccessor(imagePattern);
export const hostnameAccessor: EmbeddedAccessor = deferredAccessor(hostnamePattern);

const builtin: Readonly<Record<string, EmbeddedAccessor>> = Object.freeze({
  uri: imageAccessor,
  reference: imageAccessor,
  subdomain: hostnameAccessor,
  domain: hostnameAccessor,
});

/** The built-in accessor that provides `#name`. @throws ConfigError `UNKNOWN_ACCESSOR`. */
export function builtinAccessor(name: string, where = name): EmbeddedAccessor {
  const accessor = Object.hasOwn(builtin, name) ? builtin[name] : undefined;
  if (!accessor) {
    throw new ConfigError(
      ConfigErrorCode.UnknownAccessor,
      `unknown accessor #${name} in ${where}: known accessors are #${Object.keys(builtin).join(", #")}`,
      { path: where },
    );
  }
  return accessor;
}

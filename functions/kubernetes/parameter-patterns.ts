// Argument patterns of the Kubernetes functions (RE2 syntax, as ConfigHub declares them; the engine
// matches each against the whole argument). Image parts follow the OCI distribution reference grammar;
// DNS labels follow RFC 1123 (lowercase, at most 63 characters).

const dnsLabel = "[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?";
const imageHost = "[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*(?:\\:[0-9]+)?";
const imageRepository =
  "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:\\/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*";
const imageTag = "[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}";
const imageDigest = "[a-z0-9]+(?:[+._-][a-z0-9]+)*\\:[a-zA-Z0-9=_-]+";
const imageUri = `(?P<uri>(?:(?:${imageHost})/)?(?:${imageRepository}))`;
const imageReference = `(?P<reference>\\:(?:${imageTag})|@(?:${imageDigest}))`;
const subdomain = `(?P<subdomain>${dnsLabel})`;
const domain = `(?P<domain>${dnsLabel}(?:\\.${dnsLabel}){0,9})`;

export const parameterPatterns = Object.freeze({
  /** A container name (DNS label), or `*` for every container. */
  containerName: "^\\*|[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$",
  /** An environment variable name. */
  envVar: "^[-._a-zA-Z][-._a-zA-Z0-9]*$",
  /** A full image: repository URI with an optional `:tag` or `@digest`. */
  image: `^${imageUri}${imageReference}?$`,
  /** Registry host (optional) and repository, without tag or digest. */
  repositoryUri: `^${imageUri}$`,
  /** `:tag` or `@digest`, separator included. */
  imageReference: `^${imageReference}$`,
  /** `subdomain.domain`: one DNS label, then one to ten more. */
  hostname: `^${subdomain}\\.${domain}$`,
  subdomain: `^${subdomain}$`,
  domain: `^${domain}$`,
});

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
  /** `NAME=value` for set-env. */
  envKeyValue: "^[-._a-zA-Z][-._a-zA-Z0-9]*=.*$",
  /** A full image: repository URI with an optional `:tag` or `@digest`. */
  image: `^${imageUri}${imageReference}?$`,
  /** Registry host (optional) and repository, without tag or digest. */
  repositoryUri: `^${imageUri}$`,
  /** `:tag` or `@digest`, separator included. */
  imageReference: `^${imageReference}$`,
  /** `:tag`, `@digest` or nothing (set-image-reference-by-uri may drop the reference). */
  optionalImageReference: `^(?:${imageReference})?$`,
  /** `subdomain.domain`: one DNS label, then one to ten more. */
  hostname: `^${subdomain}\\.${domain}$`,
  subdomain: `^${subdomain}$`,
  domain: `^${domain}$`,
});

const dnsLabelWords =
  "lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";

/**
 * Each pattern in words, for the message that refuses an argument (a user should not have to read a
 * regexp to learn what a container name may look like).
 */
export const patternHints: ReadonlyMap<string, string> = new Map([
  [parameterPatterns.containerName, `a container name (${dnsLabelWords}) or * for every container`],
  [
    parameterPatterns.envVar,
    "an environment variable name (letters, digits, '-', '.' and '_', not starting with a digit)",
  ],
  [
    parameterPatterns.envKeyValue,
    "NAME=value, where NAME is an environment variable name (letters, digits, '-', '.' and '_', not starting with a digit)",
  ],
  [
    parameterPatterns.image,
    "an image such as nginx, ghcr.io/org/app:v1.2.3 or app@sha256:... (lowercase repository, optional :tag or @digest)",
  ],
  [
    parameterPatterns.repositoryUri,
    "an image repository without tag or digest, such as nginx or ghcr.io/org/app (lowercase)",
  ],
  [parameterPatterns.imageReference, "a tag or digest with its separator, such as :v1.2.3 or @sha256:..."],
  [
    parameterPatterns.optionalImageReference,
    "a tag or digest with its separator, such as :v1.2.3 or @sha256:..., or an empty string",
  ],
  [
    parameterPatterns.hostname,
    `a hostname with at least two labels, such as api.example.com (each label: ${dnsLabelWords})`,
  ],
  [parameterPatterns.subdomain, `one DNS label, such as api (${dnsLabelWords})`],
  [
    parameterPatterns.domain,
    `a domain of one to ten DNS labels, such as example.com (each label: ${dnsLabelWords})`,
  ],
]);

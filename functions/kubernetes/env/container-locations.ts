// Where the containers of a workload are: every container list (containers, initContainers,
// ephemeralContainers) of the pod spec, as the path registry's container-name entries record them
// (`spec.template.spec.containers.*.name`, `spec.jobTemplate.spec.template.spec...` for CronJob,
// `spec.containers.*.name` for Pod), so there is one source of truth for pod-spec layouts.
import {
  ConfigError,
  ConfigErrorCode,
  type ConfigDocument,
  type ResolvedPath,
} from "../../../src/config/index.ts";
import {
  escapePathArgument,
  kubernetesPathRegistry,
  registeredPaths,
  registeredResourceTypes,
} from "../../path-visitor/index.ts";

const CONTAINER_NAME = "container-name";
const NAME_SUFFIX = ".*.name";

/** The resource types that have containers. */
export const containerResourceTypes: readonly string[] = registeredResourceTypes(
  kubernetesPathRegistry,
  CONTAINER_NAME,
);

function containerListPaths(resourceType: string): string[] {
  return registeredPaths(kubernetesPathRegistry, CONTAINER_NAME, resourceType).map((entry) => {
    if (!entry.Path.endsWith(NAME_SUFFIX)) {
      throw new ConfigError(
        ConfigErrorCode.Registry,
        `container-name registry path ${entry.Path} of ${resourceType} does not end in ${NAME_SUFFIX}`,
      );
    }
    return entry.Path.slice(0, -NAME_SUFFIX.length);
  });
}

/**
 * In each container list of the document, the first container named `name`, or every container for
 * `*` (spec §5.2 set-env), in document order.
 */
export function namedContainers(
  document: ConfigDocument,
  resourceType: string,
  name: string,
): ResolvedPath[] {
  return containerListPaths(resourceType).flatMap((list) =>
    document.resolve(`${list}.?name=${escapePathArgument(name)}`),
  );
}

// set-env: sets, adds and removes environment variables of a container (spec §5.2). `KEY=VALUE`
// updates the first variable named KEY or appends `{name: KEY, value: VALUE}` (keys in that order:
// ConfigHub's order was random); `KEY=` removes the first variable named KEY. The container is the
// first of that name in each of containers, initContainers and ephemeralContainers; `*` means all.
import {
  describeResource,
  formatSegments,
  type ConfigDocument,
  type ResolvedPath,
} from "../../../src/config/index.ts";
import { defineFunction, FunctionError } from "../../../src/engine/index.ts";
import { identifyAll } from "../../path-visitor/index.ts";
import { parameterPatterns } from "../parameter-patterns.ts";
import { containerResourceTypes, namedContainers } from "./container-locations.ts";
import { parseEnvAssignments } from "./env-assignments.ts";

const ENV_KEY_VALUE = parameterPatterns.envKeyValue;

function at(base: ResolvedPath, ...more: (string | number)[]): ResolvedPath {
  const segments = [...base.segments, ...more];
  return { path: formatSegments(segments), segments, bindings: [] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The container's env list, [] when it has none. */
function envOf(document: ConfigDocument, container: ResolvedPath, where: string): unknown[] {
  const env = document.get(at(container, "env"));
  if (env === undefined || env.value === null) return [];
  if (!Array.isArray(env.value)) throw new FunctionError(`env of ${where} is not a list`);
  return env.value;
}

function indexOfVariable(env: readonly unknown[], name: string): number {
  return env.findIndex((entry) => isRecord(entry) && entry.name === name);
}

function setContainerEnv(
  document: ConfigDocument,
  container: ResolvedPath,
  assignments: ReadonlyMap<string, string>,
  where: string,
): void {
  const node = document.get(container);
  if (node?.kind !== "map") throw new FunctionError(`${where} is not a map`);
  const remaining = new Map(assignments);

  // Existing variables get their new value; a literal value replaces a valueFrom reference.
  envOf(document, container, where).forEach((entry, index) => {
    if (!isRecord(entry) || typeof entry.name !== "string") return;
    const value = remaining.get(entry.name);
    if (value === undefined || value === "") return;
    document.set(at(container, "env", index, "value"), value, { upsert: true });
    if ("valueFrom" in entry) document.delete(at(container, "env", index, "valueFrom"));
    remaining.delete(entry.name);
  });

  for (const [name, value] of remaining) {
    const env = envOf(document, container, where);
    if (value === "") {
      const index = indexOfVariable(env, name);
      if (index >= 0) document.delete(at(container, "env", index));
    } else if (document.get(at(container, "env"))?.kind === "seq") {
      document.appendItem(at(container, "env"), { name, value });
    } else {
      document.setValue(at(container, "env"), [{ name, value }]);
    }
  }
}

export const setEnv = defineFunction({
  toolchains: ["Kubernetes/YAML"],
  signature: {
    FunctionName: "set-env",
    Description: "Set environment variables for a container using <key>=<value> syntax",
    Parameters: [
      {
        ParameterName: "container-name",
        Description: "Name of the container whose env vars to update",
        Required: true,
        DataType: "string",
        Example: "main",
        Regexp: parameterPatterns.containerName,
      },
      {
        ParameterName: "env-key-value",
        Description: "key=value format to upsert; no value implies removal",
        Required: true,
        DataType: "string",
        Example: "DATABASE_URL=postgres://postgres:postgres@localhost:5432/main",
        Regexp: ENV_KEY_VALUE,
      },
    ],
    VarArgs: true,
    Mutating: true,
    AffectedResourceTypes: [...containerResourceTypes],
  },
  invoke({ data, args }) {
    const containerName = args.string("container-name");
    const assignments = parseEnvAssignments(args.strings("env-key-value"));
    const identities = identifyAll(data);
    data.documents.forEach((document, index) => {
      const identity = identities[index]!;
      for (const container of namedContainers(document, identity.type, containerName)) {
        const where = `container at path ${container.path} of ${describeResource(identity)}`;
        setContainerEnv(document, container, assignments, where);
      }
    });
  },
});

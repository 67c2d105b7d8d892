// Registered-attribute functions (spec §5.1): list the significant attributes of every resource
// (get-attributes over the General registry, get-details over the `detail` registry) and write a list
// of attributes back (set-attributes), for read-modify-write round trips.
import { isConfigError, type ResourceIdentity } from "../../src/config/index.ts";
import { FunctionError, defineFunction, type FunctionDefinition } from "../../src/engine/index.ts";
import {
  collectAttributes,
  GENERAL_ATTRIBUTE,
  generalPathTargets,
  kubernetesPathRegistry as registry,
  registryTargets,
  updateAttributes,
  type PathTargets,
} from "../path-visitor/index.ts";
import { GENERIC_TOOLCHAINS } from "./generic-toolchains.ts";

const toolchains = GENERIC_TOOLCHAINS;

const DETAIL_ATTRIBUTE = "detail";

export const getAttributes = defineFunction({
  toolchains,
  signature: {
    FunctionName: "get-attributes",
    Description: "Returns a list of significant attributes",
    OutputInfo: {
      ResultName: "attribute-list",
      Description:
        "Registered attributes (names, images, replicas, ...) of every resource, with their getters and setters",
      OutputType: "AttributeValueList",
    },
    FunctionType: "PathVisitor",
    AttributeName: GENERAL_ATTRIBUTE,
    AffectedResourceTypes: ["*"],
  },
  invoke({ data }) {
    return {
      output: collectAttributes(data, registryTargets(registry, GENERAL_ATTRIBUTE), { expected: "any" }),
    };
  },
});

export const getDetails = defineFunction({
  toolchains,
  signature: {
    FunctionName: "get-details",
    Description: "Returns a list of selected significant resource attributes",
    OutputInfo: {
      ResultName: "attribute-list",
      Description: "Selected attributes of every resource, with their schema descriptions",
      OutputType: "AttributeValueList",
    },
    FunctionType: "PathVisitor",
    AttributeName: DETAIL_ATTRIBUTE,
    AffectedResourceTypes: ["*"],
  },
  invoke({ data }) {
    return {
      output: collectAttributes(data, registryTargets(registry, DETAIL_ATTRIBUTE), { expected: "any" }),
    };
  },
});

/** One entry of the attribute-list argument, checked. */
interface AttributeToSet {
  readonly resourceType: string;
  readonly resourceName: string;
  readonly path: string;
  readonly value: string | number | boolean;
}

function describeEntry(index: number, entry: Record<string, unknown>): string {
  const path = typeof entry.Path === "string" ? `, path ${entry.Path}` : "";
  return `attribute-list entry ${index}${path}`;
}

function parseAttributeList(text: string): { attributes: AttributeToSet[]; problems: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new FunctionError(
      `failed to unmarshal attribute-list argument: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!Array.isArray(parsed)) {
    throw new FunctionError(
      "failed to unmarshal attribute-list argument: expected a JSON array of AttributeValues",
    );
  }
  const attributes: AttributeToSet[] = [];
  const problems: string[] = [];
  parsed.forEach((item: unknown, index) => {
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      problems.push(`attribute-list entry ${index} is not an AttributeValue object`);
      return;
    }
    const entry = item as Record<string, unknown>;
    const where = describeEntry(index, entry);
    if (typeof entry.ResourceType !== "string" || entry.ResourceType === "") {
      problems.push(`${where}: ResourceType must be a non-empty string`);
      return;
    }
    if (typeof entry.Path !== "string" || entry.Path === "") {
      problems.push(`${where}: Path must be a non-empty string`);
      return;
    }
    const resourceName = typeof entry.ResourceName === "string" ? entry.ResourceName : "";
    const name = typeof entry.AttributeName === "string" ? entry.AttributeName : "";
    const value = entry.Value;
    const base = { resourceType: entry.ResourceType, resourceName, path: entry.Path };
    switch (entry.DataType) {
      case "string":
        if (typeof value !== "string")
          problems.push(`value of attribute ${name} is not string: ${JSON.stringify(value)} (${where})`);
        else attributes.push({ ...base, value });
        return;
      case "int":
        if (typeof value !== "number" || !Number.isFinite(value)) {
          problems.push(`value of attribute ${name} is not int: ${JSON.stringify(value)} (${where})`);
        } else attributes.push({ ...base, value: Math.round(value) });
        return;
      case "bool":
        if (typeof value !== "boolean")
          problems.push(`value of attribute ${name} is not bool: ${JSON.stringify(value)} (${where})`);
        else attributes.push({ ...base, value });
        return;
      default:
        problems.push(`unsupported data type ${String(entry.DataType)} (${where})`);
    }
  });
  return { attributes, problems };
}

// An AttributeValue names the resource it came from: only that resource is written, so a list read
// from several resources of one type writes each value back where it was read. An empty ResourceName
// means every resource of the type.
function forResource(targets: PathTargets, resourceName: string): PathTargets {
  if (resourceName === "") return targets;
  const matches = (identity: ResourceIdentity) =>
    identity.name === resourceName ||
    (!resourceName.includes("/") && identity.nameWithoutScope === resourceName);
  return (identity) => (matches(identity) ? targets(identity) : []);
}

export const setAttributes = defineFunction({
  toolchains,
  signature: {
    FunctionName: "set-attributes",
    Description: "Set specified attributes",
    Parameters: [
      {
        ParameterName: "attribute-list",
        Description: "List of attributes to set",
        Required: true,
        DataType: "AttributeValueList",
        Example:
          '[{"ResourceName":"","ResourceType":"apps/v1/Deployment","Path":"spec.replicas","DataType":"int","Value":3}]',
      },
    ],
    Mutating: true,
    AffectedResourceTypes: ["*"],
  },
  invoke({ data, args }) {
    const { attributes, problems } = parseAttributeList(args.string("attribute-list"));
    // Existing locations only: set-attributes writes back what a getter read.
    for (const attribute of attributes) {
      try {
        const targets = generalPathTargets(registry, attribute.resourceType, attribute.path);
        updateAttributes(data, forResource(targets, attribute.resourceName), attribute.value);
      } catch (error) {
        if (!(error instanceof FunctionError) && !isConfigError(error)) throw error;
        problems.push(error.message);
      }
    }
    if (problems.length > 0) throw FunctionError.join(problems);
  },
});

export const attributeFunctions: readonly FunctionDefinition[] = [getAttributes, setAttributes, getDetails];

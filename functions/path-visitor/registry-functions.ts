// Registry getter/setter pairs (spec §5.3): `get-<name>` and `set-<name>` over one attribute of a path
// registry. The setter takes P1…Pn (P1…Pn−1 fill the registered paths' `%s` holes, Pn is the value);
// the getter takes P1…Pn−1 and returns an AttributeValueList named after Pn.
import { defineFunction, type FunctionDefinition } from "../../src/engine/index.ts";
import type { FunctionArguments, FunctionParameter, ToolchainType } from "../../src/engine/index.ts";
import { collectAttributes } from "./collect-attributes.ts";
import type { AttributeScalarType } from "./read-attribute.ts";
import type { RegisteredPath } from "./registered-path.ts";
import { registeredResourceTypes, registryTargets, type PathRegistryData } from "./registry-view.ts";
import { updateAttributes } from "./update-attributes.ts";

/** A parameter that fills a `%s` hole; its description ends with the verb ("…whose image to get"). */
export interface PathParameter extends Omit<FunctionParameter, "Description" | "Required" | "DataType"> {
  /** Description without the verb, e.g. `Name of the container whose image to`. */
  readonly DescriptionStem: string;
}

/** What the value of a pair is: the setter's last parameter, and the getter's output. */
export interface ValueParameter extends Omit<FunctionParameter, "Required" | "DataType"> {
  readonly DataType: AttributeScalarType;
}

export interface RegistryPairDeclaration {
  readonly registry: PathRegistryData;
  readonly toolchains: readonly ToolchainType[];
  /** `image` gives `get-image` and `set-image`. */
  readonly name: string;
  /** The registry attribute the pair visits (also the signatures' AttributeName). */
  readonly attributeName: string;
  /** Completes "Get…"/"Set…", e.g. ` the image for a container`. */
  readonly description: string;
  readonly pathParameters: readonly PathParameter[];
  readonly value: ValueParameter;
  /** Whether the setter creates missing locations (all paths, or per registered entry). */
  readonly upsert?: boolean | ((entry: RegisteredPath) => boolean);
}

function pathParameter(parameter: PathParameter, verb: "get" | "set"): FunctionParameter {
  const { DescriptionStem, ...rest } = parameter;
  return { ...rest, Description: `${DescriptionStem} ${verb}`, Required: true, DataType: "string" };
}

function pathArguments(declaration: RegistryPairDeclaration, args: FunctionArguments): string[] {
  return declaration.pathParameters.map((p) => args.string(p.ParameterName));
}

/** The getter `get-<name>`: every value the registered paths hold, sorted by type, name and path. */
export function registryGetter(declaration: RegistryPairDeclaration): FunctionDefinition {
  const { registry, attributeName, value } = declaration;
  return defineFunction({
    toolchains: declaration.toolchains,
    signature: {
      FunctionName: `get-${declaration.name}`,
      Description: `Get${declaration.description}`,
      Parameters: declaration.pathParameters.map((p) => pathParameter(p, "get")),
      OutputInfo: {
        ResultName: value.ParameterName,
        Description: value.Description,
        OutputType: "AttributeValueList",
      },
      FunctionType: "PathVisitor",
      AttributeName: attributeName,
      AffectedResourceTypes: registeredResourceTypes(registry, attributeName),
    },
    invoke({ data, args }) {
      const parameters = pathArguments(declaration, args);
      const targets = registryTargets(registry, attributeName, { parameters });
      return { output: collectAttributes(data, targets, { expected: value.DataType }) };
    },
  });
}

/** The setter `set-<name>`: writes the value at every registered path (creating it only in upsert mode). */
export function registrySetter(declaration: RegistryPairDeclaration): FunctionDefinition {
  const { registry, attributeName, value } = declaration;
  return defineFunction({
    toolchains: declaration.toolchains,
    signature: {
      FunctionName: `set-${declaration.name}`,
      Description: `Set${declaration.description}`,
      Parameters: [
        ...declaration.pathParameters.map((p) => pathParameter(p, "set")),
        { ...value, Required: true },
      ],
      Mutating: true,
      FunctionType: "PathVisitor",
      AttributeName: attributeName,
      AffectedResourceTypes: registeredResourceTypes(registry, attributeName),
    },
    invoke({ data, args }) {
      const parameters = pathArguments(declaration, args);
      const next =
        value.DataType === "int"
          ? args.int(value.ParameterName)
          : value.DataType === "bool"
            ? args.bool(value.ParameterName)
            : args.string(value.ParameterName);
      const targets = registryTargets(registry, attributeName, {
        parameters,
        ...(declaration.upsert === undefined ? {} : { upsert: declaration.upsert }),
      });
      updateAttributes(data, targets, next);
    },
  });
}

/** Both functions of a pair, getter first. */
export function registryPair(declaration: RegistryPairDeclaration): FunctionDefinition[] {
  return [registryGetter(declaration), registrySetter(declaration)];
}

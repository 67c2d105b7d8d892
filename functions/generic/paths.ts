// Generic path functions (spec §1, §5.1): read, write and comment any path of the resources of one
// type (`*` for every type). Paths are looked up in the General registry, so a known attribute
// reports its registered name and Info and honours its `#accessor`.
import { FunctionError, defineFunction, type FunctionDefinition } from "../../src/engine/index.ts";
import type { FunctionParameter } from "../../src/engine/index.ts";
import {
  collectAttributes,
  generalPathTargets,
  kubernetesPathRegistry as registry,
  updateAttributes,
  visitPaths,
  type AttributeScalarType,
} from "../path-visitor/index.ts";
import { byToolchain, GENERIC_TOOLCHAINS } from "./generic-toolchains.ts";

const toolchains = GENERIC_TOOLCHAINS;

function resourceType(purpose: string, types: string): FunctionParameter {
  return {
    ParameterName: "resource-type",
    Description: `Resource type (${types}) of the attribute to ${purpose}`,
    Required: true,
    DataType: "string",
    Example: "apps/v1/Deployment",
  };
}

function path(description: string): FunctionParameter {
  return {
    ParameterName: "path",
    Description: description,
    Required: true,
    DataType: "string",
    Example: "spec.template.spec.containers.*.image",
  };
}

function pathGetter(type: AttributeScalarType): FunctionDefinition {
  return defineFunction({
    toolchains,
    signature: byToolchain((types) => ({
      FunctionName: `get-${type}-path`,
      Description: "Returns the value(s) of the specified attribute path",
      Parameters: [resourceType("get", types), path("Path whose value to get")],
      OutputInfo: {
        ResultName: "path",
        Description: `Value(s) of type ${type} at the specified path`,
        OutputType: "AttributeValueList",
      },
      AffectedResourceTypes: ["*"],
    })),
    invoke({ data, args }) {
      const targets = generalPathTargets(registry, args.string("resource-type"), args.string("path"));
      return { output: collectAttributes(data, targets, { expected: type }) };
    },
  });
}

// Upsert: missing keys after the path's last pattern (or `|` split) are created; `#accessor` paths
// only replace an existing part of a string.
function pathSetter(type: AttributeScalarType): FunctionDefinition {
  return defineFunction({
    toolchains,
    signature: byToolchain((types) => ({
      FunctionName: `set-${type}-path`,
      Description: "Set the value(s) of the specified attribute path",
      Parameters: [
        resourceType("set", types),
        path("Path of the attribute to set"),
        {
          ParameterName: "attribute-value",
          Description: "Value to set the attribute to",
          Required: true,
          DataType: type,
        },
      ],
      Mutating: true,
      AffectedResourceTypes: ["*"],
    })),
    invoke({ data, args }) {
      const targets = generalPathTargets(registry, args.string("resource-type"), args.string("path"), {
        upsert: true,
      });
      const value =
        type === "int"
          ? args.int("attribute-value")
          : type === "bool"
            ? args.bool("attribute-value")
            : args.string("attribute-value");
      updateAttributes(data, targets, value);
    },
  });
}

export const setPathComment = defineFunction({
  toolchains,
  signature: byToolchain((types) => ({
    FunctionName: "set-path-comment",
    Description: "Set the comment of the specified attribute path",
    Parameters: [
      resourceType("comment", types),
      path("Path of the attribute to comment"),
      {
        ParameterName: "comment",
        Description: "Comment to attach to the attribute",
        Required: true,
        DataType: "string",
        Example: "managed by the platform team",
      },
    ],
    Mutating: true,
    AffectedResourceTypes: ["*"],
  })),
  invoke({ data, args }) {
    const comment = args.string("comment");
    if (/[\r\n]/.test(comment)) {
      throw new FunctionError("comment must be a single line: a line comment cannot contain a line break");
    }
    // Only existing locations get a comment; nothing is created.
    for (const visit of visitPaths(
      data,
      generalPathTargets(registry, args.string("resource-type"), args.string("path")),
    )) {
      visit.document.setLineComment(visit.resolved, comment);
    }
  },
});

export const getStringPath = pathGetter("string");
export const getIntPath = pathGetter("int");
export const getBoolPath = pathGetter("bool");
export const setStringPath = pathSetter("string");
export const setIntPath = pathSetter("int");
export const setBoolPath = pathSetter("bool");

export const pathFunctions: readonly FunctionDefinition[] = [
  getStringPath,
  setStringPath,
  getIntPath,
  setIntPath,
  getBoolPath,
  setBoolPath,
  setPathComment,
];

// get-jsonpath (confn's own): a read-only JSONPath query (jsonpath-plus) over each resource of a type,
// for reading anything the registered getters do not cover. Each match is an AttributeValue whose
// Path is the resolved dot path (the path language's escaping, so it can be fed to set-*-path).
// Strings, integers and booleans are reported as such; any other value (a map, a list, a float,
// null) as DataType YAML with its YAML text.
import { JSONPath } from "jsonpath-plus";
import { formatSegments, pointerSegments } from "../../src/config/index.ts";
import type { ConfigDocument } from "../../src/config/index.ts";
import {
  FunctionError,
  defineFunction,
  type FunctionDefinition,
  renderYamlValue,
} from "../../src/engine/index.ts";
import type { AttributeValue, ResourceCategory } from "../../src/engine/index.ts";
import { JsonPathSyntaxError, checkJsonPath } from "./jsonpath/jsonpath-expression.ts";
import { byToolchain, GENERIC_TOOLCHAINS } from "./generic-toolchains.ts";

export const getJsonPath = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: byToolchain((types) => ({
    FunctionName: "get-jsonpath",
    Description:
      "Returns the values matched by a JSONPath expression in each resource of the specified type, with their resolved paths",
    Parameters: [
      {
        ParameterName: "resource-type",
        Description: `Resource type (${types}) of the resources to query, or * for all resources`,
        Required: true,
        DataType: "string",
        Example: "apps/v1/Deployment",
      },
      {
        ParameterName: "jsonpath",
        Description:
          "JSONPath expression evaluated against each resource, starting at $. Filters ([?(...)]) may compare and combine values (@, @property, ==, !=, <, <=, >, >=, &&, ||, !) but not call functions or use regular expressions",
        Required: true,
        DataType: "string",
        Example: '$.spec.template.spec.containers[?(@.name == "main")].image',
      },
    ],
    OutputInfo: {
      ResultName: "path",
      Description: "Values matched by the JSONPath expression",
      OutputType: "AttributeValueList",
    },
    AffectedResourceTypes: ["*"],
  })),
  invoke({ data, args }) {
    const type = args.string("resource-type");
    const expression = args.string("jsonpath");
    try {
      checkJsonPath(expression);
    } catch (error) {
      if (error instanceof JsonPathSyntaxError) {
        throw new FunctionError(`invalid JSONPath expression ${expression}: ${error.message}`, {
          cause: error,
        });
      }
      throw error;
    }
    const values: AttributeValue[] = [];
    for (const document of data.documents) {
      const resource = document.identity();
      if (type !== "*" && resource.type !== type) continue;
      for (const match of query(expression, document, resource.name)) {
        values.push(attributeValue(document, resource, match));
      }
    }
    // The getters' order (spec §6): by type, then name; matches of one resource stay in document order.
    values.sort((a, b) => compare(a.ResourceType, b.ResourceType) || compare(a.ResourceName, b.ResourceName));
    return { output: values };
  },
});

export const jsonPathFunctions: readonly FunctionDefinition[] = [getJsonPath];

interface Match {
  readonly segments: (string | number)[];
  readonly value: unknown;
}

function query(expression: string, document: ConfigDocument, resourceName: string): Match[] {
  const json = document.toJS();
  let results: { pointer: string; value: unknown }[];
  try {
    results = JSONPath({
      path: expression,
      json: json as object,
      resultType: "all",
      eval: "safe",
      wrap: true,
    }) as {
      pointer: string;
      value: unknown;
    }[];
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^jsonPath: /, "") : String(error);
    throw new FunctionError(
      `JSONPath expression ${expression} failed on resource ${resourceName}: ${reason}`,
      {
        cause: error,
      },
    );
  }
  return results.map((result) => ({ segments: pointerSegments(json, result.pointer), value: result.value }));
}

function attributeValue(
  document: ConfigDocument,
  resource: { type: string; name: string; nameWithoutScope: string; category: string },
  match: Match,
): AttributeValue {
  const path = formatSegments(match.segments);
  const node =
    match.segments.length > 0 ? document.get({ path, segments: match.segments, bindings: [] }) : undefined;
  const { value } = match;
  const typed =
    typeof value === "string"
      ? { DataType: "string" as const, Value: value }
      : typeof value === "boolean"
        ? { DataType: "bool" as const, Value: value }
        : typeof value === "number" && Number.isInteger(value)
          ? { DataType: "int" as const, Value: value }
          : { DataType: "YAML" as const, Value: renderYamlValue(value) };
  return {
    ResourceName: resource.name,
    ResourceNameWithoutScope: resource.nameWithoutScope,
    ResourceType: resource.type,
    ResourceCategory: resource.category as ResourceCategory,
    Path: path,
    DataType: typed.DataType,
    Value: typed.Value,
    ...(node?.comment ? { Comment: node.comment } : {}),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// where-filter (spec §2): true when at least one resource of the given type satisfies every
// relation of a where_data expression (per resource, existentially over the values a path finds).
// The expression is parsed and evaluated by the filter layer (src/filter/where-data), so where-filter
// and the `where_data` of invocations agree, including design §9: a value of another type than the
// literal is a non-match rather than an error, and `resources.(requests|limits).*` compare as
// Kubernetes quantities. A syntax error is an error naming the column.
import { FunctionError, defineFunction, type FunctionDefinition } from "../../src/engine/index.ts";
import type { ValidationResult } from "../../src/engine/index.ts";
import { evaluateWhereData, isFilterError, prepareWhereData } from "../../src/filter/in-memory.ts";
import type { PreparedWhereData } from "../../src/filter/in-memory.ts";
import { byToolchain, GENERIC_TOOLCHAINS } from "./generic-toolchains.ts";

export const whereFilter = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: byToolchain((types) => ({
    FunctionName: "where-filter",
    Description:
      "Returns true if all terms of the conjunction of relational expressions evaluate to true for at least one matching path of a resource of the specified type",
    Parameters: [
      {
        ParameterName: "resource-type",
        Description: `Resource type (${types}) to match`,
        Required: true,
        DataType: "string",
      },
      {
        ParameterName: "where-expression",
        Description:
          "Where filter: The specified string is an expression for the purpose of evaluating whether the configuration data matches the filter. It supports conjunctions using `AND` of relational expressions of the form *path* *operator* *literal*. The path specifications are dot-separated, for both map fields and array indices, as in `spec.template.spec.containers.0.image = 'ghcr.io/headlamp-k8s/headlamp:latest' AND spec.replicas > 1`. Path expressions support `*` for wildcard array or map segments and `?key=value` syntax for associative matches of array elements containing objects with a `key` attribute. Strings and integers support the following operators: `<`, `>`, `<=`, `>=`, `=`, `!=`. Boolean values support equality and inequality only. The syntax `.|` requires the preceding path to exist; otherwise the relation `!=` will always return true regardless what it is compared with. String literals are quoted with single quotes, such as `'string'`. Integer and boolean literals are also supported for attributes of those types.",
        Required: true,
        DataType: "string",
      },
    ],
    OutputInfo: {
      ResultName: "matched",
      Description: "True if filter passed for at least one resource, false otherwise",
      OutputType: "ValidationResult",
    },
    Validating: true,
    AffectedResourceTypes: ["*"],
  })),
  invoke({ data, args }) {
    const resourceType = args.string("resource-type");
    const expression = prepare(args.string("where-expression"));
    const { matched } = evaluateWhereData(expression, data, { resourceType });
    const result: ValidationResult = { Passed: matched, Index: 0 };
    return { output: result };
  },
});

export const whereFilterFunctions: readonly FunctionDefinition[] = [whereFilter];

function prepare(source: string): PreparedWhereData {
  try {
    return prepareWhereData(source);
  } catch (error) {
    if (isFilterError(error)) {
      // The message names the language; here the argument already says which expression it is.
      const reason = error.message.replace(/^where_data: /, "");
      throw new FunctionError(`invalid where-expression ${source}: ${reason}`, { cause: error });
    }
    throw error;
  }
}

// cel-validate (spec §5.1): a CEL expression, with `r` bound to each resource, must be true for all
// of them. A false result is a failed validation (Details name the resource), and so is a resource
// that lacks a field the expression reads (ConfigHub: an error; issue 16: the resource is what is
// wrong, not the call). An expression that does not compile, does not give a bool, fails to evaluate
// otherwise or could cost too much is an error.
import { ConfigError, resourceDisplayName } from "../../src/config/index.ts";
import type { ConfigDocument } from "../../src/config/index.ts";
import { FunctionError, defineFunction, type FunctionDefinition } from "../../src/engine/index.ts";
import type { ValidationResult } from "../../src/engine/index.ts";
import { CEL_COST_LIMIT } from "./cel/cel-cost.ts";
import type * as CelProgramModule from "./cel/cel-program.ts";
import type { CelProgram } from "./cel/cel-program.ts";
import { GENERIC_TOOLCHAINS } from "./generic-toolchains.ts";

export const celValidate = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: {
    FunctionName: "cel-validate",
    Description: "Returns true if validation expression evaluates to true for all resources",
    Parameters: [
      {
        ParameterName: "validation-expr",
        Description:
          "CEL (Common Expression Language) expression to validate each resource. The current resource is refenced with the prefix 'r.' See https://cel.dev/ for language details.",
        Required: true,
        DataType: "CEL",
        Example:
          "r.kind != 'Deployment' || r.spec.template.spec.containers.all(container, container.securityContext.runAsNonRoot == true)",
      },
    ],
    OutputInfo: {
      ResultName: "passed",
      Description: "True if validation passed, false otherwise",
      OutputType: "ValidationResult",
    },
    Validating: true,
    AffectedResourceTypes: ["*"],
  },
  // The CEL compiler (@bufbuild/cel and protobuf, hundreds of modules) loads only for a call that
  // validates with CEL, not with every CLI start (issue 16 §1).
  async load() {
    celModule ??= await import("./cel/cel-program.ts");
  },
  argumentChecks: {
    "validation-expr": (expression) => {
      try {
        compile(expression);
        return undefined;
      } catch (error) {
        if (error instanceof FunctionError) return error.message;
        throw error;
      }
    },
  },
  invoke({ data, args }) {
    const expression = args.string("validation-expr");
    const program = compile(expression);
    const details: string[] = [];
    const errors: string[] = [];
    for (const document of data.documents) {
      const name = resourceName(document, errors);
      const outcome = program.evaluate(document.toJS());
      switch (outcome.kind) {
        case "value":
          if (!outcome.value) details.push(`resource ${name} failed validation expression ${expression}`);
          break;
        case "missing-field":
          details.push(
            `resource ${name} failed validation expression ${expression}: it reads a field the resource does not have (${outcome.message}); guard optional fields with has(), e.g. !has(r.spec.x) || r.spec.x > 0`,
          );
          break;
        case "not-bool":
          errors.push(
            `expression ${expression} does not evaluate to a boolean: on resource ${name} it gives a value of type ${outcome.type}`,
          );
          break;
        case "error":
          errors.push(
            `validation expression ${expression} resulted in error on resource ${name}: ${outcome.message}`,
          );
          break;
        case "too-costly":
          errors.push(
            `validation expression ${expression} is too costly for resource ${name}: its estimated cost ${outcome.cost} exceeds the limit of ${CEL_COST_LIMIT} (the resource's largest list or map has ${outcome.largestCollection} entries, and each nested comprehension multiplies by it)`,
          );
          break;
      }
    }
    if (errors.length > 0) throw FunctionError.join(errors);
    const result: ValidationResult = { Passed: details.length === 0, Index: 0 };
    if (details.length > 0) result.Details = details;
    return { output: result };
  },
});

export const celFunctions: readonly FunctionDefinition[] = [celValidate];

/**
 * Compiled programs by expression: the argument check and every Unit of a call run the same
 * expression, so it is parsed once, not once per Unit. A program holds no per-resource state.
 */
const compiled = new Map<string, CelProgram>();
let celModule: typeof CelProgramModule | undefined;
const COMPILED_LIMIT = 100;

function compile(expression: string): CelProgram {
  const cached = compiled.get(expression);
  if (cached) return cached;
  if (!celModule) throw new Error("cel-validate ran before its load(): the engine awaits load() first");
  const { CelCompileError, CelProgram } = celModule;
  try {
    const program = new CelProgram(expression);
    // Oldest first out: a Map iterates in insertion order.
    if (compiled.size >= COMPILED_LIMIT) compiled.delete(compiled.keys().next().value!);
    compiled.set(expression, program);
    return program;
  } catch (error) {
    if (error instanceof CelCompileError) {
      throw new FunctionError(`failed to compile expression ${expression}: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}

/** The resource's scoped name; a document without one is reported and called by its position. */
function resourceName(document: ConfigDocument, errors: string[]): string {
  try {
    return resourceDisplayName(document.identity());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    errors.push(`could not extract resource name: ${error.message}`);
    return `(document ${document.index})`;
  }
}

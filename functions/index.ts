// The standard function library: every built-in definition, in registration order. A function module
// (functions/generic/*.ts, functions/kubernetes/*.ts, functions/properties/*.ts) exports its FunctionDefinition(s) and is added
// here; the CLI and the server build their registry with FunctionRegistry.from(standardFunctions).
// See docs/writing-functions.md.
import type { FunctionDefinition, SignatureDeclaration } from "../src/engine/index.ts";
import { approvalFunctions } from "./generic/approval.ts";
import { attributeFunctions } from "./generic/attributes.ts";
import { celFunctions } from "./generic/cel-validate.ts";
import { ensureContextFunctions } from "./generic/ensure-context.ts";
import { jsonPathFunctions } from "./generic/jsonpath.ts";
import { mutationFunctions } from "./generic/mutations.ts";
import { nameFunctions } from "./generic/names.ts";
import { needsProvidesFunctions } from "./generic/needs-provides.ts";
import { pathFunctions } from "./generic/paths.ts";
import { placeholderFunctions } from "./generic/placeholders.ts";
import { resourceFunctions } from "./generic/resources.ts";
import { whereFilterFunctions } from "./generic/where-filter.ts";
import { yqFunctions } from "./generic/yq.ts";
import { containerResourceFunctions } from "./kubernetes/container-resources.ts";
import { containerFunctions } from "./kubernetes/containers.ts";
import { ensureFunctions } from "./kubernetes/ensure.ts";
import { envFunctions } from "./kubernetes/env.ts";
import { hostnameFunctions } from "./kubernetes/hostnames.ts";
import { imageFunctions } from "./kubernetes/images.ts";
import { metadataFunctions } from "./kubernetes/metadata.ts";
import { podDefaultFunctions } from "./kubernetes/pod-defaults.ts";
import { neededNamespaceFunctions } from "./kubernetes/needed-namespaces.ts";
import { validateFunctions } from "./kubernetes/validate.ts";
import { patternHints } from "./kubernetes/parameter-patterns.ts";
import { propertiesFunctions } from "./properties/validate.ts";

const definitions: readonly FunctionDefinition[] = [
  ...resourceFunctions,
  ...placeholderFunctions,
  ...nameFunctions,
  ...needsProvidesFunctions,
  ...pathFunctions,
  ...attributeFunctions,
  ...containerFunctions,
  ...envFunctions,
  ...imageFunctions,
  ...metadataFunctions,
  ...neededNamespaceFunctions,
  ...hostnameFunctions,
  ...validateFunctions,
  ...celFunctions,
  ...yqFunctions,
  ...jsonPathFunctions,
  ...approvalFunctions,
  ...ensureFunctions,
  ...ensureContextFunctions,
  ...containerResourceFunctions,
  ...podDefaultFunctions,
  ...mutationFunctions,
  ...whereFilterFunctions,
  ...propertiesFunctions,
];

/** Each definition with the words for its parameters' patterns (parameter-patterns.ts), in one place. */
function withPatternHints(definition: FunctionDefinition): FunctionDefinition {
  const declarations: SignatureDeclaration[] =
    typeof definition.signature === "function"
      ? definition.toolchains.map((toolchain) =>
          (definition.signature as (t: typeof toolchain) => SignatureDeclaration)(toolchain),
        )
      : [definition.signature];
  const hints: Record<string, string> = {};
  for (const declaration of declarations) {
    for (const parameter of declaration.Parameters ?? []) {
      const hint = parameter.Regexp === undefined ? undefined : patternHints.get(parameter.Regexp);
      if (hint !== undefined) hints[parameter.ParameterName] = hint;
    }
  }
  if (Object.keys(hints).length === 0) return definition;
  return { ...definition, argumentHints: { ...hints, ...definition.argumentHints } };
}

export const standardFunctions: readonly FunctionDefinition[] = definitions.map(withPatternHints);

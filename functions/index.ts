// The standard function library: every built-in definition, in registration order. A function module
// (functions/generic/*.ts, functions/kubernetes/*.ts, functions/properties/*.ts) exports its FunctionDefinition(s) and is added
// here; the CLI and the server build their registry with FunctionRegistry.from(standardFunctions).
// See docs/writing-functions.md.
import type { FunctionDefinition } from "../src/engine/index.ts";
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
import { propertiesFunctions } from "./properties/validate.ts";

export const standardFunctions: readonly FunctionDefinition[] = [
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

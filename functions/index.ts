// The standard function library: every built-in definition, in registration order. A function module
// (functions/generic/*.ts, functions/kubernetes/*.ts) exports its FunctionDefinition(s) and is added
// here; the CLI and the server build their registry with FunctionRegistry.from(standardFunctions).
// See docs/writing-functions.md.
import type { FunctionDefinition } from "../src/engine/function-definition.ts";
import { resourceFunctions } from "./generic/resources.ts";

export const standardFunctions: readonly FunctionDefinition[] = [...resourceFunctions];

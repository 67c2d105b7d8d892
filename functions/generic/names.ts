// Name functions (spec §5.1): default names for resources and app labels from the Unit and Space.
import type { FunctionDefinition } from "../../src/engine/index.ts";
import { setDefaultNames } from "./names/set-default-names.ts";

export const nameFunctions: readonly FunctionDefinition[] = [setDefaultNames];

// Needs and provides (spec §5.1): what a Unit still needs from other Units (placeholders in
// registered reference paths) and what it provides to them (the names of its resources).
import type { FunctionDefinition } from "../../src/engine/index.ts";
import { getNeeded } from "./needs-provides/get-needed.ts";
import { getProvided } from "./needs-provides/get-provided.ts";

export const needsProvidesFunctions: readonly FunctionDefinition[] = [getNeeded, getProvided];

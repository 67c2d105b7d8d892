// Environment variable functions (spec §5.2): set-env. The single-variable get/set-env-var pair is a
// registry pair in containers.ts.
import type { FunctionDefinition } from "../../src/engine/index.ts";
import { setEnv } from "./env/set-env.ts";

export const envFunctions: readonly FunctionDefinition[] = [setEnv];

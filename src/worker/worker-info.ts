// The registration a worker sends as the body of every stream request: its functions' complete
// signatures by toolchain (exactly as `confn function list` shows built-ins), and no deployment
// bridge (a function worker offers no targets, like ConfigHub's NewEmptyExecutor workers).
import type { FunctionRegistry } from "../engine/index.ts";
import type { WorkerInfo } from "../worker-protocol/index.ts";

export function workerInfoOf(registry: FunctionRegistry): WorkerInfo {
  const supported = registry.list();
  return {
    BridgeWorkerInfo: { SupportedConfigTypes: [] },
    FunctionWorkerInfo: {
      SupportedFunctions: supported,
      ToolchainTypes: Object.keys(supported),
    },
  };
}

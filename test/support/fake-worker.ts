// A bridge worker inside the test process: a WorkerExecutor (the seam the server's worker
// connections implement) that runs the standard functions it advertises with the engine, as a
// TypeScript worker would, and can be told to misbehave per Unit: fail, time out, be disconnected,
// be busy, or answer with configuration data that does not parse.
import {
  execute,
  FunctionRegistry,
  fromBase64,
  toFunctionInvocationResponse,
  type FunctionInvocationRequest,
  type FunctionInvocationResponse,
} from "../../src/engine/index.ts";
import { WorkerDispatchError, type RegisteredWorker, type WorkerExecutor } from "../../src/invoke/index.ts";
import { standardFunctions } from "../../functions/index.ts";

const registry = FunctionRegistry.from(standardFunctions);

export type Misbehaviour = "fail" | "timeout" | "disconnected" | "busy" | "garbage" | "bad-mutations";

export class FakeWorker implements WorkerExecutor {
  readonly requests: FunctionInvocationRequest[] = [];
  /** What to do instead of answering, per UnitSlug (`*`: every Unit). */
  readonly misbehave = new Map<string, Misbehaviour>();
  private inFlight = 0;
  maxInFlight = 0;

  constructor(
    readonly organizationId: string,
    readonly workerId: string,
    private readonly functionNames: readonly string[] = ["set-label", "cel-validate"],
    readonly slug = "policy",
  ) {}

  registeredWorker(organizationId: string, bridgeWorkerId: string): Promise<RegisteredWorker | null> {
    if (organizationId !== this.organizationId || bridgeWorkerId !== this.workerId)
      return Promise.resolve(null);
    const all = registry.list("Kubernetes/YAML")["Kubernetes/YAML"] ?? {};
    const mine = Object.fromEntries(this.functionNames.map((name) => [name, all[name]!]));
    return Promise.resolve({ slug: this.slug, signatures: { "Kubernetes/YAML": mine } });
  }

  async invoke(
    organizationId: string,
    bridgeWorkerId: string,
    request: FunctionInvocationRequest,
  ): Promise<FunctionInvocationResponse> {
    if (organizationId !== this.organizationId || bridgeWorkerId !== this.workerId) {
      throw new WorkerDispatchError("WORKER_DISCONNECTED", "no such worker");
    }
    this.requests.push(request);
    const misbehaviour = this.misbehave.get(request.UnitSlug) ?? this.misbehave.get("*");
    if (misbehaviour === "disconnected")
      throw new WorkerDispatchError("WORKER_DISCONNECTED", "no connected stream");
    if (misbehaviour === "busy") throw new WorkerDispatchError("WORKER_BUSY", "64 operations outstanding", 7);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      // Yield, so the server can put several Units in flight at once.
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (misbehaviour === "timeout") throw new WorkerDispatchError("WORKER_TIMEOUT", "no result within 30s");
      const result = await execute({
        registry,
        context: request,
        configData: fromBase64(request.ConfigData),
        invocations: request.FunctionInvocations ?? [],
        options: {
          numFilters: request.NumFilters,
          stopOnError: request.StopOnError,
          combineValidationResults: request.CombineValidationResults,
          castStringArgsToScalars: request.CastStringArgsToScalars,
        },
      });
      const response = toFunctionInvocationResponse(result);
      if (misbehaviour === "fail")
        return { ...response, Success: false, ErrorMessages: ["the policy service said no"] };
      if (misbehaviour === "garbage") {
        return { ...response, ConfigData: Buffer.from("kind: [unclosed\n  : :").toString("base64") };
      }
      if (misbehaviour === "bad-mutations") {
        // Attributed to a function the request did not have.
        const [first, ...rest] = response.Mutations;
        const info = { ...first!.ResourceMutationInfo, Index: 7 };
        return { ...response, Mutations: [{ ...first!, ResourceMutationInfo: info }, ...rest] };
      }
      return response;
    } finally {
      this.inFlight--;
    }
  }
}

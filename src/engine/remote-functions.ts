// A bridge worker's functions as the engine sees them: its FunctionSignatures registered like
// built-ins (so arguments are validated, and saved calls phased, by exactly the same code), with an
// implementation that never runs here: the executor sends these functions to the worker instead
// (executor/remote.ts). A signature the registry refuses (a malformed name, an invalid regexp) is
// left out, so a call of it is an unknown function with a did-you-mean over the valid ones.
import type { FunctionDefinition } from "./function-definition.ts";
import { FunctionRegistry } from "./registry.ts";
import { RegistrationError } from "./errors.ts";
import type { FunctionSignature, FunctionSignatureMap, ToolchainType } from "./types.ts";

export interface RemoteFunctions {
  readonly registry: FunctionRegistry;
  /** `function <name> (<toolchain>): <why>` for each signature left out. */
  readonly refused: readonly string[];
}

export function remoteFunctions(signatures: FunctionSignatureMap): RemoteFunctions {
  const registry = new FunctionRegistry();
  const refused: string[] = [];
  for (const [toolchain, byName] of Object.entries(signatures) as [
    ToolchainType,
    Record<string, FunctionSignature>,
  ][]) {
    for (const signature of Object.values(byName ?? {})) {
      try {
        registry.register(remoteDefinition(toolchain, signature));
      } catch (error) {
        if (!(error instanceof RegistrationError)) throw error;
        refused.push(`function ${String(signature.FunctionName)} (${toolchain}): ${error.message}`);
      }
    }
  }
  return { registry, refused };
}

function remoteDefinition(toolchain: ToolchainType, signature: FunctionSignature): FunctionDefinition {
  return {
    signature: {
      FunctionName: signature.FunctionName,
      Description: signature.Description ?? "",
      Parameters: (signature.Parameters ?? []).map((p) => ({ ...p })),
      VarArgs: signature.VarArgs ?? false,
      OutputInfo: signature.OutputInfo ?? null,
      Mutating: signature.Mutating ?? false,
      Validating: signature.Validating ?? false,
      Hermetic: signature.Hermetic ?? true,
      Idempotent: signature.Idempotent ?? true,
      ...(signature.FunctionType ? { FunctionType: signature.FunctionType } : {}),
      ...(signature.AttributeName ? { AttributeName: signature.AttributeName } : {}),
      ...(signature.AffectedResourceTypes ? { AffectedResourceTypes: signature.AffectedResourceTypes } : {}),
    },
    toolchains: [toolchain],
    ...(signature.FinalMutating === true && signature.Mutating ? { finalMutating: true } : {}),
    invoke() {
      // The executor dispatches remote steps as a batch; reaching this is a bug in the executor.
      throw new Error(`function ${signature.FunctionName} runs on its bridge worker, not in this process`);
    },
  };
}

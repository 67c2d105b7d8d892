// `confn function list --local` and `confn function explain NAME --local`: the standard library's
// signatures, read from this installation's registry (no server).
import type { Command } from "commander";
import type { FunctionSignature, ToolchainType } from "../../engine/types.ts";
import { isToolchainType } from "../../engine/types.ts";
import { formatFunctionExplanation, formatFunctionList } from "../output/function-listing.ts";
import { CliUsageError } from "../cli-error.ts";
import { localRegistry, runAction } from "./do.ts";

interface ListingFlags {
  local?: boolean;
  toolchain: string;
  json?: boolean;
}

function toolchainOf(flags: ListingFlags): ToolchainType {
  if (!isToolchainType(flags.toolchain)) {
    throw new CliUsageError(
      `--toolchain ${flags.toolchain}: expected Kubernetes/YAML, AppConfig/Properties or OpenTofu/HCL`,
    );
  }
  return flags.toolchain;
}

function requireLocal(flags: ListingFlags, what: string): void {
  // Server listings (GET /api/function) belong to the server client; this command reads the local registry.
  if (!flags.local)
    throw new CliUsageError(
      `only local listings are available here: pass --local (the ${what} of a server is not implemented in this command)`,
    );
}

export function listFunctions(flags: ListingFlags): string {
  requireLocal(flags, "function list");
  const toolchain = toolchainOf(flags);
  const listing = localRegistry().list(toolchain);
  if (flags.json) return `${JSON.stringify(listing, null, 2)}\n`;
  return formatFunctionList(Object.values(listing[toolchain] ?? {}));
}

export function explainFunction(name: string, flags: ListingFlags): string {
  requireLocal(flags, "function explain");
  const toolchain = toolchainOf(flags);
  const fn = localRegistry().lookup(toolchain, name);
  if (!fn) {
    throw new CliUsageError(
      `function ${name} does not exist for toolchain ${toolchain} (see confn function list --local)`,
    );
  }
  const signature: FunctionSignature = fn.signature;
  return flags.json ? `${JSON.stringify(signature, null, 2)}\n` : formatFunctionExplanation(signature);
}

export function register(program: Command): void {
  const fn = program.command("function").description("list and explain functions");
  fn.command("list")
    .description("list the functions of a toolchain")
    .option("--local", "read this installation's standard library (no server)")
    .option("--toolchain <type>", "toolchain to list", "Kubernetes/YAML")
    .option("--json", "print { ToolchainType: { name: FunctionSignature } }")
    .action(async (flags: ListingFlags) => {
      await runAction(async () => ({ text: listFunctions(flags), exitCode: 0 }));
    });
  fn.command("explain")
    .description("describe one function: usage, properties and parameters")
    .argument("<name>", "function name")
    .option("--local", "read this installation's standard library (no server)")
    .option("--toolchain <type>", "toolchain of the function", "Kubernetes/YAML")
    .option("--json", "print the FunctionSignature")
    .action(async (name: string, flags: ListingFlags) => {
      await runAction(async () => ({ text: explainFunction(name, flags), exitCode: 0 }));
    });
}

// Function registry: one namespace of signatures per toolchain, plus the implementation of each.
// Registration applies spec §3.1 "At registration" and rejects malformed signatures up front, so a bad
// function module fails at start-up rather than on a user's invocation. Parameter patterns are the
// exception: compiling every RE2 pattern of the library costs more than the rest of a CLI call
// (issue 16 §1), so a pattern compiles when its function is first checked, and a server compiles
// them all at start (loadAll), where a malformed one still stops it.
import { RE2JS } from "re2js";
import { RegistrationError } from "./errors.ts";
import type { FunctionDefinition, SignatureDeclaration } from "./function-definition.ts";
import type { FunctionParameter, FunctionSignature, FunctionSignatureMap, ToolchainType } from "./types.ts";
import { isToolchainType, TOOLCHAIN_TYPES } from "./types.ts";

/** fctl's rule for function names, made non-empty. */
const FUNCTION_NAME = /^[a-z0-9_-]+$/;

export interface RegisteredFunction {
  readonly toolchain: ToolchainType;
  /** Complete and frozen, as listed. */
  readonly signature: Readonly<FunctionSignature>;
  readonly finalMutating: boolean;
  readonly definition: FunctionDefinition;
  /**
   * Compiled parameter regexps by parameter name (RE2 semantics, matched against the whole value),
   * compiled at first use; `get` throws a RegistrationError for a malformed pattern.
   */
  readonly parameterPatterns: { get(parameterName: string): RE2JS | undefined };
}

/** What the executor needs from a set of functions: the builtin registry or a bridge worker's. */
export interface FunctionLookup {
  lookup(toolchain: ToolchainType, functionName: string): RegisteredFunction | undefined;
}

export class FunctionRegistry implements FunctionLookup {
  private readonly byToolchain = new Map<ToolchainType, Map<string, RegisteredFunction>>();

  static from(definitions: Iterable<FunctionDefinition>): FunctionRegistry {
    const registry = new FunctionRegistry();
    for (const definition of definitions) registry.register(definition);
    return registry;
  }

  /** Registers `definition` in each of its toolchains; all or nothing. */
  register(definition: FunctionDefinition): void {
    if (definition.toolchains.length === 0) {
      throw new RegistrationError(
        `function ${declarationName(definition)} lists no toolchains`,
        declarationName(definition),
      );
    }
    // A worker module is plain JavaScript too: a misspelt toolchain is named, not registered nowhere.
    const unknown = definition.toolchains.find((t) => typeof t !== "string" || !isToolchainType(t));
    if (unknown !== undefined) {
      const name = declarationName(definition);
      throw new RegistrationError(
        `function ${name}: toolchain ${String(unknown)} is not one of ${TOOLCHAIN_TYPES.join(", ")}`,
        name,
      );
    }
    const prepared = definition.toolchains.map((toolchain) => prepare(definition, toolchain));
    for (const entry of prepared) {
      if (this.byToolchain.get(entry.toolchain)?.has(entry.signature.FunctionName)) {
        throw new RegistrationError(
          `function ${entry.signature.FunctionName} is already registered for toolchain ${entry.toolchain}`,
          entry.signature.FunctionName,
        );
      }
    }
    for (const entry of prepared) {
      let functions = this.byToolchain.get(entry.toolchain);
      if (!functions) {
        functions = new Map();
        this.byToolchain.set(entry.toolchain, functions);
      }
      functions.set(entry.signature.FunctionName, entry);
    }
  }

  lookup(toolchain: ToolchainType, functionName: string): RegisteredFunction | undefined {
    return this.byToolchain.get(toolchain)?.get(functionName);
  }

  /**
   * Loads every function's lazily imported modules (FunctionDefinition.load), for a server, whose
   * argument checks run before the engine does and which should pay the cost once, at start.
   */
  async loadAll(): Promise<void> {
    const definitions = new Set<FunctionDefinition>();
    for (const functions of this.byToolchain.values()) {
      for (const fn of functions.values()) definitions.add(fn.definition);
    }
    await Promise.all([...definitions].map((definition) => definition.load?.()));
    for (const functions of this.byToolchain.values()) {
      for (const fn of functions.values()) {
        for (const p of fn.signature.Parameters) fn.parameterPatterns.get(p.ParameterName);
      }
    }
  }

  /** Function names of one toolchain, sorted. */
  names(toolchain: ToolchainType): string[] {
    return [...(this.byToolchain.get(toolchain)?.keys() ?? [])].sort();
  }

  /** `{ "<ToolchainType>": { "<name>": FunctionSignature } }`, names sorted, toolchains in canonical order. */
  list(toolchain?: ToolchainType): FunctionSignatureMap {
    const result: FunctionSignatureMap = {};
    for (const t of TOOLCHAIN_TYPES) {
      if (toolchain !== undefined && t !== toolchain) continue;
      const functions = this.byToolchain.get(t);
      if (!functions || functions.size === 0) continue;
      const byName: Record<string, FunctionSignature> = {};
      for (const name of [...functions.keys()].sort()) byName[name] = functions.get(name)!.signature;
      result[t] = byName;
    }
    return result;
  }
}

function declarationName(definition: FunctionDefinition): string {
  const declaration =
    typeof definition.signature === "function"
      ? definition.signature(definition.toolchains[0] ?? "Kubernetes/YAML")
      : definition.signature;
  return declaration.FunctionName;
}

function prepare(definition: FunctionDefinition, toolchain: ToolchainType): RegisteredFunction {
  const declaration: SignatureDeclaration =
    typeof definition.signature === "function" ? definition.signature(toolchain) : definition.signature;
  const name = declaration.FunctionName;
  const fail = (message: string): never => {
    throw new RegistrationError(`function ${name}: ${message}`, name);
  };
  if (typeof name !== "string") {
    throw new RegistrationError(
      "a function's signature has no FunctionName (a string such as set-cost-center)",
      String(name),
    );
  }
  if (!FUNCTION_NAME.test(name)) fail("name must match ^[a-z0-9_-]+$");
  if (declaration.Description !== undefined && typeof declaration.Description !== "string") {
    fail("Description must be a string");
  }

  const parameters = (declaration.Parameters ?? []).map((p) => ({ ...p }));
  const patternSources = new Map<string, string>();
  const seen = new Set<string>();
  for (const p of parameters) {
    if (!p.ParameterName) fail("a parameter has no ParameterName");
    if (seen.has(p.ParameterName)) fail(`parameter ${p.ParameterName} is declared twice`);
    seen.add(p.ParameterName);
    checkConstraints(p, fail);
    if (p.Regexp) patternSources.set(p.ParameterName, p.Regexp);
  }
  const varArgs = declaration.VarArgs ?? false;
  if (varArgs && parameters.length === 0) fail("VarArgs needs at least one parameter");

  const outputInfo = declaration.OutputInfo ?? null;
  // Spec §3.1: OutputType ValidationResult forces Validating; Validating with another type is rejected.
  const validating = outputInfo?.OutputType === "ValidationResult" ? true : (declaration.Validating ?? false);
  if (validating && outputInfo?.OutputType !== "ValidationResult") {
    fail("a validating function must declare OutputInfo.OutputType ValidationResult");
  }
  const mutating = declaration.Mutating ?? false;
  if (mutating && validating) fail("a function cannot be both Mutating and Validating");
  const finalMutating = definition.finalMutating ?? false;
  if (finalMutating && !mutating) fail("finalMutating requires Mutating");

  // Key order follows Go's FunctionSignature so JSON listings read like ConfigHub's.
  const signature: FunctionSignature = {
    FunctionName: name,
    Parameters: parameters,
    RequiredParameters: parameters.filter((p) => p.Required).length,
    VarArgs: varArgs,
    OutputInfo: outputInfo === null ? null : { ...outputInfo },
    Mutating: mutating,
    Validating: validating,
    Hermetic: declaration.Hermetic ?? true,
    Idempotent: declaration.Idempotent ?? true,
    // A worker module may leave it out, as a Go worker may: listings show it empty.
    Description: declaration.Description ?? "",
    FunctionType: declaration.FunctionType ?? "Custom",
    ...(declaration.AttributeName ? { AttributeName: declaration.AttributeName } : {}),
    ...(declaration.AffectedResourceTypes?.length
      ? { AffectedResourceTypes: [...declaration.AffectedResourceTypes] }
      : {}),
    ToolchainType: toolchain,
    ...(finalMutating ? { FinalMutating: true } : {}),
  };
  return {
    toolchain,
    signature: deepFreeze(signature),
    finalMutating,
    definition,
    parameterPatterns: lazyPatterns(patternSources, fail),
  };
}

/** Each pattern compiled at its first `get` and kept; a malformed one fails every `get`. */
function lazyPatterns(
  sources: ReadonlyMap<string, string>,
  fail: (message: string) => never,
): RegisteredFunction["parameterPatterns"] {
  const compiled = new Map<string, RE2JS>();
  return {
    get(parameterName) {
      const source = sources.get(parameterName);
      if (source === undefined) return undefined;
      let pattern = compiled.get(parameterName);
      if (!pattern) {
        try {
          pattern = RE2JS.compile(source);
        } catch (error) {
          fail(`validation regexp ${source} of parameter ${parameterName} is invalid: ${String(error)}`);
        }
        compiled.set(parameterName, pattern!);
      }
      return pattern;
    },
  };
}

function checkConstraints(p: FunctionParameter, fail: (message: string) => never): void {
  const bounded = p.Min !== undefined || p.Max !== undefined;
  if (bounded && p.DataType !== "int") fail(`parameter ${p.ParameterName}: Min/Max apply to int parameters`);
  if (p.Min !== undefined && p.Max !== undefined && p.Min > p.Max) {
    fail(`parameter ${p.ParameterName}: Min ${p.Min} is greater than Max ${p.Max}`);
  }
  if (p.DataType === "enum" && !p.EnumValues?.length) {
    fail(`parameter ${p.ParameterName}: an enum parameter needs EnumValues`);
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

// Mutation functions (spec §4): compute-mutations diffs previous data against the Unit's data with
// the engine's own diff; patch-mutations replays mutations onto the data under predicates; reset puts
// placeholders back where predicates say so. Both lists travel as ResourceMutationList JSON.
import { ConfigError, parseConfig, toolchainIdentity } from "../../src/config/index.ts";
import type { ConfigDocumentSet } from "../../src/config/index.ts";
import {
  FunctionError,
  defineFunction,
  type FunctionDefinition,
  computeMutations,
  type DocumentSnapshot,
} from "../../src/engine/index.ts";
import type { ResourceCategory, ResourceMutationList } from "../../src/engine/index.ts";
import { parseMutationListArgument } from "./mutations/mutation-list-argument.ts";
import { mutationPath } from "./mutations/mutation-paths.ts";
import { patchDocuments } from "./mutations/patch-documents.ts";
import { resetDocuments } from "./mutations/reset-documents.ts";
import { GENERIC_TOOLCHAINS } from "./generic-toolchains.ts";

export const computeMutationsFunction = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: {
    FunctionName: "compute-mutations",
    Description:
      "Diffs the input with the config data and returns a list of mutations made to the config data",
    Parameters: [
      {
        ParameterName: "config-doc-list",
        Description: "Document list with the previous config data",
        Required: true,
        DataType: "YAML",
      },
      {
        ParameterName: "functionIndex",
        Description: "index of the function from the invocation list that mutated the config data",
        Required: true,
        DataType: "int",
      },
      {
        ParameterName: "alreadyConverted",
        Description: "if true, the config-doc-list is already converted to YAML",
        Required: false,
        DataType: "bool",
      },
    ],
    OutputInfo: {
      ResultName: "mutations",
      Description: "List of mutations in the same order as the resources in the config data",
      OutputType: "ResourceMutationList",
    },
    AffectedResourceTypes: ["*"],
  },
  invoke({ data, args }) {
    // alreadyConverted: the list is a non-YAML toolchain's YAML view rather than its native text
    // (Kubernetes/YAML data is YAML either way).
    const converted = args.optionalBool("alreadyConverted", false);
    const previous = parsePrevious(args.string("config-doc-list"), data.toolchain, converted);
    const index = args.int("functionIndex");
    const identity = toolchainIdentity(data.toolchain);
    const computed = computeMutations(
      snapshots(previous, "invalid config-doc-list"),
      snapshots(data),
      index,
      (a, b) => identity.similarTypes(a, b),
    );
    const output: ResourceMutationList = computed.map((c) => c.mutation);
    return { output };
  },
});

export const patchMutations = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: {
    FunctionName: "patch-mutations",
    Description: "Selectively patch attributes if their mutations indicate they are patchable",
    Parameters: [
      {
        ParameterName: "mutation-predicates",
        Description: "Mutations with predicates set to true if they are patchable",
        Required: true,
        DataType: "ResourceMutationList",
      },
      {
        ParameterName: "mutation-patch",
        Description: "Mutations to filter and patch",
        Required: true,
        DataType: "ResourceMutationList",
      },
    ],
    Mutating: true,
    AffectedResourceTypes: ["*"],
  },
  invoke({ data, args }) {
    const predicates = parseMutationListArgument(args.string("mutation-predicates"), "mutation-predicates");
    const patch = parseMutationListArgument(args.string("mutation-patch"), "mutation-patch");
    patchDocuments(data, predicates, patch);
  },
});

export const reset = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: {
    FunctionName: "reset",
    Description:
      "Sets attributes back to placeholder values if last set by mutations that match the predicates",
    Parameters: [
      {
        ParameterName: "mutation-predicates",
        Description: "Mutations with predicates set to true if they should be reset",
        Required: true,
        DataType: "ResourceMutationList",
      },
    ],
    Mutating: true,
    AffectedResourceTypes: ["*"],
  },
  invoke({ data, args }) {
    resetDocuments(
      data,
      parseMutationListArgument(args.string("mutation-predicates"), "mutation-predicates"),
    );
  },
});

export const mutationFunctions: readonly FunctionDefinition[] = [
  computeMutationsFunction,
  patchMutations,
  reset,
];

function parsePrevious(
  text: string,
  toolchain: ConfigDocumentSet["toolchain"],
  yamlView: boolean,
): ConfigDocumentSet {
  try {
    return parseConfig(text, { toolchain, yamlView });
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new FunctionError(`invalid config-doc-list: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** `problem` prefixes identity errors (a document without kind or name) of data from an argument. */
function snapshots(data: ConfigDocumentSet, problem?: string): DocumentSnapshot[] {
  return data.documents.map((document) => {
    let identity;
    try {
      identity = document.identity();
    } catch (error) {
      if (problem !== undefined && error instanceof ConfigError) {
        throw new FunctionError(`${problem}: ${error.message}`, { cause: error });
      }
      throw error;
    }
    return {
      info: {
        ResourceName: identity.name,
        ResourceNameWithoutScope: identity.nameWithoutScope,
        ResourceType: identity.type,
        ResourceCategory: identity.category as ResourceCategory,
      },
      value: document.toJS(),
      text: () => document.toString(),
      commentedText: (path) =>
        path === "" ? undefined : document.commentedText(mutationPath(document.toJS(), path, "")),
    };
  });
}

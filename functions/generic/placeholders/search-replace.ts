// search-replace: replaces every occurrence of a text inside string values (spec §5.1). Each match
// is replaced in its own resource; ConfigHub wrote the first match's new value into every resource
// of the same type at that path (design §9).
import { defineFunction, FunctionError } from "../../../src/engine/index.ts";
import { identifyAll } from "../../path-visitor/index.ts";
import { scalarLeaves } from "./scalar-leaves.ts";
import { GENERIC_TOOLCHAINS } from "../generic-toolchains.ts";

export const searchReplace = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: {
    FunctionName: "search-replace",
    Description:
      "Replace all instances of the search-value in all strings of all resource types with replace-value",
    Parameters: [
      {
        ParameterName: "search-value",
        Description: "Value to search for",
        Required: true,
        DataType: "string",
      },
      {
        ParameterName: "replace-value",
        Description: "Value to use as the replacement for search-value",
        Required: true,
        DataType: "string",
      },
    ],
    Mutating: true,
    AffectedResourceTypes: ["*"],
  },
  invoke({ data, args }) {
    const search = args.string("search-value");
    const replacement = args.string("replace-value");
    if (search === "") {
      // Every string contains "": replacing it would put the replacement between all characters.
      throw new FunctionError("search-value must not be empty");
    }
    // Like ConfigHub, fail before editing anything when a document has no type or name.
    identifyAll(data);
    for (const document of data.documents) {
      const leaves = scalarLeaves(document, (value) => typeof value === "string" && value.includes(search));
      for (const { resolved, value } of leaves) {
        document.set(resolved, (value as string).replaceAll(search, replacement));
      }
    }
  },
});

// Resource functions (spec §5.1): list, add, replace, delete and replicate whole resources, and set
// the references that point at resources of a type.
import type { FunctionDefinition } from "../../src/engine/index.ts";
import { deleteResource } from "./resources/delete-resource.ts";
import { getResources } from "./resources/get-resources.ts";
import { getResourcesOfType } from "./resources/get-resources-of-type.ts";
import { replicate } from "./resources/replicate.ts";
import { setReferencesOfType } from "./resources/set-references-of-type.ts";
import { upsertResource } from "./resources/upsert-resource.ts";

export const resourceFunctions: readonly FunctionDefinition[] = [
  getResources,
  getResourcesOfType,
  setReferencesOfType,
  upsertResource,
  deleteResource,
  replicate,
];

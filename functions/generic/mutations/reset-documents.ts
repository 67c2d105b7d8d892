// reset (spec §4.5): puts placeholders back where the predicates say the last mutation should be
// undone: a string becomes `confighubplaceholder`, an integer 999999999, and anything else (maps,
// lists, booleans, floats) is left alone, as are paths the resource no longer has.
import { describeResource, ConfigError } from "../../../src/config/index.ts";
import type { ConfigDocumentSet } from "../../../src/config/index.ts";
import { FunctionError } from "../../../src/engine/index.ts";
import type { ResourceMutationList } from "../../../src/engine/index.ts";
import { PLACEHOLDER_INT, PLACEHOLDER_STRING } from "../placeholders/placeholder-values.ts";
import { mutationPath, valueAt } from "./mutation-paths.ts";
import { byKey, resourceKey } from "./patch-documents.ts";

export function resetDocuments(data: ConfigDocumentSet, predicates: ResourceMutationList): void {
  const predicateFor = byKey(predicates);
  for (const document of data.documents) {
    const resource = document.identity();
    const entry = predicateFor.get(resourceKey(resource.type, resource.nameWithoutScope));
    if (!entry) continue;
    const where = `of ${describeResource(resource)}`;
    for (const [path, mutation] of Object.entries(entry.PathMutationMap)) {
      if (!mutation.Predicate) continue;
      const location = mutationPath(document.toJS(), path, where);
      const { present, value } = valueAt(document.toJS(), location.segments);
      if (!present) continue;
      const placeholder =
        typeof value === "string"
          ? PLACEHOLDER_STRING
          : typeof value === "number" && Number.isInteger(value)
            ? PLACEHOLDER_INT
            : undefined;
      if (placeholder === undefined) continue;
      try {
        document.set(location, placeholder);
      } catch (error) {
        if (error instanceof ConfigError) {
          throw new FunctionError(`cannot reset ${path} ${where}: ${error.message}`, { cause: error });
        }
        throw error;
      }
    }
  }
}

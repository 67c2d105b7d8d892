// The attribute catalogues by entity type (the `From` of a Filter).
import { bridgeWorkerCatalogue } from "./bridge-worker.ts";
import { changeSetCatalogue } from "./change-set.ts";
import type { Catalogue } from "./define.ts";
import { filterCatalogue } from "./filter.ts";
import { functionSignatureCatalogue } from "./function-signature.ts";
import { invocationCatalogue } from "./invocation.ts";
import { mutationCatalogue } from "./mutation.ts";
import { revisionCatalogue } from "./revision.ts";
import { spaceCatalogue } from "./space.ts";
import { triggerCatalogue } from "./trigger.ts";
import { unitCatalogue } from "./unit.ts";

export { defineCatalogue, describeType, snakeCase } from "./define.ts";
export type {
  AttributeDefinition,
  AttributeSpec,
  AttributeType,
  Catalogue,
  CatalogueDefinition,
  ScalarType,
  TypeShorthand,
} from "./define.ts";
export {
  bridgeWorkerCatalogue,
  changeSetCatalogue,
  filterCatalogue,
  functionSignatureCatalogue,
  invocationCatalogue,
  mutationCatalogue,
  revisionCatalogue,
  spaceCatalogue,
  triggerCatalogue,
  unitCatalogue,
};

export const catalogues: ReadonlyMap<string, Catalogue> = new Map(
  [
    unitCatalogue,
    spaceCatalogue,
    triggerCatalogue,
    functionSignatureCatalogue,
    filterCatalogue,
    invocationCatalogue,
    changeSetCatalogue,
    bridgeWorkerCatalogue,
    revisionCatalogue,
    mutationCatalogue,
  ].map((c) => [c.entity, c]),
);

/** The catalogue for an entity type, or undefined when `where` does not cover it. */
export function catalogueFor(entity: string): Catalogue | undefined {
  return catalogues.get(entity);
}

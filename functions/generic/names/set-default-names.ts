// set-default-names: gives the registered default-name attributes (resource names, app labels and
// their selectors) that still hold a placeholder a name generated from the Unit and Space slugs,
// `mydeployment-deepspace` for Unit MyDeployment in Space DeepSpace (spec §5.1). The whole value is
// replaced, not just the placeholder part, because reset puts whole values back to the placeholder.
import { defineFunction, FunctionError } from "../../../src/engine/index.ts";
import {
  kubernetesPathRegistry,
  registryTargets,
  updateAttributes,
  type PathVisit,
} from "../../path-visitor/index.ts";
import { holdsAnyPlaceholder } from "../placeholders/placeholder-values.ts";
import { renderGenerationTemplate, trimResourceName, type GenerationFields } from "./generation-template.ts";
import { normalizeName } from "./normalize-name.ts";
import { GENERIC_TOOLCHAINS } from "../generic-toolchains.ts";

const DEFAULT_NAME = "default-name";
const NAME_SEPARATOR = "-";

function defaultName(visit: PathVisit, unitName: string, spaceName: string): string {
  const where = `path ${visit.resolved.path} of ${visit.identity.type} ${visit.identity.name}`;
  const template = visit.entry.Info?.GenerationTemplate;
  if (!template) throw new FunctionError(`no name generation template is registered for ${where}`);
  const resourceName = normalizeName(visit.identity.name);
  const resourceType = normalizeName(visit.identity.type);
  const fields: GenerationFields = {
    NormalizedUnitName: unitName,
    NormalizedSpaceName: spaceName,
    NormalizedResourceName: resourceName,
    TrimmedResourceName: trimResourceName(resourceName, resourceType, spaceName, unitName, NAME_SEPARATOR),
    NormalizedResourceType: resourceType,
  };
  return renderGenerationTemplate(template, fields, where);
}

export const setDefaultNames = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
  signature: {
    FunctionName: "set-default-names",
    Description: "Set identifying/uniquifying names to default patterns",
    Mutating: true,
    AttributeName: DEFAULT_NAME,
    AffectedResourceTypes: ["*"],
  },
  invoke({ data, context }) {
    const unitName = normalizeName(context.UnitSlug);
    const spaceName = normalizeName(context.SpaceSlug);
    updateAttributes(data, registryTargets(kubernetesPathRegistry, DEFAULT_NAME), (visit) => {
      // Only strings can hold the placeholder; anything else already has a real value.
      if (visit.node?.type !== "string" || !holdsAnyPlaceholder(visit.node.value as string)) return undefined;
      if (unitName === "" || spaceName === "") {
        const which =
          unitName === ""
            ? `Unit slug ${JSON.stringify(context.UnitSlug)}`
            : `Space slug ${JSON.stringify(context.SpaceSlug)}`;
        throw new FunctionError(
          `cannot generate a default name for path ${visit.resolved.path} of ${visit.identity.type} ${visit.identity.name}: the ${which} has no letters or digits`,
        );
      }
      return defaultName(visit, unitName, spaceName);
    });
  },
});

// The path-visitor machinery shared by every path function (spec §1.2-§1.4, §5.3, §6):
//
//   registry (attribute -> type -> entry) --registryTargets / generalPathTargets--> PathTargets
//   PathTargets --visitPaths--> PathVisit[] (resource, resolved path, bindings, Info, current node)
//   PathVisit --readAttribute--> typed value --attributeValueOf--> AttributeValue (sorted lists)
//   PathVisit --writeAttribute--> edited document
//
// collectAttributes / updateAttributes run the whole chain for getters and setters.
export type { RegisteredPath } from "./registered-path.ts";
export { ANY_RESOURCE_TYPE } from "./registered-path.ts";
export { kubernetesPathRegistry } from "./kubernetes-registry.ts";
export {
  appliesTo,
  registeredPath,
  registeredPaths,
  registeredResourceTypes,
  registryTargets,
  type PathRegistryData,
  type RegistryTargetOptions,
} from "./registry-view.ts";
export { GENERAL_ATTRIBUTE, generalPathTargets, isConcretePath, registryKey } from "./general-path.ts";
export { countHoles, escapePathArgument, fillPathTemplate } from "../../src/config/index.ts";
export { detailsWithBindings } from "./invocation-details.ts";
export { identifyAll, visitPaths, type PathTarget, type PathTargets, type PathVisit } from "./visit-paths.ts";
export {
  describeLocation,
  readAttribute,
  type AttributeReading,
  type AttributeScalarType,
  type ExpectedType,
} from "./read-attribute.ts";
export { writeAttribute } from "./write-attribute.ts";
export { attributeValue, sortAttributeValues, type AttributeValueFields } from "./attribute-value.ts";
export { attributeValueOf, collectAttributes, type CollectOptions } from "./collect-attributes.ts";
export { updateAttributes } from "./update-attributes.ts";
export {
  registryGetter,
  registryPair,
  registrySetter,
  type PathParameter,
  type RegistryPairDeclaration,
  type ValueParameter,
} from "./registry-functions.ts";

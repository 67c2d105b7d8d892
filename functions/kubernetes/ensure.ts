// ensure-namespaces and ensure-context (spec §5.1, §5.2): stamp what every resource of a Unit needs.
// - ensure-namespaces gives each namespaced resource without a namespace the placeholder namespace,
//   so a later set-namespace (or a needed-value resolution) fills it in.
// - ensure-context writes the Unit's identity into annotations (true) or removes it (false). It is
//   final-mutating (design §5): among saved invocations and triggers it runs after the ordinary
//   functions, so it stamps the content that is actually stored. Removing works on resources without
//   annotations (design §9: ConfigHub failed with `field not found`) and takes away an `annotations`
//   map that only held the context.
import { formatKey, toolchainIdentity } from "../../src/config/index.ts";
import type { ConfigDocument } from "../../src/config/index.ts";
import { FunctionError, defineFunction, type FunctionDefinition } from "../../src/engine/index.ts";
import type { FunctionContext } from "../../src/engine/index.ts";
import { PLACEHOLDER_STRING } from "../generic/placeholders/placeholder-values.ts";

const ANNOTATIONS = "metadata.annotations";
const UNIT_SLUG = "confighub.com/UnitSlug";
const SPACE_ID = "confighub.com/SpaceID";
/** Never written (ConfigHub disabled it), but removed with the rest of the context. */
const REVISION_NUM = "confighub.com/RevisionNum";

export const ensureNamespaces = defineFunction({
  toolchains: ["Kubernetes/YAML"],
  signature: {
    FunctionName: "ensure-namespaces",
    Description:
      "Ensure every namespaced resource has a namespace field by adding one with the placeholder value if it is not present",
    Mutating: true,
    AffectedResourceTypes: ["*"],
  },
  invoke({ data }) {
    const identity = toolchainIdentity(data.toolchain);
    const errors: string[] = [];
    for (const document of data.documents) {
      const resource = document.identity();
      // A Kubernetes name cannot contain "/", and the scoped name would no longer split in two.
      if (resource.nameWithoutScope.includes("/")) {
        errors.push(`improperly formatted resource name ${resource.name} (document ${document.index})`);
        continue;
      }
      // The scoped name is `namespace/name`, or `/name` when there is no namespace.
      const hasNamespace = !resource.name.startsWith("/");
      if (hasNamespace || identity.isClusterScoped(resource.type)) continue;
      document.set("metadata.namespace", PLACEHOLDER_STRING, { upsert: true });
    }
    if (errors.length > 0) throw FunctionError.join(errors);
  },
});

export const ensureContext = defineFunction({
  toolchains: ["Kubernetes/YAML"],
  finalMutating: true,
  signature: {
    FunctionName: "ensure-context",
    Description:
      "Set function context values in configuration resource/element attributes (if possible) if addContext is true and remove the context if false",
    Parameters: [
      {
        ParameterName: "add-context",
        Description: "Context is set if true and removed if false",
        Required: true,
        DataType: "bool",
      },
    ],
    Mutating: true,
    AffectedResourceTypes: ["*"],
  },
  invoke({ data, args, context }) {
    const add = args.bool("add-context");
    for (const document of data.documents) {
      if (add) addContext(document, context);
      else removeContext(document);
    }
  },
});

export const ensureFunctions: readonly FunctionDefinition[] = [ensureNamespaces, ensureContext];

function annotationPath(key: string): string {
  return `${ANNOTATIONS}.${formatKey(key)}`;
}

function addContext(document: ConfigDocument, context: Readonly<FunctionContext>): void {
  document.set(annotationPath(UNIT_SLUG), context.UnitSlug, { upsert: true });
  document.set(annotationPath(SPACE_ID), context.SpaceID, { upsert: true });
}

function removeContext(document: ConfigDocument): void {
  const annotations = (document.toJS() as { metadata?: { annotations?: unknown } }).metadata?.annotations;
  if (annotations === null || typeof annotations !== "object" || Array.isArray(annotations)) return;
  const keys = Object.keys(annotations);
  const contextKeys = [UNIT_SLUG, SPACE_ID, REVISION_NUM];
  const present = keys.filter((key) => contextKeys.includes(key));
  if (present.length === 0) return;
  if (present.length === keys.length) {
    // Nothing else was annotated: leave no empty `annotations: {}` behind.
    document.delete(ANNOTATIONS);
    return;
  }
  for (const key of present) document.delete(annotationPath(key));
}

// ensure-context (spec §5.1, G): writes the Unit's identity into each resource (true) or removes it
// (false), where the toolchain keeps such context:
// - Kubernetes/YAML: the annotations `confighub.com/UnitSlug` and `confighub.com/SpaceID`;
// - AppConfig/Properties: the keys `configHub.unitSlug` and `configHub.spaceID`, beside the
//   `configHub.configName`/`configSchema` that identify the file;
// - other toolchains have no such place, and the function changes nothing (spec: "OpenTofu does nothing").
// Removing also removes the revision number (`confighub.com/RevisionNum`, `configHub.revisionNum`),
// which ConfigHub no longer writes. It is final-mutating (design §5): among saved invocations and
// triggers it runs after the ordinary functions, so it stamps the content that is actually stored.
// Removing works on resources without the context map (design §9: ConfigHub failed with `field not
// found`) and takes away a map that only held the context.
import { formatKey } from "../../src/config/index.ts";
import type { ConfigDocument } from "../../src/config/index.ts";
import { defineFunction, type FunctionDefinition } from "../../src/engine/index.ts";
import type { FunctionContext, ToolchainType } from "../../src/engine/index.ts";
import { GENERIC_TOOLCHAINS } from "./generic-toolchains.ts";

/** Where a toolchain keeps the context: a mapping and the keys in it. */
interface ContextPlace {
  /** Path segments of the mapping. */
  readonly map: readonly string[];
  readonly unitSlug: string;
  readonly spaceId: string;
  /** Never written, but removed with the rest of the context. */
  readonly revisionNum: string;
}

const PLACES: Partial<Record<ToolchainType, ContextPlace>> = {
  "Kubernetes/YAML": {
    map: ["metadata", "annotations"],
    unitSlug: "confighub.com/UnitSlug",
    spaceId: "confighub.com/SpaceID",
    revisionNum: "confighub.com/RevisionNum",
  },
  "AppConfig/Properties": {
    map: ["configHub"],
    unitSlug: "unitSlug",
    spaceId: "spaceID",
    revisionNum: "revisionNum",
  },
};

export const ensureContext = defineFunction({
  toolchains: GENERIC_TOOLCHAINS,
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
    const place = PLACES[data.toolchain];
    if (!place) return;
    const add = args.bool("add-context");
    for (const document of data.documents) {
      if (add) addContext(document, place, context);
      else removeContext(document, place);
    }
  },
});

export const ensureContextFunctions: readonly FunctionDefinition[] = [ensureContext];

function mapPath(place: ContextPlace): string {
  return place.map.map(formatKey).join(".");
}

function keyPath(place: ContextPlace, key: string): string {
  return `${mapPath(place)}.${formatKey(key)}`;
}

function addContext(document: ConfigDocument, place: ContextPlace, context: Readonly<FunctionContext>): void {
  document.set(keyPath(place, place.unitSlug), context.UnitSlug, { upsert: true });
  document.set(keyPath(place, place.spaceId), context.SpaceID, { upsert: true });
}

function removeContext(document: ConfigDocument, place: ContextPlace): void {
  let map: unknown = document.toJS();
  for (const segment of place.map) {
    if (map === null || typeof map !== "object" || Array.isArray(map)) return;
    map = (map as Record<string, unknown>)[segment];
  }
  if (map === null || typeof map !== "object" || Array.isArray(map)) return;
  const keys = Object.keys(map);
  const contextKeys = [place.unitSlug, place.spaceId, place.revisionNum];
  const present = keys.filter((key) => contextKeys.includes(key));
  if (present.length === 0) return;
  if (present.length === keys.length) {
    // Nothing else was there: leave no empty map behind.
    document.delete(mapPath(place));
    return;
  }
  for (const key of present) document.delete(keyPath(place, key));
}

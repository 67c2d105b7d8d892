// ConfigHub wraps each entity in an `Extended<Entity>` object for reads (`{ "Unit": {...} }`); the
// wrapper refers to the entity's own schema by its `$id`, so it is the same for every entity, plus
// the related entities a list's `include` may expand (wire/includes.ts).
import { expansionProperties } from "./includes.ts";

export interface ExtendedSchema<Entity extends string> {
  readonly $id: `Extended${Entity}`;
  readonly type: "object";
  readonly properties: { readonly [K in Entity]: { readonly $ref: `${Entity}#` } } & Record<
    string,
    { readonly $ref: string }
  >;
  readonly required: readonly [Entity];
}

/** The `Extended<Entity>` schema holding the entity and its expansions (Space adds its own counts, so builds its own). */
export function extendedSchema<const Entity extends string>(entity: Entity): ExtendedSchema<Entity> {
  return {
    $id: `Extended${entity}`,
    type: "object",
    properties: {
      [entity]: { $ref: `${entity}#` },
      ...expansionProperties(entity),
    } as ExtendedSchema<Entity>["properties"],
    required: [entity],
  };
}

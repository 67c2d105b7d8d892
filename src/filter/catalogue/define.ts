// An attribute catalogue says, for one entity type, which attributes a `where` filter may name, what
// type each has, and where its value lives: a SQL column (snake_case of the name by convention, see
// migrations/0001_initial.ts) and a property path for in-memory evaluation. Adding an entity is a
// data change: call defineCatalogue with its attribute list.

export type ScalarType = "string" | "int" | "bool" | "uuid" | "time";

export type AttributeType =
  | { readonly kind: "scalar"; readonly type: ScalarType }
  | { readonly kind: "map"; readonly value: "string" | "bool" }
  | { readonly kind: "array"; readonly element: "string" | "uuid" };

export interface AttributeSpec {
  /** PascalCase as on the wire; may be dotted for nested fields (`OutputInfo.Description`). */
  readonly name: string;
  readonly type: AttributeType;
  /** Whether the value may be absent (NULL column, missing property); only these accept IS NULL. */
  readonly nullable: boolean;
  /** SQL column, when the entity lives in a table. */
  readonly column: string | undefined;
  /** Property path in the entity's JSON form, for in-memory evaluation. */
  readonly path: readonly string[];
  /** Whether the free-text `contains` search looks at it. */
  readonly searchable: boolean;
}

export interface Catalogue {
  /** Entity type in PascalCase, as in Filter.From: `Unit`, `Space`, ... */
  readonly entity: string;
  /** The table, when the entity is stored; undefined for in-memory-only entities. */
  readonly table: string | undefined;
  readonly attributes: ReadonlyMap<string, AttributeSpec>;
  /** ConfigHub attributes confn does not store (yet): named in a precise error instead of "unknown". */
  readonly unsupported: ReadonlySet<string>;
}

/**
 * Type shorthands: `string`, `int`, `bool`, `uuid`, `time`, `map<string>`, `map<bool>`,
 * `array<uuid>`, `array<string>`; a trailing `?` marks a nullable attribute.
 */
export type TypeShorthand =
  `${ScalarType}` | `${ScalarType}?` | "map<string>" | "map<bool>" | "array<uuid>" | "array<string>";

export interface AttributeDefinition {
  readonly type: TypeShorthand;
  /** Overrides the snake_case column name. */
  readonly column?: string;
  /** Overrides the default (strings and maps are searchable). */
  readonly searchable?: boolean;
}

export interface CatalogueDefinition {
  readonly entity: string;
  readonly table?: string;
  readonly attributes: Readonly<Record<string, TypeShorthand | AttributeDefinition>>;
  readonly unsupported?: readonly string[];
}

export function defineCatalogue(definition: CatalogueDefinition): Catalogue {
  const attributes = new Map<string, AttributeSpec>();
  for (const [name, raw] of Object.entries(definition.attributes)) {
    const def: AttributeDefinition = typeof raw === "string" ? { type: raw } : raw;
    const nullable = def.type.endsWith("?");
    const type = parseType(def.type.replace(/\?$/, ""), `${definition.entity}.${name}`);
    attributes.set(
      name,
      Object.freeze({
        name,
        type,
        nullable,
        column: definition.table ? (def.column ?? snakeCase(name)) : undefined,
        path: Object.freeze(name.split(".")),
        searchable:
          def.searchable ?? (type.kind === "map" || (type.kind === "scalar" && type.type === "string")),
      }),
    );
  }
  return Object.freeze({
    entity: definition.entity,
    table: definition.table,
    attributes,
    unsupported: new Set(definition.unsupported ?? []),
  });
}

/** `HeadRevisionNum` -> `head_revision_num`, `UnitID` -> `unit_id`, `IPAddress` -> `ip_address`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/\./g, "_")
    .toLowerCase();
}

function parseType(text: string, where: string): AttributeType {
  switch (text) {
    case "string":
    case "int":
    case "bool":
    case "uuid":
    case "time":
      return { kind: "scalar", type: text };
    case "map<string>":
      return { kind: "map", value: "string" };
    case "map<bool>":
      return { kind: "map", value: "bool" };
    case "array<uuid>":
      return { kind: "array", element: "uuid" };
    case "array<string>":
      return { kind: "array", element: "string" };
    default:
      // A programming error in a catalogue definition, caught by the catalogue tests.
      throw new TypeError(`catalogue ${where}: unknown attribute type '${text}'`);
  }
}

/** How a type is named in messages: `string`, `map of string`, `array of uuid`. */
export function describeType(type: AttributeType): string {
  switch (type.kind) {
    case "scalar":
      return type.type === "int" ? "integer" : type.type;
    case "map":
      return `map of ${type.value}`;
    case "array":
      return `array of ${type.element}`;
  }
}

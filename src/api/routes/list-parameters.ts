// The parameters every ConfigHub list operation defines besides `where` and `contains`, honoured the
// same way on every list route (never accepted and ignored):
// - `filter`: a saved Filter of the caller's organization whose From is the listed entity. Its Where
//   is AND-ed with `where` and `contains`; its FromSpaceID must equal the route's Space in a Space's
//   list and limits an organization-wide list to that Space (src/invoke/selection.ts does the same
//   for invoke). A Unit list also honours its WhereData/ResourceType (unit-list-selection.ts).
// - `include`: related entities expanded into the Extended wrapper as ConfigHub names them
//   (wire/includes.ts); one confn cannot expand is a 400 saying why.
// - `select`: only the listed fields of the entity, always with its required fields (IDs, Slug,
//   Version, ...) and the fields `where` names; an unknown field is a 400 naming it.
import type { Kysely } from "kysely";
import {
  checkFilterField,
  compileWhere,
  listFilters,
  listQuerySchema,
  nearestName,
  parseWhere,
  type Catalogue,
  type ListFilterQuery,
  type ListFilters,
  type SqlOptions,
} from "../../filter/index.ts";
import { getFilter, type DatabaseSchema, type FilterRow } from "../../store/index.ts";
import { badRequest } from "../errors.ts";
import { uuidSchema } from "../wire/common.ts";
import { entitySchema } from "../wire/entity-schemas.ts";
import { includeTable } from "../wire/includes.ts";
import { expandRelated, type RelatedLoader } from "./list-includes.ts";

export interface ListParameterQuery extends ListFilterQuery {
  readonly filter?: string | undefined;
  readonly include?: string | undefined;
  readonly select?: string | undefined;
}

/** Longest `include` or `select` accepted: far more than every field name of any entity. */
export const MAX_FIELD_LIST_LENGTH = 4096;

/** The querystring schema of a list of `entity`: where, contains, filter, include, select. */
export function listParametersSchema(entity: string) {
  const base = listQuerySchema(entity);
  const { expanded, notExpanded } = includeTable(entity);
  const expansions = Object.entries(expanded).map(([attribute, { key }]) => `${attribute} (adds ${key})`);
  const always = requiredFields(entity);
  return {
    type: "object",
    properties: {
      ...base.properties,
      filter: {
        ...uuidSchema,
        description:
          `The ID of a saved Filter (From ${entity}) of the caller's organization; its Where is AND-ed with ` +
          "`where` and `contains`. In a Space's list its FromSpaceID must be that Space; in an " +
          "organization-wide list it limits the list to that Space.",
      },
      include: {
        type: "string",
        maxLength: MAX_FIELD_LIST_LENGTH,
        description:
          `Comma-separated ${entity} attributes whose related entities are added to each Extended${entity}: ` +
          (expansions.length > 0 ? expansions.join(", ") : "none can be expanded by confn") +
          ". " +
          (Object.keys(notExpanded).length > 0
            ? `ConfigHub's ${Object.keys(notExpanded).join(", ")} are a 400 (confn has no such entities). `
            : "") +
          "An unset reference adds nothing.",
      },
      select: {
        type: "string",
        maxLength: MAX_FIELD_LIST_LENGTH,
        description:
          `Comma-separated ${entity} fields to return (PascalCase, as in the JSON); ${always.join(", ")} ` +
          "and the fields `where` names always come back. An unknown field is a 400 naming it. Without it " +
          "every field is returned.",
      },
    },
  } as const;
}

/** What `include` and `select` ask of a list's items. */
export interface ListShape {
  readonly entity: string;
  /** The attributes to expand (validated against the include table). */
  readonly includes: readonly string[];
  /** The fields to keep; undefined: all. */
  readonly fields: ReadonlySet<string> | undefined;
}

export function parseListShape(entity: string, query: ListParameterQuery): ListShape {
  const fields = parseSelect(entity, query.select);
  if (fields !== undefined) {
    for (const name of whereAttributes(query.where)) if (isField(entity, name)) fields.add(name);
  }
  return { entity, includes: parseIncludes(entity, query.include), fields };
}

/**
 * The attributes a `where` names (`Labels` for `Labels.tier = 'x'`): as in ConfigHub, a selection
 * also returns the fields the list was filtered on. A `where` that does not parse names none here:
 * compiling it reports the error.
 */
function whereAttributes(where: string | undefined): string[] {
  if (where === undefined || where.trim() === "") return [];
  let tree: unknown;
  try {
    tree = parseWhere(where);
  } catch {
    return [];
  }
  const names: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") {
      const record = node as Record<string, unknown>;
      if (record.kind === "AttributeRefNode" && typeof record.name === "string") names.push(record.name);
      else Object.values(record).forEach(visit);
    }
  };
  visit(tree);
  return names;
}

function isField(entity: string, name: string): boolean {
  return Object.hasOwn(entitySchema(entity).properties, name);
}

/** Whether the list returns `field` (so it must be read). */
export function returnsField(shape: ListShape, field: string): boolean {
  return shape.fields === undefined || shape.fields.has(field);
}

/** Expands the included entities into each Extended item, then trims the entity to the selection. */
export async function shapeList<Item extends object>(
  shape: ListShape,
  items: readonly Item[],
  loader: RelatedLoader,
): Promise<Item[]> {
  if (shape.includes.length === 0 && shape.fields === undefined) return [...items];
  const out: Item[] = [];
  for (const item of items) {
    const extended = { ...item } as Record<string, unknown>;
    const entity = extended[shape.entity] as Record<string, unknown>;
    Object.assign(extended, await expandRelated(shape.entity, entity, shape.includes, loader));
    if (shape.fields !== undefined) extended[shape.entity] = pickFields(entity, shape.fields);
    out.push(extended as Item);
  }
  return out;
}

function requiredFields(entity: string): string[] {
  const schema = entitySchema(entity);
  const always = [...schema.required];
  if ("Slug" in schema.properties && !always.includes("Slug")) always.push("Slug");
  return always;
}

function splitList(text: string): string[] {
  return text
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

function parseIncludes(entity: string, include: string | undefined): string[] {
  if (include === undefined) return [];
  const { expanded, notExpanded } = includeTable(entity);
  const names = [...new Set(splitList(include))];
  for (const name of names) {
    if (name in expanded) continue;
    const reason = notExpanded[name];
    if (reason !== undefined) {
      throw badRequest(`querystring/include: ${entity} attribute '${name}' cannot be expanded: ${reason}`);
    }
    const known = [...Object.keys(expanded), ...Object.keys(notExpanded)].sort();
    const nearest = nearestName(name, known);
    throw badRequest(
      `querystring/include: unknown ${entity} attribute '${name}'` +
        (nearest !== undefined ? ` (did you mean '${nearest}'?)` : "") +
        `; confn expands: ${Object.keys(expanded).join(", ") || "none"}`,
    );
  }
  return names;
}

function parseSelect(entity: string, select: string | undefined): Set<string> | undefined {
  if (select === undefined) return undefined;
  const known = Object.keys(entitySchema(entity).properties);
  const fields = new Set(requiredFields(entity));
  for (const name of splitList(select)) {
    if (!known.includes(name)) {
      const nearest = nearestName(name, known);
      throw badRequest(
        `querystring/select: unknown ${entity} field '${name}'` +
          (nearest !== undefined ? ` (did you mean '${nearest}'?)` : "") +
          `; ${entity} fields: ${known.join(", ")}`,
      );
    }
    fields.add(name);
  }
  return fields;
}

function pickFields(entity: Record<string, unknown>, fields: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entity)) if (fields.has(key)) out[key] = value;
  return out;
}

/** The rows a list returns: `where` ∧ `contains` ∧ the saved Filter's Where, and the Space it is limited to. */
export interface ListSelection {
  readonly filter: ListFilters;
  /** The route's Space, else the saved Filter's FromSpaceID. */
  readonly spaceId: string | undefined;
  /** The saved Filter, when `filter` named one (a Unit list also applies its data conditions). */
  readonly saved: FilterRow | undefined;
}

export interface ListSelectionOptions {
  readonly catalogue: Catalogue;
  /** The route's Space: a Space's list (of Units, Filters, ... or a Unit's history). */
  readonly spaceId?: string | undefined;
  readonly sql?: SqlOptions;
  /** The query parameter naming the saved Filter, for messages (default `filter`). */
  readonly parameter?: string;
}

export async function resolveListSelection(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  query: ListParameterQuery,
  options: ListSelectionOptions,
): Promise<ListSelection> {
  const { catalogue, spaceId } = options;
  const listed = listFilters(catalogue, query, options.sql);
  if (query.filter === undefined || query.filter === "") return { filter: listed, spaceId, saved: undefined };

  const saved = await getFilter(db, organizationId, query.filter);
  const entity = catalogue.entity;
  const name = `querystring/${options.parameter ?? "filter"}: Filter ${saved.slug}`;
  if (saved.from !== entity) {
    throw badRequest(
      `${name} selects ${saved.from} entities; this list returns ${entity}s: use a Filter From ${entity}`,
    );
  }
  if (saved.from_space_id !== null) {
    if (entity === "Space") {
      throw badRequest(
        `${name} has a FromSpaceID, which applies to entities inside a Space; Spaces are not: ` +
          "use a Filter From Space without FromSpaceID",
      );
    }
    if (spaceId !== undefined && saved.from_space_id !== spaceId) {
      throw badRequest(
        `${name} is for Space ${saved.from_space_id} (FromSpaceID); this list is of Space ${spaceId}`,
      );
    }
  }
  const limitedTo = spaceId ?? saved.from_space_id ?? undefined;
  if (saved.where.trim() === "") return { filter: listed, spaceId: limitedTo, saved };
  const compiled = checkFilterField(`Filter ${saved.slug} Where`, () =>
    compileWhere(saved.where, catalogue, options.sql),
  );
  return {
    filter: {
      filters: [...listed.filters, compiled.expression],
      usesRegex: listed.usesRegex || compiled.usesRegex,
      source: [listed.source, saved.where].filter((s) => s.trim() !== "").join(" AND "),
    },
    spaceId: limitedTo,
    saved,
  };
}

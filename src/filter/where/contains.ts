// The free-text `contains` parameter: a case-insensitive substring match over an entity's searchable
// attributes (strings, and the keys and string values of maps), OR-ed across attributes and AND-ed
// with `where` by the caller. The text is a bound parameter matched with strpos, so `%` and `_` in
// it are plain characters, not LIKE wildcards.
import { sql, type Expression, type RawBuilder, type SqlBool } from "kysely";
import type { AttributeSpec, Catalogue } from "../catalogue/index.ts";
import type { SqlOptions } from "./compile-sql.ts";

export function containsToSql(
  text: string,
  catalogue: Catalogue,
  options: SqlOptions = {},
): Expression<SqlBool> {
  if (catalogue.table === undefined) {
    throw new TypeError(`contains: ${catalogue.entity} is not stored in a table; use evaluateContains`);
  }
  const needle = sql`lower(cast(${text} as text))`;
  const found = (haystack: RawBuilder<unknown>): RawBuilder<SqlBool> =>
    sql<SqlBool>`strpos(lower(${haystack}), ${needle}) > 0`;
  const parts = searchable(catalogue).map((attribute): RawBuilder<SqlBool> => {
    const column = sql.ref(
      options.table ? `${options.table}.${attribute.column}` : (attribute.column as string),
    );
    if (attribute.type.kind === "scalar") return found(column);
    // Keys of every map; values only of string maps (a gate's `true` is not text anyone searches).
    const valueMatch =
      attribute.type.kind === "map" && attribute.type.value === "string"
        ? sql` or ${found(sql`e.value`)}`
        : sql``;
    return sql<SqlBool>`exists (select 1 from jsonb_each_text(case when jsonb_typeof(${column}) = 'object' then ${column} end) as e(key, value) where ${found(sql`e.key`)}${valueMatch})`;
  });
  if (parts.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

export function evaluateContains(text: string, catalogue: Catalogue, entity: unknown): boolean {
  const needle = text.toLowerCase();
  const hit = (value: unknown): boolean => typeof value === "string" && value.toLowerCase().includes(needle);
  return searchable(catalogue).some((attribute) => {
    const value = read(attribute, entity);
    if (attribute.type.kind === "scalar") return hit(value);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
    const searchValues = attribute.type.kind === "map" && attribute.type.value === "string";
    return Object.entries(value).some(([key, v]) => hit(key) || (searchValues && hit(v)));
  });
}

function searchable(catalogue: Catalogue): AttributeSpec[] {
  return [...catalogue.attributes.values()].filter(
    (a) => a.searchable && (a.type.kind === "scalar" ? a.type.type === "string" : a.type.kind === "map"),
  );
}

function read(attribute: AttributeSpec, entity: unknown): unknown {
  let current = entity;
  for (const step of attribute.path) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}

// The JSON schema of a list endpoint's `where` and `contains` query parameters, with ConfigHub's
// descriptions adapted to confn and the entity's attribute list taken from its catalogue, so the
// OpenAPI document says exactly what each endpoint accepts.
import { catalogueFor, describeType } from "./catalogue/index.ts";
import { MAX_WHERE_LENGTH } from "./where/index.ts";

export function listQuerySchema(entity: string) {
  const catalogue = catalogueFor(entity);
  if (!catalogue) throw new TypeError(`listQuerySchema: no attribute catalogue for ${entity}`);
  const attributes = [...catalogue.attributes.values()]
    .map((a) => `${a.name} (${describeType(a.type)}${a.nullable ? ", may be null" : ""})`)
    .join(", ");
  return {
    type: "object",
    properties: {
      where: {
        type: "string",
        description:
          `Filter expression over ${entity} attributes: relations \`attribute operator literal\` or ` +
          "`attribute operator attribute` joined by AND (no OR, no parentheses); names are case-sensitive " +
          "PascalCase. Strings take = != < <= > >= LIKE NOT LIKE ILIKE NOT ILIKE ~~ !~~ ~ ~* !~ !~* IN NOT IN " +
          "(LIKE: % and _ wildcards, backslash escapes; ~: RE2 regular expressions); integers = != < <= > >= " +
          "IN NOT IN; UUIDs = != IN NOT IN; booleans = !=; times = != < <= > >=. String, UUID and time " +
          "literals are single-quoted ('it''s' holds a quote); times are RFC 3339, UTC when no zone is given. " +
          "Arrays: `ApprovedBy ? '<uuid>'`, `LEN(ApprovedBy) > 0`. Maps: `Labels.tier = 'backend'`, " +
          "`Labels.tier IS NULL`, `Labels ? 'tier'`. `<condition> IS [NOT] TRUE|FALSE` tests a condition " +
          `that may be unknown. At most ${MAX_WHERE_LENGTH} characters. A bad expression is a 400 whose ` +
          `message quotes the offending text and its column. ${entity} attributes: ${attributes}. ` +
          "See docs/filters.md.",
      },
      contains: {
        type: "string",
        description:
          "Free text matched case-insensitively as a substring of string attributes and of map keys and " +
          "string values (Labels, Annotations, ...); any attribute may match (OR), and the result is AND-ed " +
          "with `where`. `%` and `_` are plain characters here.",
      },
    },
  } as const;
}

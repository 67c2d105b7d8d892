// Stage 3a of `where`: a checked expression -> a kysely boolean expression. Every user value is a
// bound parameter (map keys included); only catalogue column names and fixed operator keywords
// become SQL text. Shapes are chosen so PostgreSQL can use the indexes that exist: map equality is
// jsonb containment (`labels @> '{"tier":"backend"}'`, served by the GIN index on labels), key
// presence is `?`.
import { sql, type Expression, type RawBuilder, type SqlBool } from "kysely";
import { FilterError, FilterErrorCode, quote } from "../errors.ts";
import { toPostgresRegex } from "../regex/postgres.ts";
import type { CheckedWhere, Literal, Predicate, ValueRef } from "./checked.ts";

export interface SqlOptions {
  /** Qualifies every column (`units.slug`) when the query joins other tables. */
  readonly table?: string;
}

const SQL_OPERATORS = {
  "=": "=",
  "!=": "<>",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
} as const;

const ORDERING = new Set(["<", "<=", ">", ">="]);

export function toSqlExpression(checked: CheckedWhere, options: SqlOptions = {}): Expression<SqlBool> {
  if (checked.catalogue.table === undefined) {
    throw new TypeError(`where: ${checked.catalogue.entity} is not stored in a table; use evaluateWhere`);
  }
  const compiler = new SqlCompiler(checked, options.table);
  const parts = checked.predicates.map((p) => compiler.predicate(p, false));
  return parts.length === 1
    ? (parts[0] as RawBuilder<SqlBool>)
    : sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

class SqlCompiler {
  constructor(
    private readonly checked: CheckedWhere,
    private readonly table: string | undefined,
  ) {}

  /**
   * `exactNulls` is set under IS [NOT] TRUE|FALSE, where NULL (unknown) and false must stay apart;
   * elsewhere a relation only filters rows, and the index-friendly forms that say false for
   * unknown are equivalent.
   */
  predicate(p: Predicate, exactNulls: boolean): RawBuilder<SqlBool> {
    switch (p.kind) {
      case "compare": {
        const { left, right, operator } = p;
        if (operator === "=" && left.kind === "mapValue" && right.kind === "literal" && !exactNulls) {
          const pair = JSON.stringify({ [left.key]: right.value });
          return sql<SqlBool>`(${this.column(left)} @> cast(${pair} as jsonb))`;
        }
        const op = sql.raw(SQL_OPERATORS[operator]);
        // Byte-wise string order on every database, whatever its default collation.
        const collate = p.type === "string" && ORDERING.has(operator) ? sql` collate "C"` : sql``;
        return sql<SqlBool>`(${this.value(left)} ${op} ${this.operand(right)}${collate})`;
      }
      case "in": {
        const not = p.negated ? sql`not in` : sql`in`;
        const values = sql.join(p.values.map((v) => this.literal(v)));
        return sql<SqlBool>`(${this.value(p.subject)} ${not} (${values}))`;
      }
      case "like": {
        const keyword = sql.raw(`${p.negated ? "not " : ""}${p.caseInsensitive ? "ilike" : "like"}`);
        return sql<SqlBool>`(${this.value(p.subject)} ${keyword} ${p.pattern})`;
      }
      case "regex": {
        const translated = toPostgresRegex(p.regex.source);
        if (!translated.ok) {
          // Offsets inside the pattern map onto the literal when it has no doubled quotes.
          const literalText = this.checked.source.slice(
            p.patternSpan.offset,
            p.patternSpan.offset + p.patternSpan.length,
          );
          const inLiteral = literalText === `'${p.regex.source}'`;
          throw new FilterError({
            code: FilterErrorCode.UnsupportedRegex,
            language: "where",
            source: this.checked.source,
            offset: inLiteral ? p.patternSpan.offset + 1 + translated.offset : p.patternSpan.offset,
            length: inLiteral ? translated.length : p.patternSpan.length,
            problem: `unsupported regular expression syntax ${quote(
              p.regex.source.slice(translated.offset, translated.offset + translated.length),
            )}`,
            hint: translated.reason,
          });
        }
        const op = sql.raw(`${p.negated ? "!" : ""}~${p.regex.caseInsensitive ? "*" : ""}`);
        return sql<SqlBool>`(${this.value(p.subject)} ${op} ${translated.pattern})`;
      }
      case "has":
        return sql<SqlBool>`(${this.ref(p.attribute.column)} ? ${p.element})`;
      case "isNull": {
        const { subject } = p;
        if (subject.kind === "mapValue") {
          const present = sql`${this.column(subject)} ? ${subject.key}`;
          return p.negated ? sql<SqlBool>`(${present})` : sql<SqlBool>`(not (${present}))`;
        }
        return sql<SqlBool>`(${this.column(subject)} is ${sql.raw(p.negated ? "not null" : "null")})`;
      }
      case "truth": {
        const test = sql.raw(`is ${p.negated ? "not " : ""}${p.truth ? "true" : "false"}`);
        return sql<SqlBool>`(${this.predicate(p.predicate, true)} ${test})`;
      }
    }
  }

  private operand(operand: ValueRef | Literal): RawBuilder<unknown> {
    return operand.kind === "literal" ? this.literal(operand) : this.value(operand);
  }

  private value(v: ValueRef): RawBuilder<unknown> {
    const column = this.column(v);
    switch (v.kind) {
      case "attribute":
        return column;
      case "mapValue":
        if (v.type === "string") return sql`(${column} ->> ${v.key})`;
        // A gate map holds booleans; anything else reads as unknown rather than failing a cast.
        return sql`(case when jsonb_typeof(${column} -> ${v.key}) = 'boolean' then (${column} -> ${v.key})::boolean end)`;
      case "length":
        return v.attribute.type.kind === "array"
          ? sql`(case when jsonb_typeof(${column}) = 'array' then jsonb_array_length(${column}) end)`
          : sql`(case when jsonb_typeof(${column}) = 'object' then (select count(*) from jsonb_object_keys(${column})) end)`;
    }
  }

  private literal(l: Literal): RawBuilder<unknown> {
    switch (l.type) {
      case "string":
        return sql`${l.value}`;
      case "int":
        // bigint, so a literal beyond int4 compares instead of failing "out of range for integer".
        return sql`cast(${l.value} as bigint)`;
      case "bool":
        return sql`cast(${l.value} as boolean)`;
      case "uuid":
        return sql`cast(${l.value} as uuid)`;
      case "time":
        return sql`cast(${l.value.iso} as timestamptz)`;
    }
  }

  private column(v: ValueRef): RawBuilder<unknown> {
    return this.ref(v.attribute.column);
  }

  private ref(column: string | undefined): RawBuilder<unknown> {
    if (column === undefined) {
      throw new TypeError(`where: ${this.checked.catalogue.entity} attribute has no column`);
    }
    return sql.ref(this.table ? `${this.table}.${column}` : column);
  }
}

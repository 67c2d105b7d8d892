// Embedded accessors (spec §1.3): `path#name` reads or replaces the part of a string value captured
// by the named group `name` of a regular expression. Patterns use RE2 syntax (the registry stores
// Go regexps such as `(?P<uri>...)`), run by re2js in linear time.
import { RE2JS } from "re2js";
import { ConfigError, ConfigErrorCode } from "../errors.ts";

export interface EmbeddedAccessor {
  /** The group names this accessor can read and write. */
  readonly fields: readonly string[];
  /** The text of group `field` in `value`; "" when the value does not match or the group is empty. */
  get(value: string, field: string): string;
  /**
   * `value` with group `field` replaced by `replacement`.
   * @throws ConfigError `EMBEDDED_FIELD_NOT_FOUND` when the group is empty in `value` (spec §1.3:
   *   a setter never creates a missing part).
   */
  set(value: string, field: string, replacement: string, where?: string): string;
}

/** An accessor defined by a regular expression with named groups. */
export class RegexpAccessor implements EmbeddedAccessor {
  readonly pattern: string;
  readonly fields: readonly string[];
  readonly #regexp: RE2JS;

  constructor(pattern: string) {
    this.pattern = pattern;
    try {
      this.#regexp = RE2JS.compile(pattern);
    } catch (error) {
      throw new ConfigError(
        ConfigErrorCode.Registry,
        `invalid accessor pattern ${JSON.stringify(pattern)}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    this.fields = Object.freeze(Object.keys(this.#regexp.namedGroups()));
  }

  #span(value: string, field: string): { start: number; end: number } | undefined {
    if (!this.fields.includes(field)) return undefined;
    const matcher = this.#regexp.matcher(value);
    if (!matcher.find()) return undefined;
    const start = matcher.start(field);
    const end = matcher.end(field);
    return start < 0 || end <= start ? undefined : { start, end };
  }

  get(value: string, field: string): string {
    const span = this.#span(value, field);
    return span ? value.slice(span.start, span.end) : "";
  }

  set(value: string, field: string, replacement: string, where = "the value"): string {
    const span = this.#span(value, field);
    if (!span) {
      throw new ConfigError(
        ConfigErrorCode.EmbeddedFieldNotFound,
        `embedded field ${field} not found at path ${where}`,
        {
          path: where,
        },
      );
    }
    return value.slice(0, span.start) + replacement + value.slice(span.end);
  }
}

const compiled = new Map<string, RegexpAccessor>();

/**
 * An accessor whose pattern compiles at its first use: the built-in ones are module constants, and
 * compiling the image pattern costs a noticeable part of a CLI call that never reads an image.
 */
export function deferredAccessor(pattern: string): EmbeddedAccessor {
  return {
    get fields() {
      return regexpAccessor(pattern).fields;
    },
    get: (value, field) => regexpAccessor(pattern).get(value, field),
    set: (value, field, replacement, where) => regexpAccessor(pattern).set(value, field, replacement, where),
  };
}

/** The accessor for a registry pattern, compiled once. */
export function regexpAccessor(pattern: string): RegexpAccessor {
  let accessor = compiled.get(pattern);
  if (!accessor) {
    accessor = new RegexpAccessor(pattern);
    compiled.set(pattern, accessor);
  }
  return accessor;
}

// Filling the `%s` holes of a registered path with function arguments (spec §1.4, §5.3): each
// argument becomes exactly one segment's worth of text, so a label key such as `app.kubernetes.io/name`
// stays one key instead of splitting into three.
import { ConfigError, ConfigErrorCode } from "../../src/config/index.ts";

const HOLE = "%s";

// Text that the path grammar would read as something other than literal key characters: segment and
// accessor separators, field terminators (`?k:p=v`, `@k:p`), quotes, and pattern characters up front.
const needsQuotes = /[:=#"\\]|^[*?@|]|^$/;

/**
 * The path text of one argument: `*` stays a wildcard (`?name=*` selects every container), text with
 * characters the grammar treats specially is double-quoted, and otherwise `~` and `.` are escaped as
 * `~0` and `~1`.
 */
export function escapePathArgument(argument: string): string {
  if (argument === "*") return argument;
  if (needsQuotes.test(argument)) return `"${argument.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return argument.replace(/~/g, "~0").replace(/\./g, "~1");
}

/** Number of `%s` holes in a registered path. */
export function countHoles(template: string): number {
  return template.split(HOLE).length - 1;
}

/**
 * Fills each `%s` of `template`, in order, with the escaped argument.
 * @throws ConfigError `registry` when the number of arguments differs from the number of holes.
 */
export function fillPathTemplate(template: string, parameters: readonly string[]): string {
  const parts = template.split(HOLE);
  if (parts.length - 1 !== parameters.length) {
    throw new ConfigError(
      ConfigErrorCode.Registry,
      `registered path ${template} has ${parts.length - 1} %s hole(s) but ${parameters.length} argument(s) were given`,
      { path: template },
    );
  }
  return parts.reduce((filled, part, i) => filled + escapePathArgument(parameters[i - 1]!) + part);
}

// `%s` holes in registered paths (spec §1.4, §5.3): each argument fills one hole as one segment's
// worth of text, so `app.kubernetes.io/name` stays a single key.
import { ConfigError, ConfigErrorCode } from "../errors.ts";

const hole = "%s";

// Characters the path grammar reads as structure inside a segment (field and parameter separators,
// accessor, quotes) or at its start (patterns).
const needsQuotes = /[:=#"\\]|^[*?@|]|^$/;

/**
 * The path text for one argument: `*` stays a wildcard (so `?name=*` means every container), text
 * the grammar would misread is double-quoted, otherwise `~` before 0/1/2 and `.` are escaped.
 */
export function escapePathArgument(argument: string): string {
  if (argument === "*") return argument;
  if (needsQuotes.test(argument)) return `"${argument.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return argument.replace(/~(?=[012])/g, "~0").replace(/\./g, "~1");
}

/** Number of `%s` holes in a registered path. */
export function countHoles(template: string): number {
  return template.split(hole).length - 1;
}

/**
 * Fills the `%s` holes of `template` in order.
 * @throws ConfigError `REGISTRY` when the number of arguments differs from the number of holes.
 */
export function fillPathTemplate(template: string, args: readonly string[]): string {
  const parts = template.split(hole);
  if (parts.length - 1 !== args.length) {
    throw new ConfigError(
      ConfigErrorCode.Registry,
      `registered path ${template} has ${parts.length - 1} %s hole(s) but ${args.length} argument(s) were given`,
      { path: template },
    );
  }
  return parts.reduce((filled, part, i) => filled + escapePathArgument(args[i - 1]!) + part);
}

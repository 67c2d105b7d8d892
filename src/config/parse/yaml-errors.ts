// Turns the `yaml` package's parse errors into ConfigErrors that say what and where.
import type { YAMLError } from "yaml";
import { ConfigError, ConfigErrorCode } from "../errors.ts";
import type { SourceLocator } from "./source-position.ts";

// The text of the mapping key that starts at `offset` (quoted keys keep their quotes).
function keyAt(text: string, offset: number): string {
  const line = text.slice(offset).split(/\r?\n/, 1)[0] ?? "";
  const match = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|.*?)(?=[ \t]*:(?:[ \t]|$))/.exec(line);
  return (match?.[1] ?? line).trim();
}

function describe(error: YAMLError, text: string): { code: ConfigErrorCode; what: string } {
  switch (error.code) {
    case "DUPLICATE_KEY": {
      const key = keyAt(text, error.pos[0]);
      return { code: ConfigErrorCode.DuplicateKey, what: key ? `duplicate key "${key}"` : "duplicate key" };
    }
    case "TAB_AS_INDENT":
      return { code: ConfigErrorCode.TabIndent, what: "tab character used for indentation" };
    case "RESOURCE_EXHAUSTION":
      return { code: ConfigErrorCode.TooDeep, what: "collections nested too deeply" };
    default: {
      const firstLine = error.message.split("\n", 1)[0] ?? error.message;
      return { code: ConfigErrorCode.Syntax, what: `invalid YAML: ${firstLine}` };
    }
  }
}

/** A ConfigError for a `yaml` parse error found at `error.pos` in `text`. */
export function configErrorFromYaml(error: YAMLError, text: string, locator: SourceLocator): ConfigError {
  const { code, what } = describe(error, text);
  const position = locator.locate(error.pos[0]);
  return new ConfigError(
    code,
    `${what} at line ${position.line}, column ${position.column} (document ${position.documentIndex})`,
    { ...position, cause: error },
  );
}

// Registered default names are Go text/template strings over a fixed set of fields
// (`{{.NormalizedUnitName}}-{{.NormalizedSpaceName}}`). Only plain field substitutions occur in the
// registry, so that is what is supported; anything else is reported rather than half-rendered.
import { FunctionError } from "../../../src/engine/index.ts";

export interface GenerationFields {
  NormalizedUnitName: string;
  NormalizedSpaceName: string;
  NormalizedResourceName: string;
  TrimmedResourceName: string;
  NormalizedResourceType: string;
}

const ACTION = /\{\{\s*(.*?)\s*\}\}/g;
const FIELD = /^\.([A-Za-z]+)$/;

/** Renders `template` with `fields`; `where` names the registry entry for error messages. */
export function renderGenerationTemplate(template: string, fields: GenerationFields, where: string): string {
  return template.replace(ACTION, (action: string, body: string) => {
    const field = FIELD.exec(body)?.[1];
    if (field === undefined || !Object.hasOwn(fields, field)) {
      const known = Object.keys(fields).join(", ");
      throw new FunctionError(
        `name generation template ${JSON.stringify(template)} for ${where}: ${action} is not supported (use {{.Field}} with one of ${known})`,
      );
    }
    return fields[field as keyof GenerationFields];
  });
}

/**
 * The resource name with the usual decorations removed: a type suffix, then a Unit and a Space
 * prefix, each with its separator (ConfigHub's trimResourceName).
 */
export function trimResourceName(
  resourceName: string,
  typeName: string,
  spaceName: string,
  unitName: string,
  separator: string,
): string {
  const trimSuffix = (s: string, suffix: string): string =>
    suffix !== "" && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s;
  const trimPrefix = (s: string, prefix: string): string =>
    prefix !== "" && s.startsWith(prefix) ? s.slice(prefix.length) : s;
  let name = trimSuffix(trimSuffix(resourceName, typeName), separator);
  name = trimPrefix(trimPrefix(name, unitName), separator);
  name = trimPrefix(trimPrefix(name, spaceName), separator);
  return name;
}

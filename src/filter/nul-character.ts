// U+0000 cannot travel to PostgreSQL (text and jsonb refuse it), and a `where` literal or a
// `contains` text is sent there as a bound parameter. So both reject it before anything is built,
// pointing at the character, whatever path the text took to get here (the API's edge check in
// src/api/plugins/nul-characters.ts covers requests; this covers every caller of the compilers).
import { FilterError, FilterErrorCode, type FilterLanguage } from "./errors.ts";

/** @throws FilterError `NulCharacter` at the first U+0000 of `source`. */
export function checkNoNulCharacter(language: FilterLanguage, source: string): void {
  const at = source.indexOf("\0");
  if (at < 0) return;
  throw new FilterError({
    code: FilterErrorCode.NulCharacter,
    language,
    source,
    offset: at,
    length: 1,
    problem: "the text contains a NUL character (U+0000)",
    hint: "remove it: it cannot be stored or compared",
  });
}

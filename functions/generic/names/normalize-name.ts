// Kubernetes name normalisation (ConfigHub's K8sNormalizeName): a Unit or Space slug becomes a DNS-1123
// label fragment. Underscores become dashes, letters are transliterated to ASCII, everything else
// that is not a letter, digit or dash becomes a dash, runs of dashes collapse, and the result is
// lower case with no dash at either end: `MyDeployment` -> `mydeployment`, `Crème_Brûlée` ->
// `creme-brulee`.
import { createRequire } from "node:module";
import type * as Transliteration from "transliteration";

// transliteration (CommonJS, with large character tables) is required at the first normalisation,
// not with the function library: most CLI calls never name anything (issue 16 §1).
let transliteration: typeof Transliteration | undefined;

export function normalizeName(name: string): string {
  transliteration ??= createRequire(import.meta.url)("transliteration") as typeof Transliteration;
  return transliteration.slugify(name.replace(/_/g, "-"), {
    lowercase: true,
    separator: "-",
    trim: true,
    allowedChars: "a-zA-Z0-9-",
  });
}

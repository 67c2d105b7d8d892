// Kubernetes name normalisation (ConfigHub's K8sNormalizeName): a Unit or Space slug becomes a DNS-1123
// label fragment. Underscores become dashes, letters are transliterated to ASCII, everything else
// that is not a letter, digit or dash becomes a dash, runs of dashes collapse, and the result is
// lower case with no dash at either end: `MyDeployment` -> `mydeployment`, `Crème_Brûlée` ->
// `creme-brulee`.
import { slugify } from "transliteration";

export function normalizeName(name: string): string {
  return slugify(name.replace(/_/g, "-"), {
    lowercase: true,
    separator: "-",
    trim: true,
    allowedChars: "a-zA-Z0-9-",
  });
}

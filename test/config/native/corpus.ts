// The real-world files of one kind in ../shared/corpus/<kind>/ (read in place, never copied here),
// as [owner__repo/file, text] pairs.
import { readdirSync, readFileSync } from "node:fs";

const root = new URL("../../../../shared/corpus/", import.meta.url);

export function corpusFiles(kind: string): (readonly [string, string])[] {
  const base = new URL(`${kind}/`, root);
  return readdirSync(base)
    .sort()
    .flatMap((repo) =>
      readdirSync(new URL(`${repo}/`, base))
        .filter((name) => name !== "LICENSE")
        .sort()
        .map((name) => [`${repo}/${name}`, readFileSync(new URL(`${repo}/${name}`, base), "utf8")] as const),
    );
}

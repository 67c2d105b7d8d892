// "Did you mean ...?" for misspelt names. A case-only difference always wins (`slug` -> `Slug`);
// otherwise the closest name by edit distance, if it is close enough to be a plausible typo.
import { distance } from "fastest-levenshtein";

export function nearestName(input: string, candidates: Iterable<string>): string | undefined {
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate.toLowerCase() === lower) return candidate;
    const d = distance(input, candidate);
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  // Allow about two edits per five characters, and at least two: 'Lables' -> 'Labels' is 2 edits,
  // 'HeadRevison' -> 'HeadRevisionNum' is 4.
  const allowed = Math.max(2, Math.ceil((input.length * 2) / 5));
  return bestDistance <= allowed ? best : undefined;
}

// The known name nearest to a typo, for "did you mean" hints in config and prompt-file errors.

import { levenshteinDistance } from "./text.js";

/** The candidate nearest to `word` (case-insensitive), when near enough to be a plausible misspelling. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshteinDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

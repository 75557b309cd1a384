// Closeness to the expected text: edit distance, ROUGE-L on words, and cosine similarity of
// embeddings. Scores are in 0..1; each has a pass threshold with a documented default.

import { levenshteinDistance } from "../text.js";
import { quote } from "./string.js";
import type { Embedder, ScorerOutcome } from "./types.js";

export { levenshteinDistance };

/** Largest edit distance a levenshtein check allows when no threshold is given (promptfoo's default). */
export const LEVENSHTEIN_DEFAULT_THRESHOLD = 5;
/** ROUGE-L F-measure a rouge-l check needs when no threshold is given (promptfoo's rouge default). */
export const ROUGE_DEFAULT_THRESHOLD = 0.75;
/** Cosine similarity a `similar` check needs when no threshold is given (promptfoo's default). */
export const SIMILAR_DEFAULT_THRESHOLD = 0.75;


/**
 * promptfoo's `levenshtein`: passes when the edit distance is at most `threshold` (default 5).
 * The score is 1 - distance / length of the longer text, so a delta between base and head
 * still shows how much closer an output got. Leading and trailing whitespace is ignored, as
 * `gh models eval` trims every response.
 */
export function checkLevenshtein(output: string, expected: string, threshold?: number): ScorerOutcome {
  const a = output.trim();
  const b = expected.trim();
  const distance = levenshteinDistance(a, b);
  const longest = Math.max(Array.from(a).length, Array.from(b).length);
  const score = longest === 0 ? 1 : 1 - distance / longest;
  const max = threshold ?? LEVENSHTEIN_DEFAULT_THRESHOLD;
  return { score, pass: distance <= max, reason: `edit distance ${distance} to ${quote(b)} (at most ${max} allowed)` };
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function lcsLength(a: string[], b: string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
    }
    previous = current;
  }
  return previous[b.length];
}

/** ROUGE-L: F1 of the longest common word subsequence (case-insensitive, punctuation ignored). */
export function rougeL(candidate: string, reference: string): number {
  const c = words(candidate);
  const r = words(reference);
  if (c.length === 0 && r.length === 0) return 1;
  if (c.length === 0 || r.length === 0) return 0;
  const lcs = lcsLength(c, r);
  if (lcs === 0) return 0;
  const precision = lcs / c.length;
  const recall = lcs / r.length;
  return (2 * precision * recall) / (precision + recall);
}

export function checkRougeL(output: string, expected: string, threshold?: number): ScorerOutcome {
  const score = rougeL(output, expected);
  const min = threshold ?? ROUGE_DEFAULT_THRESHOLD;
  return { score, pass: score >= min, reason: `ROUGE-L ${score.toFixed(2)} against ${quote(expected)} (needs ${min})` };
}

export function cosine(a: number[], b: number[]): number | undefined {
  if (a.length === 0 || a.length !== b.length) return undefined;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (na === 0 || nb === 0 || !Number.isFinite(dot)) return undefined;
  return dot / Math.sqrt(na * nb);
}

/**
 * Cosine similarity of embeddings; without an embedder this is an error, never a pass. With
 * several expected texts (promptfoo's list `value`), the closest one counts.
 */
export async function checkSimilar(output: string, expected: string | string[], embed: Embedder | undefined, threshold?: number): Promise<ScorerOutcome> {
  if (!embed) {
    return { score: 0, pass: false, error: true, reason: "embeddings are unavailable: no embedding model is configured" };
  }
  const references = Array.isArray(expected) ? expected : [expected];
  let vectors: number[][];
  try {
    vectors = await embed([...references, output]);
  } catch (error) {
    return { score: 0, pass: false, error: true, reason: `embedding failed: ${(error as Error).message}` };
  }
  const out = vectors.length === references.length + 1 ? vectors[references.length] : undefined;
  let best = -1;
  let similarity = -Infinity;
  for (let i = 0; i < references.length; i++) {
    const x = out ? cosine(vectors[i], out) : undefined;
    if (x === undefined) {
      return { score: 0, pass: false, error: true, reason: "embedding failed: the embedder returned unusable vectors" };
    }
    if (x > similarity) [best, similarity] = [i, x];
  }
  if (best === -1) return { score: 0, pass: false, error: true, reason: "embedding failed: nothing to compare with" };
  const min = threshold ?? SIMILAR_DEFAULT_THRESHOLD;
  const score = Math.min(1, Math.max(0, similarity));
  return { score, pass: similarity >= min, reason: `cosine similarity ${similarity.toFixed(2)} to ${quote(references[best])} (needs ${min})` };
}

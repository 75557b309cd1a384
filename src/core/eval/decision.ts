// The decision on a prompt's score delta against the allowed drop: regression, no regression
// shown, or inconclusive, from one-sided bootstrap bounds, with Holm's step-down across the
// prompts of one review so that many harmless prompts do not add up to a red review.

import type { DeltaJudgement, PromptComparison } from "./model.js";
import { bootstrapMeans, pairedDeltas, percentile, seededRandom, standardDeviation } from "./stats.js";

/**
 * Error rate of each one-sided decision, and of the review's "regression" verdict across its
 * prompts after Holm's correction. Each end of the reported interval is a one-sided bound at
 * 1 - ALPHA (so the interval is a two-sided 90 % one).
 */
export const ALPHA = 0.05;

/** Interval level whose ends are the one-sided bounds the decision uses. */
export const INTERVAL_LEVEL = 1 - 2 * ALPHA;

/** z for a one-sided 95 % bound plus z for 80 % power: a drop this many SEs past the tolerance is seen 4 times in 5. */
const DETECTABLE_Z = 1.645 + 0.842;

const EPSILON = 1e-9;

/**
 * Judges one prompt before any correction across prompts. The p-value is the bootstrap's share
 * of resampled means at or above `-tolerance` (the chance of a delta this low if the true drop
 * were only the tolerance); "no regression shown" needs the one-sided lower bound above
 * `-tolerance`. Seeded by the prompt id like the reported interval, so a rerun agrees.
 */
export function judgeDelta(comparison: PromptComparison, tolerance: number): DeltaJudgement | undefined {
  const deltas = pairedDeltas(comparison);
  if (deltas.length === 0) return undefined;
  const scored = comparison.cases.filter((c) => c.delta !== undefined);
  const folded = comparison.folded?.deltas.length ? Math.min(comparison.head?.folded?.repeats ?? 1, comparison.base?.folded?.repeats ?? 1) : 1;
  const repeats = Math.max(1, folded, ...scored.map((c) => Math.min(c.head?.repeats ?? 1, c.base?.repeats ?? 1)));
  const delta = deltas.reduce((a, b) => a + b, 0) / deltas.length;
  const standardError = standardDeviation(deltas) / Math.sqrt(deltas.length);
  const base = { delta, tolerance, cases: deltas.length, repeats, minDetectableDrop: Math.min(1, tolerance + DETECTABLE_Z * standardError) };
  if (deltas.length < 2) {
    // One paired case says nothing about noise: it can neither convict nor clear the prompt.
    return { ...base, outcome: "inconclusive", low: -1, high: 1, pValue: 1 };
  }
  const means = bootstrapMeans(deltas, { random: seededRandom(comparison.promptId) });
  const low = percentile(means, ALPHA * 100) as number;
  const high = percentile(means, (1 - ALPHA) * 100) as number;
  const atOrAbove = means.filter((m) => m >= -tolerance - EPSILON).length;
  const pValue = (atOrAbove + 1) / (means.length + 1);
  const outcome = pValue <= ALPHA ? "regression" : low > -tolerance - EPSILON ? "no-regression" : "inconclusive";
  return { ...base, outcome, low, high, pValue };
}

/**
 * Holm's step-down over the prompts judged in one review: the family-wise chance that any
 * harmless prompt is called a regression stays at ALPHA however many prompts a change touches.
 * A prompt that would be a regression alone but not after the correction is inconclusive.
 * "No regression shown" needs no correction: the review is green only when every prompt clears
 * its own test, which holds the error of a green review at ALPHA (an intersection-union test).
 */
export function holm(judgements: DeltaJudgement[]): DeltaJudgement[] {
  const order = judgements.map((j, i) => ({ j, i })).sort((a, b) => a.j.pValue - b.j.pValue);
  const rejected = new Set<number>();
  for (let k = 0; k < order.length; k++) {
    if (order[k].j.pValue > ALPHA / (order.length - k)) break;
    rejected.add(order[k].i);
  }
  return judgements.map((j, i) =>
    j.outcome === "regression" && !rejected.has(i) ? { ...j, outcome: "inconclusive" } : { ...j },
  );
}

/** A head-only level (mean score, pass rate) judged against a minimum with its one-sided bounds. */
export interface LevelJudgement {
  outcome: "below" | "meets" | "inconclusive";
  value: number;
  low: number;
  high: number;
}

/**
 * `below` when the upper one-sided bound is under the minimum (the evidence shows it), `meets`
 * when the lower bound reaches it, `inconclusive` otherwise. Bootstrapped over cases, seeded.
 */
export function judgeLevel(values: readonly number[], minimum: number, seed: string): LevelJudgement {
  const value = values.reduce((a, b) => a + b, 0) / values.length;
  const means = bootstrapMeans(values, { random: seededRandom(seed) });
  const low = percentile(means, ALPHA * 100) as number;
  const high = percentile(means, (1 - ALPHA) * 100) as number;
  const outcome = high < minimum - EPSILON ? "below" : low >= minimum - EPSILON ? "meets" : "inconclusive";
  return { outcome, value, low, high };
}

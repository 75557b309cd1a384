// The decision on a prompt's score delta against the allowed drop: regression, no regression
// shown, or inconclusive, from one-sided bootstrap bounds, with Holm's step-down across the
// prompts of one review so that many harmless prompts do not add up to a red review.

import type { DeltaJudgement, PromptComparison } from "./model.js";
import { bootstrapMeans, mean, normalCdf, normalQuantile, pairedDeltas, percentile, seededRandom, standardDeviation } from "./stats.js";

/**
 * Error rate of each one-sided decision, and of the review's "regression" verdict across its
 * prompts after Holm's correction. Each end of the reported interval is a one-sided bound at
 * 1 - ALPHA (so the interval is a two-sided 90 % one).
 */
export const ALPHA = 0.05;

/** Interval level whose ends are the one-sided bounds the decision uses. */
export const INTERVAL_LEVEL = 1 - 2 * ALPHA;

/** z for 80 % power: added to the test's own z to give the drop seen 4 times in 5. */
const POWER_Z = 0.8416;

const EPSILON = 1e-9;

/**
 * Judges one prompt before any correction across prompts.
 *
 * - *regression*: the one-sided test rejects "no drop" (the bootstrap's share of resampled means
 *   at or above 0 is at most the level) and the estimated drop is larger than the tolerance. The
 *   test is against no drop rather than against the tolerance: a drop twice the tolerance is then
 *   caught with about a quarter of the samples, and the second condition keeps a drop too small to
 *   matter from failing a review however many cases show it.
 * - *no regression shown*: the one-sided lower bound of the delta is above `-tolerance`.
 * - *inconclusive*: neither; a drop of up to `-low` cannot be ruled out.
 *
 * `alphaShare` is the part of ALPHA this look may spend when the prompt is judged in stages (see
 * adaptive.ts); the bounds are then at 1 - ALPHA * alphaShare and the p-value is divided by the
 * share, so that whichever look a prompt stops at, the p-value is a valid one for Holm's
 * correction (the union bound over the planned looks). Seeded by the prompt id like the reported
 * interval, so a rerun agrees.
 */
export function judgeDelta(comparison: PromptComparison, tolerance: number, alphaShare = comparison.sequential?.alphaShare ?? 1): DeltaJudgement | undefined {
  const deltas = pairedDeltas(comparison);
  const scored = comparison.cases.filter((c) => c.delta !== undefined);
  const folded = comparison.folded?.deltas.length ? Math.min(comparison.head?.folded?.repeats ?? 1, comparison.base?.folded?.repeats ?? 1) : 1;
  const repeats = Math.max(1, folded, ...scored.map((c) => Math.min(c.head?.repeats ?? 1, c.base?.repeats ?? 1)));
  return judgePairedDeltas(deltas, tolerance, { seed: comparison.promptId, repeats, alphaShare });
}

/**
 * The same decision on any paired per-case deltas (score, or pass 1/0 for the pass-rate gate).
 * `repeats` is only reported; `seed` makes the bootstrap the same on every rerun.
 */
export function judgePairedDeltas(
  deltas: ArrayLike<number>,
  tolerance: number,
  { seed, repeats = 1, alphaShare = 1 }: { seed: string; repeats?: number; alphaShare?: number },
): DeltaJudgement | undefined {
  if (deltas.length === 0) return undefined;
  const delta = mean(deltas)!;
  const standardError = standardDeviation(deltas) / Math.sqrt(deltas.length);
  const alpha = ALPHA * alphaShare;
  const testZ = normalQuantile(1 - alpha);
  // The test needs the drop past testZ standard errors and past the tolerance: seen 4 times in 5
  // from the larger of the two plus the power margin.
  const minDetectableDrop = Math.min(1, Math.max((testZ + POWER_Z) * standardError, tolerance + POWER_Z * standardError));
  const base = { delta, tolerance, cases: deltas.length, repeats, minDetectableDrop, level: 1 - alpha };
  if (deltas.length < 2) {
    // One paired case says nothing about noise: it can neither convict nor clear the prompt.
    return { ...base, outcome: "inconclusive", low: -1, high: 1, pValue: 1 };
  }
  const means = bootstrapMeans(deltas, { random: seededRandom(seed) });
  const low = percentile(means, alpha * 100) as number;
  const high = percentile(means, (1 - alpha) * 100) as number;
  const atOrAbove = means.filter((m) => m >= -EPSILON).length;
  // The bootstrap cannot tell p below 1 / (resamples + 1): when no resampled mean reached zero,
  // the normal tail of the mean says how far below, so that Holm across many prompts (whose first
  // threshold is ALPHA / prompts) can still confirm a drop no resample came near.
  const bootstrapP = (atOrAbove + 1) / (means.length + 1);
  const tailP = standardError > 0 ? normalCdf(delta / standardError) : delta < 0 ? 0 : 1;
  const pValue = Math.min(1, (atOrAbove === 0 ? Math.min(bootstrapP, tailP) : bootstrapP) / alphaShare);
  const outcome = pValue <= ALPHA && -delta > tolerance + EPSILON ? "regression" : low > -tolerance - EPSILON ? "no-regression" : "inconclusive";
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
export function judgeLevel(values: ArrayLike<number>, minimum: number, seed: string): LevelJudgement {
  const value = mean(values)!;
  const means = bootstrapMeans(values, { random: seededRandom(seed) });
  const low = percentile(means, ALPHA * 100) as number;
  const high = percentile(means, (1 - ALPHA) * 100) as number;
  const outcome = high < minimum - EPSILON ? "below" : low >= minimum - EPSILON ? "meets" : "inconclusive";
  return { outcome, value, low, high };
}

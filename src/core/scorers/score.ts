// Runs a case's scorers on one output and folds their results into the case's score and pass.

import type { ScoreResult } from "../eval/model.js";
import { checkString } from "./string.js";
import type { ScoreContext, Scorer } from "./types.js";

/** Name of the fallback check used when a case has an `expected` but no evaluator applies. */
export const EXPECTED_SCORER_NAME = "expected";

/**
 * Scores an output with every scorer. When there are none: a case with an `expected` is checked
 * for an exact match after trimming (the one reading of "expected" that cannot pass by accident,
 * unlike `contains`); a case without one gets no score at all (an empty list), which the
 * statistics leave out rather than count as a failure or a pass.
 */
export async function scoreOutput(ctx: ScoreContext, scorers: Scorer[]): Promise<ScoreResult[]> {
  if (scorers.length === 0) {
    if (ctx.expected === undefined) return [];
    const outcome = checkString({ check: "equals" }, ctx);
    return [{ name: EXPECTED_SCORER_NAME, weight: 1, ...outcome }];
  }
  return Promise.all(
    scorers.map(async (scorer): Promise<ScoreResult> => {
      try {
        const outcome = await scorer.score(ctx);
        const result: ScoreResult = { name: scorer.name, weight: scorer.weight, score: clamp01(outcome.score), pass: outcome.pass, reason: outcome.reason };
        if (outcome.error) result.error = true;
        return result;
      } catch (error) {
        // A scorer that throws is a bug or an unreachable dependency: never a pass, and flagged.
        const message = error instanceof Error ? error.message : String(error);
        return { name: scorer.name, weight: scorer.weight, score: 0, pass: false, reason: `scorer failed: ${message}`, error: true };
      }
    }),
  );
}

export interface CombinedScore {
  /** Weighted mean of the scores (0..1); 0 when there is nothing to combine. */
  score: number;
  /** Every scorer passed; false when there is nothing to combine. */
  pass: boolean;
  /** False when there were no results: the case has no score. */
  scored: boolean;
  /** Some scorer could not run (judge or embedder failure): the case was not really evaluated. */
  error: boolean;
}

/** The case's score: weighted mean (plain mean when every weight is 0); pass needs every scorer to pass. */
export function combineScores(results: ScoreResult[]): CombinedScore {
  if (results.length === 0) return { score: 0, pass: false, scored: false, error: false };
  const totalWeight = results.reduce((sum, r) => sum + r.weight, 0);
  const score =
    totalWeight > 0
      ? results.reduce((sum, r) => sum + r.score * r.weight, 0) / totalWeight
      : results.reduce((sum, r) => sum + r.score, 0) / results.length;
  return {
    score: clamp01(score),
    pass: results.every((r) => r.pass),
    scored: true,
    error: results.some((r) => r.error === true),
  };
}

function clamp01(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, value));
}

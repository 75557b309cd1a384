// Adaptive repeats: after the first pass, the cases of a prompt whose score delta is still
// inconclusive are sampled again on both sides, in stages, until the delta is decided or the
// planned looks run out. The decisions (which prompts go on, with which cases and samples) are
// pure; the sampling itself is handed in, so the review and the power simulation run this same
// code.
//
// Error control across looks: the error rate ALPHA of each one-sided decision is split over the
// planned looks beforehand (a weighted Bonferroni split, `SHARES` below), and a look decides at its
// own share. By the union bound the chance of a wrong "regression" (or a wrong "no regression
// shown") over all looks is at most the sum of the shares, i.e. ALPHA, whatever the correlation
// between looks, the bootstrap's shape or when a prompt stops. The exact group-sequential
// boundaries (Pocock, O'Brien-Fleming) would be a little less conservative but assume a normal
// statistic with known information; the union bound needs neither, and it turns the look a prompt
// stopped at into a p-value (its p divided by its share) that Holm's correction across the
// prompts of a review can take as it is. Re-sampling until green is impossible: a later look
// never undoes the spending of an earlier one, and cached samples make a rerun identical.

import type { GateConfig } from "../config/model.js";
import { judgeDeltas } from "./gates.js";
import type { CaseResult, DeltaJudgement, PromptComparison } from "./model.js";
import { caseErrored } from "./stats.js";

/** One planned look: samples per case and side once it is taken, and its share of ALPHA. */
export interface Look {
  repeats: number;
  alphaShare: number;
}

/** What the stages need to know of one prompt before any sample is seen. */
export interface AdaptivePrompt {
  promptId: string;
  /** Cases whose base and head samples can differ (the others are never sampled again). */
  resampled: readonly string[];
  /** The planned looks; a single look (share 1) when the prompt is not judged in stages. */
  looks: readonly Look[];
}

/** One stage's new samples for one prompt: repeat indices `fromRepeat` up to `toRepeat` (exclusive) of these cases, on both sides. */
export interface StageRequest {
  promptId: string;
  caseIds: readonly string[];
  fromRepeat: number;
  toRepeat: number;
}

/**
 * Shares of ALPHA for two or three looks. The last, largest look has the most power and gets
 * the most; the first pass keeps enough to stop a clear regression without buying samples.
 * Tuned with `npm run bench:power` (100 cases, accuracy 0.8, a 10-point drop): 1 → 3 → 5 samples
 * with 0.2 / 0.2 / 0.6 catch the drop in about 92 % of runs for about 2.9 single passes, where
 * 1 → 2 → 4 with any split tried stayed near 88 %.
 */
const SHARES: Record<number, number[]> = { 1: [1], 2: [0.25, 0.75], 3: [0.2, 0.2, 0.6] };

/**
 * The looks from `firstRepeats` samples per case to `maxRepeats`: the first pass, the midpoint,
 * and the cap (1 → 3 → 5). Never more than three looks: each extra one splits the error rate
 * further, costing power at every look, for little saving.
 */
export function planLooks(firstRepeats: number, maxRepeats: number): Look[] {
  const counts = [firstRepeats];
  if (maxRepeats > firstRepeats) {
    const middle = Math.ceil((firstRepeats + maxRepeats) / 2);
    if (middle < maxRepeats) counts.push(middle);
    counts.push(maxRepeats);
  }
  const shares = SHARES[counts.length]!;
  return counts.map((repeats, i) => ({ repeats, alphaShare: shares[i]! }));
}

/** The `sequential` marker of a comparison at look `index`, or undefined for a one-look prompt. */
export function sequentialAt(prompt: AdaptivePrompt, index: number): PromptComparison["sequential"] {
  if (prompt.looks.length < 2) return undefined;
  return { look: index + 1, looks: prompt.looks.length, alphaShare: prompt.looks[index]!.alphaShare };
}

export interface StageInput {
  prompts: readonly AdaptivePrompt[];
  /** Look index each prompt's current data is at. */
  lookOf: ReadonlyMap<string, number>;
  /** The prompts' delta judgements at their current look, after the correction across prompts. */
  judgements: Readonly<Record<string, DeltaJudgement>>;
  /** Money left under the run's spending cap, when one is set. */
  budgetLeftUsd?: number;
  /** Estimated cost of one more sample of one case on both sides, per prompt. */
  sampleCostUsd?: (promptId: string) => number;
}

/**
 * The next stage: every prompt still inconclusive with looks left samples its re-samplable cases
 * up to the next look's count. A prompt stops when decided, when its estimated delta shows no
 * drop at all (a futility stop: it spends no error and only gives up a chance to reject, so it
 * cannot raise either error rate), or when the next stage would not fit in the budget left.
 */
export function nextStage(input: StageInput): StageRequest[] {
  const requests: StageRequest[] = [];
  let left = input.budgetLeftUsd ?? Infinity;
  for (const prompt of input.prompts) {
    const index = input.lookOf.get(prompt.promptId) ?? 0;
    const next = prompt.looks[index + 1];
    const judgement = input.judgements[prompt.promptId];
    if (!next || prompt.resampled.length === 0 || !judgement) continue;
    if (judgement.outcome !== "inconclusive" || judgement.delta >= 0) continue;
    const fromRepeat = prompt.looks[index]!.repeats;
    const cost = (input.sampleCostUsd?.(prompt.promptId) ?? 0) * prompt.resampled.length * (next.repeats - fromRepeat);
    if (cost > left) continue;
    left -= cost;
    requests.push({ promptId: prompt.promptId, caseIds: prompt.resampled, fromRepeat, toRepeat: next.repeats });
  }
  return requests;
}

export interface AdaptiveIo {
  prompts: readonly AdaptivePrompt[];
  gates: GateConfig;
  /** The comparison of `prompts[index]` from the samples taken so far, marked with `sequential`. */
  compare(index: number, sequential: PromptComparison["sequential"]): PromptComparison;
  /** Takes a stage's samples and folds them into what `compare` reads (see `addSamples`). */
  resample(requests: readonly StageRequest[]): Promise<void>;
  /** Money left under the run's spending cap, read before each stage; undefined without a cap. */
  budgetLeftUsd?: () => number | undefined;
}

/**
 * Runs the stages and returns every prompt's comparison at the look it stopped at, in the order
 * of `prompts`. With adaptive repeats off every prompt has one look and this only compares.
 */
export async function adaptRepeats(io: AdaptiveIo): Promise<PromptComparison[]> {
  const lookOf = new Map(io.prompts.map((p) => [p.promptId, 0]));
  for (;;) {
    const comparisons = io.prompts.map((p, i) => io.compare(i, sequentialAt(p, lookOf.get(p.promptId)!)));
    const byId = new Map(comparisons.map((c) => [c.promptId, c]));
    const budgetLeftUsd = io.budgetLeftUsd?.();
    const requests = nextStage({
      prompts: io.prompts,
      lookOf,
      judgements: judgeDeltas(comparisons, io.gates),
      ...(budgetLeftUsd !== undefined ? { budgetLeftUsd, sampleCostUsd: (id: string) => sampleCost(byId.get(id)) } : {}),
    });
    if (requests.length === 0) return comparisons;
    await io.resample(requests);
    for (const r of requests) lookOf.set(r.promptId, lookOf.get(r.promptId)! + 1);
  }
}

/** What one sample of one case on both sides has cost so far, on average. */
function sampleCost(comparison: PromptComparison | undefined): number {
  if (!comparison) return 0;
  let usd = 0;
  let samples = 0;
  for (const side of [comparison.base, comparison.head]) {
    for (const c of side?.cases ?? []) {
      usd += Number.isFinite(c.costUsd) ? c.costUsd : 0;
      samples += c.repeats;
    }
  }
  // Per case on both sides: two sides' samples.
  return samples === 0 ? 0 : (2 * usd) / samples;
}

/**
 * A case's result with a stage's extra samples folded in: the score averages every sample, k/n
 * counts every sample, cost and tokens add up. The case's pass stays what its first pass decided
 * (`providers.repeats` samples with `passThreshold`), so extra samples refine the score delta
 * without moving the pass rate's bar. Extra samples that could not be taken (provider error, the
 * spending cap) are left out: whether a request fails does not depend on its answer, so the
 * estimate stays fair on fewer samples.
 */
export function addSamples(previous: CaseResult, extra: CaseResult): CaseResult {
  if (caseErrored(previous) || caseErrored(extra) || extra.repeats === 0) return previous;
  const repeats = previous.repeats + extra.repeats;
  return {
    ...previous,
    score: (previous.score * previous.repeats + extra.score * extra.repeats) / repeats,
    passes: previous.passes + extra.passes,
    repeats,
    usage: { input: previous.usage.input + extra.usage.input, output: previous.usage.output + extra.usage.output },
    costUsd: previous.costUsd + extra.costUsd,
    latencyMs: (previous.latencyMs * previous.repeats + extra.latencyMs * extra.repeats) / repeats,
  };
}

// Statistics for comparisons: means, percentiles, one side's summary, and a seeded paired
// bootstrap so a confidence interval is the same every time the same results are reported.

import type { GoldenSet } from "../golden/model.js";
import type { TokenUsage } from "../providers/port.js";
import {
  FOLDED_ERRORED,
  FOLDED_MODEL_ERROR,
  FOLDED_PASS,
  FOLDED_SCORED,
  type CaseResult,
  type ConfidenceInterval,
  type FoldedCases,
  type PromptComparison,
  type Side,
  type SideResult,
} from "./model.js";

export function mean(values: ArrayLike<number>): number | undefined {
  if (values.length === 0) return undefined;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/** The p-th percentile (0..100) with linear interpolation between ranks; undefined for no values. */
export function percentile(values: readonly number[], p: number): number | undefined {
  return sortedPercentile(Float64Array.from(values).sort(), p);
}

/** `percentile` of values already sorted ascending. */
function sortedPercentile(sorted: ArrayLike<number>, p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
}

/**
 * The case was not really evaluated: the model could not be reached, or a scorer could not run
 * (judge or embedder down). Its zero score says nothing about the prompt.
 */
export function caseErrored(result: CaseResult): boolean {
  return result.error !== undefined || result.scores.some((s) => s.error === true);
}

/** A case counts towards score and pass rate when it was evaluated and some scorer scored it. */
export function isScored(result: CaseResult): boolean {
  return !caseErrored(result) && result.scores.length > 0;
}

/**
 * One side's summary. Errored cases are left out of every average and counted in `errors` (their
 * cost still counts: it was spent); cases with no scorer are left out of score and pass rate.
 * `folded` cases count in every figure like the detailed ones.
 */
export function summarizeSide(
  side: Side,
  promptPath: string,
  cases: CaseResult[],
  meta: { version?: string; model?: string } = {},
  folded?: FoldedCases,
): SideResult {
  // Sums rather than arrays of every case's figures: a folded side may hold 100,000 cases.
  let scoreSum = 0;
  let passSum = 0;
  let scored = 0;
  // The model answered even when a judge then failed, so those latencies are real.
  const latencies = new Float64Array(cases.length + (folded?.count ?? 0));
  let answered = 0;
  let cost = 0;
  for (const c of cases) {
    if (isScored(c)) {
      scoreSum += c.score;
      passSum += c.pass ? 1 : 0;
      scored++;
    }
    if (c.error === undefined) latencies[answered++] = c.latencyMs;
    if (Number.isFinite(c.costUsd)) cost += c.costUsd;
  }
  if (folded) {
    for (let i = 0; i < folded.count; i++) {
      const flags = folded.flags[i]!;
      if (flags & FOLDED_SCORED && (flags & FOLDED_ERRORED) === 0) {
        scoreSum += folded.score[i]!;
        passSum += flags & FOLDED_PASS ? 1 : 0;
        scored++;
      }
      if ((flags & FOLDED_MODEL_ERROR) === 0) latencies[answered++] = folded.latencyMs[i]!;
    }
    cost += folded.costUsd;
  }
  const sorted = latencies.subarray(0, answered).sort();
  const result: SideResult = {
    side,
    promptPath,
    cases,
    meanScore: scored > 0 ? scoreSum / scored : undefined,
    passRate: scored > 0 ? passSum / scored : undefined,
    costUsd: cost,
    latencyP50Ms: sortedPercentile(sorted, 50),
    latencyP95Ms: sortedPercentile(sorted, 95),
    errors: erroredCount({ cases, ...(folded ? { folded } : {}) }),
  };
  if (meta.version !== undefined) result.version = meta.version;
  if (meta.model !== undefined) result.model = meta.model;
  if (folded) result.folded = folded;
  return result;
}

type SideCases = Pick<SideResult, "cases" | "folded">;

/** Cases the side ran, listed or folded. */
export function caseCount(side: SideCases): number {
  return side.cases.length + (side.folded?.count ?? 0);
}

/** Cases the side could not really evaluate (`caseErrored`), listed or folded. */
export function erroredCount(side: SideCases): number {
  let errored = side.cases.filter(caseErrored).length;
  const folded = side.folded;
  if (folded) for (let i = 0; i < folded.count; i++) if (folded.flags[i]! & FOLDED_ERRORED) errored++;
  return errored;
}

// Per-case figures of a whole side or comparison are typed arrays of their exact length: a folded
// side holds up to one entry per case of a 100,000-case set, and arrays grown by `push` would
// copy themselves over and over at the end of every run.

/** Score and pass (1 or 0) of every scored case of a side, listed or folded: what score and pass-rate gates judge. */
export function scoredOutcomes(side: SideCases): { scores: Float64Array; passes: Float64Array } {
  const folded = side.folded;
  const scores = new Float64Array(side.cases.length + (folded?.count ?? 0));
  const passes = new Float64Array(scores.length);
  let n = 0;
  for (const c of side.cases) {
    if (!isScored(c)) continue;
    scores[n] = c.score;
    passes[n++] = c.pass ? 1 : 0;
  }
  if (folded) {
    for (let i = 0; i < folded.count; i++) {
      const flags = folded.flags[i]!;
      if ((flags & FOLDED_SCORED) === 0 || flags & FOLDED_ERRORED) continue;
      scores[n] = folded.score[i]!;
      passes[n++] = flags & FOLDED_PASS ? 1 : 0;
    }
  }
  return { scores: scores.subarray(0, n), passes: passes.subarray(0, n) };
}

/** Every paired delta of a comparison: its listed cases', then its folded pairs'. */
export function pairedDeltas(comparison: Pick<PromptComparison, "cases" | "folded">): Float64Array {
  const folded = comparison.folded?.deltas;
  const deltas = new Float64Array(comparison.cases.length + (folded?.length ?? 0));
  let n = 0;
  for (const c of comparison.cases) if (c.delta !== undefined) deltas[n++] = c.delta;
  if (folded) deltas.set(folded, n);
  return deltas.subarray(0, n + (folded?.length ?? 0));
}

/** Tokens the side used, listed or folded cases. */
export function tokenTotal(side: SideCases): number {
  return side.cases.reduce((sum, r) => sum + r.usage.input + r.usage.output, 0) + (side.folded ? side.folded.tokens.input + side.folded.tokens.output : 0);
}

/**
 * Golden sets up to this many cases keep every case's details (output, scores, reasons) for the
 * reports. Larger ones keep this many of the cases a report shows (changed, failing, errored) and
 * fold the others into their side's numbers: memory stays flat however large the set.
 */
export const DETAILED_CASES = 2000;

/** Score differences below this are float noise, not a change (as the comparison counts them). */
const SAME_SCORE = 1e-9;

/**
 * Collects the case results of one evaluation as they are scored, side by side: sides that run
 * the same golden set are the base and head of one comparison and keep or fold each case
 * together, so the comparison pairs them entry by entry.
 */
export interface CaseFold {
  /** One stage's results, per side in run order; within a golden set, case i of every side at index i. */
  add(stage: readonly (readonly CaseResult[])[]): void;
  /** Side `i`'s kept cases and its folded ones. */
  side(i: number): { cases: CaseResult[]; folded?: FoldedCases };
}

export function foldCases(goldens: readonly GoldenSet[]): CaseFold {
  const kept: CaseResult[][] = goldens.map(() => []);
  const folded = goldens.map((golden) => (golden.size > DETAILED_CASES ? newFolded(golden.size) : undefined));
  // Sides grouped by golden set, in run order: one group is one comparison.
  const groups = new Map<GoldenSet, number[]>();
  goldens.forEach((golden, i) => groups.set(golden, [...(groups.get(golden) ?? []), i]));
  const keptPairs = new Map<GoldenSet, number>();

  return {
    add(stage) {
      for (const [golden, sides] of groups) {
        const length = Math.max(...sides.map((i) => stage[i]?.length ?? 0));
        let pairs = keptPairs.get(golden) ?? 0;
        for (let j = 0; j < length; j++) {
          const results = sides.map((i) => stage[i]?.[j]);
          const keep = folded[sides[0]!] === undefined || (pairs < DETAILED_CASES && shown(results));
          if (keep) pairs++;
          sides.forEach((i, k) => {
            const result = results[k];
            if (!result) return;
            if (keep) kept[i]!.push(result);
            else addFolded(folded[i]!, result);
          });
        }
        keptPairs.set(golden, pairs);
      }
    },
    side(i) {
      const f = folded[i];
      if (!f) return { cases: kept[i]! };
      return { cases: kept[i]!, folded: { ...f, score: f.score.subarray(0, f.count), flags: f.flags.subarray(0, f.count), latencyMs: f.latencyMs.subarray(0, f.count) } };
    },
  };
}

/** A case a report shows: errored or failing on a side, or scored differently by the sides. */
function shown(results: readonly (CaseResult | undefined)[]): boolean {
  const present = results.filter((r): r is CaseResult => r !== undefined);
  if (present.some((r) => caseErrored(r) || (isScored(r) && !r.pass))) return true;
  const [first, ...others] = present;
  return others.some((r) => Math.abs(r.score - first!.score) >= SAME_SCORE || r.pass !== first!.pass || isScored(r) !== isScored(first!));
}

function newFolded(capacity: number): FoldedCases {
  const tokens: TokenUsage = { input: 0, output: 0 };
  return { count: 0, score: new Float64Array(capacity), flags: new Uint8Array(capacity), latencyMs: new Float64Array(capacity), tokens, costUsd: 0, repeats: 0 };
}

function addFolded(f: FoldedCases, r: CaseResult): void {
  const i = f.count++;
  f.score[i] = r.score;
  f.flags[i] = (r.pass ? FOLDED_PASS : 0) | (isScored(r) ? FOLDED_SCORED : 0) | (caseErrored(r) ? FOLDED_ERRORED : 0) | (r.error !== undefined ? FOLDED_MODEL_ERROR : 0);
  f.latencyMs[i] = r.latencyMs;
  f.tokens.input += r.usage.input;
  f.tokens.output += r.usage.output;
  if (Number.isFinite(r.costUsd)) f.costUsd += r.costUsd;
  f.repeats = Math.max(f.repeats, r.repeats);
}

export interface BootstrapOptions {
  /** Resamples; 2,000 keeps a 95 % interval's ends stable to about ±0.005 on typical golden sets. */
  iterations?: number;
  /** Confidence level, e.g. 0.95. */
  level?: number;
  /** Uniform [0, 1); pass `seededRandom(...)` for reproducible reports. */
  random: () => number;
}

/**
 * Percentile bootstrap of the mean of paired deltas (head - base per case). With no deltas
 * the interval is [0, 0]; callers decide how much data is enough to trust it.
 */
export function pairedBootstrap(deltas: ArrayLike<number>, options: BootstrapOptions): ConfidenceInterval {
  const level = options.level ?? 0.95;
  if (deltas.length === 0) return { low: 0, high: 0, level };
  const sorted = bootstrapMeans(deltas, options);
  const tail = ((1 - level) / 2) * 100;
  return { low: percentile(sorted, tail) as number, high: percentile(sorted, 100 - tail) as number, level };
}

/** The sorted resampled means of the paired deltas (empty for no deltas). */
export function bootstrapMeans(deltas: ArrayLike<number>, options: Omit<BootstrapOptions, "level">): number[] {
  const iterations = Math.max(1, Math.floor(options.iterations ?? 2000));
  const n = deltas.length;
  if (n === 0) return [];
  const means = new Float64Array(iterations);
  const random = options.random;
  for (let i = 0; i < iterations; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) {
      // `| 0` and a comparison rather than Math.floor and Math.min (same values here): see `imul` below.
      const k = (random() * n) | 0;
      sum += deltas[k < n ? k : n - 1];
    }
    means[i] = sum / n;
  }
  means.sort();
  return Array.from(means);
}

/** Sample standard deviation; 0 for fewer than two values. */
export function standardDeviation(values: ArrayLike<number>): number {
  const m = mean(values);
  if (m === undefined || values.length < 2) return 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i]! - m) ** 2;
  return Math.sqrt(sum / (values.length - 1));
}

// Module bindings rather than `Math.*` lookups in the generator's hot loop: where the global object
// is a sandbox's (test runners' vm contexts), each global lookup is several times slower.
const imul = Math.imul;

/** A deterministic uniform [0, 1) generator (mulberry32 seeded by an FNV-1a hash of the seed). */
export function seededRandom(seed: string | number): () => number {
  const text = String(seed);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = imul(hash, 0x01000193);
  }
  let state = hash >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The standard normal CDF, Φ(z), through the complementary error function (Numerical Recipes'
 * Chebyshev fit, fractional error below 1.2e-7 everywhere, so tails stay accurate).
 */
export function normalCdf(z: number): number {
  const x = -z / Math.SQRT2;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.5 * ax);
  const poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(-ax * ax + poly);
  return 0.5 * (x >= 0 ? erfc : 2 - erfc);
}

/**
 * The standard normal quantile (inverse CDF) for p in (0, 1), by Acklam's rational approximation
 * (relative error below 1.2e-9): z for a one-sided level, e.g. 1.645 for 0.95.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p <= 0 ? -Infinity : Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = 0.02425;
  if (p < tail || p > 1 - tail) {
    const q = Math.sqrt(-2 * Math.log(p < tail ? p : 1 - p));
    const z = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    return p < tail ? z : -z;
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// Statistics for comparisons: means, percentiles, one side's summary, and a seeded paired
// bootstrap so a confidence interval is the same every time the same results are reported.

import type { CaseResult, ConfidenceInterval, Side, SideResult } from "./model.js";

export function mean(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** The p-th percentile (0..100) with linear interpolation between ranks; undefined for no values. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
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
 */
export function summarizeSide(side: Side, promptPath: string, cases: CaseResult[], meta: { version?: string; model?: string } = {}): SideResult {
  const ran = cases.filter((c) => !caseErrored(c));
  const scored = ran.filter(isScored);
  const passRate = scored.length === 0 ? undefined : scored.filter((c) => c.pass).length / scored.length;
  // The model answered even when a judge then failed, so those latencies are real.
  const latencies = cases.filter((c) => c.error === undefined).map((c) => c.latencyMs);
  const result: SideResult = {
    side,
    promptPath,
    cases,
    meanScore: mean(scored.map((c) => c.score)),
    passRate,
    costUsd: cases.reduce((sum, c) => sum + (Number.isFinite(c.costUsd) ? c.costUsd : 0), 0),
    latencyP50Ms: percentile(latencies, 50),
    latencyP95Ms: percentile(latencies, 95),
    errors: cases.length - ran.length,
  };
  if (meta.version !== undefined) result.version = meta.version;
  if (meta.model !== undefined) result.model = meta.model;
  return result;
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
export function pairedBootstrap(deltas: readonly number[], options: BootstrapOptions): ConfidenceInterval {
  const level = options.level ?? 0.95;
  if (deltas.length === 0) return { low: 0, high: 0, level };
  const sorted = bootstrapMeans(deltas, options);
  const tail = ((1 - level) / 2) * 100;
  return { low: percentile(sorted, tail) as number, high: percentile(sorted, 100 - tail) as number, level };
}

/** The sorted resampled means of the paired deltas (empty for no deltas). */
export function bootstrapMeans(deltas: readonly number[], options: Omit<BootstrapOptions, "level">): number[] {
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
export function standardDeviation(values: readonly number[]): number {
  const m = mean(values);
  if (m === undefined || values.length < 2) return 0;
  let sum = 0;
  for (const v of values) sum += (v - m) ** 2;
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

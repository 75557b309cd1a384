// What an evaluation produces, from one scored output up to the verdict of a review.
// The report module renders these; nothing here knows about Markdown or GitHub.

import type { Diagnostic } from "../diagnostics.js";
import type { TokenUsage } from "../providers/port.js";

export type Side = "base" | "head";

export interface ScoreResult {
  /** Evaluator name, e.g. `contains-refund`, `similarity`. */
  name: string;
  /** 0..1 */
  score: number;
  pass: boolean;
  /** Why, in one line (judge reasoning, expected vs actual, ...). */
  reason?: string;
  weight: number;
  /**
   * The scorer could not run (judge or embedder unreachable; an unusable judge answer is a plain
   * failure, not an error): score 0 and pass false, and the case counts as not evaluated.
   */
  error?: boolean;
}

/** One case on one side, after all repeats. */
export interface CaseResult {
  caseId: string;
  side: Side;
  /** Output of the first repeat (what reports show). */
  output: string;
  /** Set when the model could not be reached for this case: the case is not scored. */
  error?: { kind: string; message: string };
  scores: ScoreResult[];
  /** Weighted mean of `scores`, averaged over repeats (0..1). */
  score: number;
  pass: boolean;
  /** Repeats that passed / ran. */
  passes: number;
  repeats: number;
  usage: TokenUsage;
  costUsd: number;
  latencyMs: number;
}

/** Bits of `FoldedCases.flags`. */
export const FOLDED_PASS = 1;
/** Some scorer scored the case (`isScored`). */
export const FOLDED_SCORED = 2;
/** The case was not really evaluated (`caseErrored`). */
export const FOLDED_ERRORED = 4;
/** The model itself could not be reached (`error` set): its latency is not a latency. */
export const FOLDED_MODEL_ERROR = 8;

/**
 * Cases of a large golden set counted in every total without their details (output, scores,
 * reasons): the numbers averages, gates and the paired comparison need, one entry per case.
 * Both sides of a comparison fold the same cases in the same order, so entry i pairs with entry i.
 */
export interface FoldedCases {
  count: number;
  /** The case score (0..1), as `CaseResult.score`. */
  score: Float64Array;
  /** FOLDED_* bits. */
  flags: Uint8Array;
  latencyMs: Float64Array;
  tokens: TokenUsage;
  costUsd: number;
  /** The most repeats any folded case ran. */
  repeats: number;
}

export interface SideResult {
  side: Side;
  /** The prompt as evaluated: its path and version on this side. */
  promptPath: string;
  version?: string;
  model?: string;
  /**
   * Every case, or for a golden set larger than `DETAILED_CASES` the ones a report shows (changed,
   * failing, errored; at most that many), the others being in `folded`.
   */
  cases: CaseResult[];
  folded?: FoldedCases;
  /** Mean score over scored cases (errors excluded), 0..1; undefined when no case could be scored. */
  meanScore?: number;
  passRate?: number;
  costUsd: number;
  latencyP50Ms?: number;
  latencyP95Ms?: number;
  errors: number;
}

export type CaseStatus = "improved" | "regressed" | "unchanged" | "new" | "removed" | "error";

export interface CaseComparison {
  caseId: string;
  status: CaseStatus;
  base?: CaseResult;
  head?: CaseResult;
  /** head.score - base.score when both sides scored */
  delta?: number;
  /** Where the case is defined (golden file or inline testData), for annotations. */
  source?: { file: string; line: number };
  /** The case's variables, for reports. */
  vars?: Record<string, unknown>;
}

export interface ConfidenceInterval {
  low: number;
  high: number;
  /** e.g. 0.95 */
  level: number;
}

export type PromptChange = "added" | "modified" | "removed" | "renamed" | "dependency";

export interface PromptComparison {
  promptId: string;
  path: string;
  previousPath?: string;
  change: PromptChange;
  base?: SideResult;
  head?: SideResult;
  cases: CaseComparison[];
  /** head mean - base mean over cases scored on both sides. */
  scoreDelta?: number;
  interval?: ConfidenceInterval;
  /** True when the interval contains 0: the delta may be noise. */
  withinNoise?: boolean;
  /** Either side samples at a temperature above 0: one sample's flip is chance as often as not. */
  sampled?: boolean;
  /**
   * Set when the prompt is judged in stages (adaptive repeats): the look whose data this is, of
   * how many planned, and the share of the error rate that look may spend (see adaptive.ts).
   */
  sequential?: { look: number; looks: number; alphaShare: number };
  costDeltaUsd?: number;
  latencyP50DeltaMs?: number;
  /** Case ids present on the base golden set but missing on the head. */
  removedCases: string[];
  /** The pairs of the sides' folded cases: counted, judged and averaged, not listed in `cases`. */
  folded?: FoldedComparison;
}

export interface FoldedComparison {
  count: number;
  statuses: Partial<Record<CaseStatus, number>>;
  /** head - base of each folded pair scored on both sides. */
  deltas: Float64Array;
}

export type Conclusion = "success" | "failure" | "neutral";

export interface GateFinding {
  promptId: string;
  gate: string;
  passed: boolean;
  message: string;
  /** The gate could neither pass nor fail on the evidence; `passed` follows `gates.onInconclusive`. */
  inconclusive?: boolean;
}

/**
 * A prompt's score delta judged against the allowed drop (`gates.maxRegression`):
 * `regression` when the evidence shows a drop (after the correction across the review's prompts)
 * and the estimated drop is larger than the tolerance, `no-regression` when the one-sided bound rules such a drop out,
 * `inconclusive` when neither: a drop of up to `-low` cannot be ruled out.
 */
export interface DeltaJudgement {
  outcome: "regression" | "no-regression" | "inconclusive";
  delta: number;
  tolerance: number;
  /** One-sided bounds of the true delta, each at `level` (0.95 for a prompt judged in one look). */
  low: number;
  high: number;
  level: number;
  /**
   * Chance of a delta this low if there were no drop, divided by the share of the error rate the
   * deciding look may spend (before the correction across prompts).
   */
  pValue: number;
  /** Cases scored on both sides, and samples per case and side. */
  cases: number;
  repeats: number;
  /** A drop this large is called a regression 4 times in 5 at this size; smaller ones may go unseen. */
  minDetectableDrop: number;
}

export interface Verdict {
  conclusion: Conclusion;
  /** One line for a check-run title. */
  title: string;
  findings: GateFinding[];
  /** Why the verdict is neutral (provider unreachable, no golden set, ...). */
  reasons: string[];
  /**
   * Set when cases were scored but no gate judged them: a success that checked nothing, shown
   * without a check mark ("no gates configured").
   */
  ungated?: true;
  /** Each compared prompt's delta judgement, by prompt id (absent when maxRegression is off). */
  judgements?: Record<string, DeltaJudgement>;
}

/** Everything one review found; the single input of every report format. */
export interface ReviewResult {
  baseRef: string;
  headRef: string;
  comparisons: PromptComparison[];
  diagnostics: Diagnostic[];
  verdict: Verdict;
  /** Unified diffs of prompt files, keyed by prompt id. */
  diffs: Record<string, string>;
  stats: { requestsSent: number; cacheHits: number; durationMs: number };
}

// The machine-readable report (`promptops review --format json`): a stable,
// versioned document. Fields are only added within `promptops.review/v1`, never renamed.

import { sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import type {
  CaseComparison,
  CaseResult,
  CaseStatus,
  ConfidenceInterval,
  DeltaJudgement,
  PromptChange,
  PromptComparison,
  ReviewResult,
  ScoreResult,
  SideResult,
  Verdict,
} from "../eval/model.js";
import { caseCount } from "../eval/stats.js";
import { removedCaseIds } from "./format.js";

export const REVIEW_JSON_SCHEMA = "promptops.review/v1";

/** One case on one side. Scores are 0..1; `error` is set (and the case unscored) when the model call failed. */
export interface ReviewJsonCaseSide {
  score: number | null;
  pass: boolean;
  output: string;
  error: { kind: string; message: string } | null;
  scores: ScoreResult[];
  passes: number;
  repeats: number;
  tokens: { input: number; output: number };
  costUsd: number;
  latencyMs: number;
}

export interface ReviewJsonCase {
  id: string;
  status: CaseStatus;
  /** head score − base score, when both sides were scored. */
  delta: number | null;
  source: { file: string; line: number } | null;
  vars: Record<string, unknown> | null;
  base: ReviewJsonCaseSide | null;
  head: ReviewJsonCaseSide | null;
}

/** Aggregates of one side of one prompt; `null` where nothing could be scored. */
export interface ReviewJsonSide {
  promptPath: string;
  version: string | null;
  model: string | null;
  meanScore: number | null;
  passRate: number | null;
  costUsd: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  cases: number;
  errors: number;
}

export interface ReviewJsonPrompt {
  id: string;
  path: string;
  previousPath: string | null;
  change: PromptChange;
  scoreDelta: number | null;
  interval: ConfidenceInterval | null;
  withinNoise: boolean | null;
  /** The delta judged against `gates.maxRegression`; null when that gate did not judge it. */
  judgement: DeltaJudgement | null;
  /** For a prompt judged in stages (adaptive repeats): the look it stopped at, of how many, and that look's share of the error rate. */
  sequential: { look: number; looks: number; alphaShare: number } | null;
  costDeltaUsd: number | null;
  latencyP50DeltaMs: number | null;
  base: ReviewJsonSide | null;
  head: ReviewJsonSide | null;
  cases: ReviewJsonCase[];
  /**
   * Cases counted in every figure but not in `cases`: a golden set larger than 2,000 cases lists
   * only the cases that changed, fail or errored (at most 2,000); 0 otherwise.
   */
  omittedCases: number;
  /** Case ids in the base golden set that the head no longer has. */
  removedCases: string[];
  /** Unified diff of the prompt file; "" when unavailable. */
  diff: string;
}

/** The whole document. Absent values are `null`, never missing keys, so consumers can rely on the shape. */
export interface ReviewJson {
  schema: typeof REVIEW_JSON_SCHEMA;
  baseRef: string;
  headRef: string;
  verdict: Verdict;
  prompts: ReviewJsonPrompt[];
  diagnostics: Diagnostic[];
  stats: { requestsSent: number; cacheHits: number; durationMs: number };
}

function caseSide(r: CaseResult | undefined): ReviewJsonCaseSide | null {
  if (!r) return null;
  return {
    score: r.error ? null : r.score,
    pass: r.pass,
    output: r.output,
    error: r.error ? { kind: r.error.kind, message: r.error.message } : null,
    scores: r.scores.map((s) => ({ name: s.name, score: s.score, pass: s.pass, ...(s.reason !== undefined ? { reason: s.reason } : {}), weight: s.weight })),
    passes: r.passes,
    repeats: r.repeats,
    tokens: { input: r.usage.input, output: r.usage.output },
    costUsd: r.costUsd,
    latencyMs: r.latencyMs,
  };
}

function side(s: SideResult | undefined): ReviewJsonSide | null {
  if (!s) return null;
  return {
    promptPath: s.promptPath,
    version: s.version ?? null,
    model: s.model ?? null,
    meanScore: s.meanScore ?? null,
    passRate: s.passRate ?? null,
    costUsd: s.costUsd,
    latencyP50Ms: s.latencyP50Ms ?? null,
    latencyP95Ms: s.latencyP95Ms ?? null,
    cases: caseCount(s),
    errors: s.errors,
  };
}

function caseJson(c: CaseComparison): ReviewJsonCase {
  return {
    id: c.caseId,
    status: c.status,
    delta: c.delta ?? null,
    source: c.source ? { file: c.source.file, line: c.source.line } : null,
    vars: c.vars ?? null,
    base: caseSide(c.base),
    head: caseSide(c.head),
  };
}

function promptJson(p: PromptComparison, diffs: Record<string, string>, casesOf: CasesOf, judgement: DeltaJudgement | undefined): ReviewJsonPrompt {
  return {
    id: p.promptId,
    path: p.path,
    previousPath: p.previousPath ?? null,
    change: p.change,
    scoreDelta: p.scoreDelta ?? null,
    interval: p.interval ? { low: p.interval.low, high: p.interval.high, level: p.interval.level } : null,
    withinNoise: p.withinNoise ?? null,
    judgement: judgement ? { ...judgement } : null,
    sequential: p.sequential ? { ...p.sequential } : null,
    costDeltaUsd: p.costDeltaUsd ?? null,
    latencyP50DeltaMs: p.latencyP50DeltaMs ?? null,
    base: side(p.base),
    head: side(p.head),
    cases: casesOf(p),
    omittedCases: p.folded?.count ?? 0,
    removedCases: removedCaseIds(p),
    diff: diffs[p.promptId] ?? "",
  };
}

/** How a prompt's cases become JSON: all at once, or one by one as they are written. */
type CasesOf = (p: PromptComparison) => ReviewJsonCase[];

/** The review as a `ReviewJson` object (keys in a fixed order). */
export function toReviewJson(result: ReviewResult): ReviewJson {
  return reviewJson(result, (p) => p.cases.map(caseJson));
}

function reviewJson(result: ReviewResult, casesOf: CasesOf): ReviewJson {
  return {
    schema: REVIEW_JSON_SCHEMA,
    baseRef: result.baseRef,
    headRef: result.headRef,
    verdict: {
      conclusion: result.verdict.conclusion,
      title: result.verdict.title,
      findings: result.verdict.findings.map((f) => ({ promptId: f.promptId, gate: f.gate, passed: f.passed, message: f.message, inconclusive: f.inconclusive === true })),
      reasons: [...result.verdict.reasons],
      ...(result.verdict.ungated ? { ungated: true as const } : {}),
    },
    prompts: result.comparisons.map((p) => promptJson(p, result.diffs, casesOf, result.verdict.judgements?.[p.promptId])),
    diagnostics: sortDiagnostics(result.diagnostics).map((d) => ({
      file: d.file,
      line: d.line,
      column: d.column,
      ...(d.endLine !== undefined ? { endLine: d.endLine } : {}),
      severity: d.severity,
      message: d.message,
      rule: d.rule,
    })),
    stats: { requestsSent: result.stats.requestsSent, cacheHits: result.stats.cacheHits, durationMs: result.stats.durationMs },
  };
}

/** `toReviewJson` as pretty-printed JSON text ending with a newline. */
export function renderJson(result: ReviewResult): string {
  return `${JSON.stringify(toReviewJson(result), null, 2)}\n`;
}

/**
 * `renderJson`'s text in pieces, one per case at most, for writing a large report to a file or
 * a pipe without holding it as one string. The pieces joined are exactly `renderJson`.
 */
export function* renderJsonChunks(result: ReviewResult): Generator<string> {
  // Root -> prompts -> prompt -> cases are opened here; each case is turned into JSON only when
  // it is written, so the report's object tree is never built for every case at once.
  const doc = reviewJson(result, (p) => new LazyList(p.cases, caseJson) as unknown as ReviewJsonCase[]);
  yield* prettyChunks(doc, 4, "");
  yield "\n";
}

/** A list written as a JSON array whose members are made one at a time. */
class LazyList<T, U> {
  constructor(
    readonly items: readonly T[],
    readonly map: (item: T) => U,
  ) {}
}

/** `JSON.stringify(value, null, 2)` at indentation `pad`, opening containers down to `depth`. */
function* prettyChunks(value: unknown, depth: number, pad: string): Generator<string> {
  if (depth === 0 || value === null || typeof value !== "object") {
    yield (JSON.stringify(value, null, 2) ?? "null").replace(/\n/g, `\n${pad}`);
    return;
  }
  const inner = `${pad}  `;
  if (value instanceof LazyList || Array.isArray(value)) {
    const list = value instanceof LazyList ? value : new LazyList(value as unknown[], (v) => v);
    if (list.items.length === 0) {
      yield "[]";
      return;
    }
    yield "[\n";
    for (let i = 0; i < list.items.length; i++) {
      const member = list.map(list.items[i]);
      yield inner;
      // As JSON.stringify: undefined members of an array are written null.
      yield* prettyChunks(member === undefined || typeof member === "function" ? null : member, depth - 1, inner);
      yield i < list.items.length - 1 ? ",\n" : "\n";
    }
    yield `${pad}]`;
    return;
  }
  // As JSON.stringify: undefined members of an object are left out.
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== "function");
  if (entries.length === 0) {
    yield "{}";
    return;
  }
  yield "{\n";
  for (let i = 0; i < entries.length; i++) {
    const [key, member] = entries[i]!;
    yield `${inner}${JSON.stringify(key)}: `;
    yield* prettyChunks(member, depth - 1, inner);
    yield i < entries.length - 1 ? ",\n" : "\n";
  }
  yield `${pad}}`;
}

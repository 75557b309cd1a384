// The verdict of a review: every changed prompt's comparison checked against the gates from the
// base branch's config. A gate that fails gives failure; an evaluation that could not run
// completely gives neutral with the reason; only a complete, passing evaluation gives success.

import type { GateConfig } from "../config/model.js";
import { holm, judgeDelta, judgeLevel, judgePairedDeltas } from "./decision.js";
import { FOLDED_ERRORED, FOLDED_PASS, FOLDED_SCORED, type CaseResult, type Conclusion, type DeltaJudgement, type GateFinding, type PromptComparison, type Verdict } from "./model.js";
import { caseCount, caseErrored, erroredCount, mean, scoredOutcomes } from "./stats.js";

/** Comparisons of scores that differ by less than this are equal (float noise). */
const EPSILON = 1e-9;

export interface VerdictContext {
  /** Lint errors (not warnings) across the pull request's prompt files. */
  lintErrors: number;
  /** Providers that could not be reached, described for a reader (`openai: connection refused`). */
  unreachable?: string[];
}

/**
 * Errors on either side make a prompt's evaluation incomplete (a base error hides the regression
 * check, a head error the head's own score), so any errored case rules out success: the verdict
 * is neutral with the reason, or failure when a gate failed on the cases that did run.
 */
export function decideVerdict(comparisons: PromptComparison[], gates: GateConfig, context: VerdictContext): Verdict {
  const findings: GateFinding[] = [];
  const reasons: string[] = [];
  for (const provider of context.unreachable ?? []) reasons.push(`Provider unreachable: ${provider}`);

  const judgements = judgeDeltas(comparisons, gates);
  const passRateJudgements = judgePassRateDrops(comparisons, gates);
  const inconclusiveReasons: string[] = [];
  for (const comparison of comparisons) {
    // A deleted prompt has nothing left to hold to a bar.
    if (comparison.change === "removed") continue;
    checkPrompt(comparison, gates, { score: judgements[comparison.promptId], passRate: passRateJudgements[comparison.promptId] }, findings, reasons, inconclusiveReasons);
  }

  const gateFailed = findings.some((f) => !f.passed);
  let conclusion: Conclusion = "success";
  if (gateFailed || context.lintErrors > 0) conclusion = "failure";
  else if (reasons.length > 0) conclusion = "neutral";

  // Neutral only because evidence is short is not "incomplete": every case was evaluated.
  const onlyInconclusive = reasons.length > 0 && reasons.length === inconclusiveReasons.length;
  // Cases that ran under no score gate cannot fail: "all gates passed" would claim a check that never happened.
  const scored = comparisons.some((c) => c.change !== "removed" && c.head !== undefined && caseCount(c.head) > 0);
  const ungated = scored && !findings.some((f) => f.gate !== "requireGolden");
  const verdict: Verdict = {
    conclusion,
    title: title(comparisons, judgements, conclusion, gateFailed, context.lintErrors, { onlyInconclusive, ungated: ungated ? ungatedText(gates) : undefined }),
    findings,
    reasons,
  };
  if (ungated && conclusion === "success") verdict.ungated = true;
  if (Object.keys(judgements).length > 0) verdict.judgements = judgements;
  return verdict;
}

/**
 * The delta judgements of every prompt the maxRegression gate applies to, corrected together:
 * the review's verdict is one decision over all of them. Adaptive repeats (adaptive.ts) call it
 * after each stage to see which prompts are still inconclusive.
 */
export function judgeDeltas(comparisons: readonly PromptComparison[], gates: GateConfig): Record<string, DeltaJudgement> {
  if (gates.maxRegression === undefined || !gates.ignoreNoise) return {};
  const tolerance = gates.maxRegression;
  return corrected(comparisons, (comparison) => judgeDelta(comparison, tolerance));
}

/**
 * The pass-rate delta (`maxPassRateDrop`) judged like the score delta, on each case's pass (1 or
 * 0) on both sides, and corrected across prompts as its own family. A case's pass is decided by
 * its planned `providers.repeats` samples, so adaptive repeats do not move it and this judgement
 * takes its look's full error rate.
 */
function judgePassRateDrops(comparisons: readonly PromptComparison[], gates: GateConfig): Record<string, DeltaJudgement> {
  const tolerance = gates.maxPassRateDrop;
  if (tolerance === undefined || !gates.ignoreNoise) return {};
  return corrected(comparisons, (comparison) => judgePairedDeltas(passDeltas(comparison), tolerance, { seed: `${comparison.promptId}:pass-rate` }));
}

function corrected(comparisons: readonly PromptComparison[], judge: (c: PromptComparison) => DeltaJudgement | undefined): Record<string, DeltaJudgement> {
  const judged: { promptId: string; judgement: DeltaJudgement }[] = [];
  for (const comparison of comparisons) {
    if (comparison.change === "removed" || !comparison.head) continue;
    const judgement = judge(comparison);
    if (judgement) judged.push({ promptId: comparison.promptId, judgement });
  }
  const after = holm(judged.map((j) => j.judgement));
  return Object.fromEntries(judged.map((j, i) => [j.promptId, after[i]]));
}

/**
 * Head pass minus base pass (1, 0 or -1) of each case scored on both sides, listed or folded (a
 * large golden set folds the cases a report does not show; they are paired entry by entry, as
 * the comparison pairs their scores).
 */
export function passDeltas(comparison: PromptComparison): Float64Array {
  const base = comparison.base?.folded;
  const head = comparison.head?.folded;
  const pairs = base && head ? Math.min(base.count, head.count) : 0;
  const deltas = new Float64Array(comparison.cases.length + pairs);
  let n = 0;
  for (const c of comparison.cases) if (c.delta !== undefined && c.base && c.head) deltas[n++] = (c.head.pass ? 1 : 0) - (c.base.pass ? 1 : 0);
  if (base && head) {
    const scored = (flags: number) => (flags & FOLDED_SCORED) !== 0 && (flags & FOLDED_ERRORED) === 0;
    for (let i = 0; i < pairs; i++) {
      const b = base.flags[i]!;
      const h = head.flags[i]!;
      if (scored(b) && scored(h)) deltas[n++] = (h & FOLDED_PASS ? 1 : 0) - (b & FOLDED_PASS ? 1 : 0);
    }
  }
  return deltas.subarray(0, n);
}

function checkPrompt(
  comparison: PromptComparison,
  gates: GateConfig,
  judged: { score?: DeltaJudgement; passRate?: DeltaJudgement },
  findings: GateFinding[],
  reasons: string[],
  inconclusiveReasons: string[],
): void {
  const { promptId, head, base } = comparison;
  const judgement = judged.score;
  const add = (gate: string, passed: boolean, message: string, inconclusive = false) =>
    findings.push(inconclusive ? { promptId, gate, passed, message, inconclusive } : { promptId, gate, passed, message });
  const cases = head ? caseCount(head) : 0;
  const inconclusive = (gate: string, message: string) => {
    add(gate, gates.onInconclusive !== "fail", message, true);
    if (gates.onInconclusive === "neutral") {
      reasons.push(`${promptId}: ${message}`);
      inconclusiveReasons.push(message);
    }
  };

  if (gates.requireGolden) {
    add("requireGolden", cases > 0, cases > 0 ? `${cases} golden case${plural(cases)}` : "changed prompt has no golden cases");
  }
  if (!head || cases === 0) return;

  const headErrors = erroredCount(head);
  const baseErrors = base ? erroredCount(base) : 0;
  if (headErrors > 0 || baseErrors > 0) {
    const sides = [
      headErrors > 0 ? `${headErrors} of ${cases} case${plural(cases)} on head` : "",
      baseErrors > 0 ? `${baseErrors} of ${base ? caseCount(base) : 0} on base` : "",
    ].filter(Boolean);
    const first = errorMessage(head.cases.find(caseErrored) ?? base?.cases.find(caseErrored));
    reasons.push(`${promptId}: ${sides.join(" and ")} could not be evaluated${first ? ` (${first})` : ""}`);
  }

  // Levels of the head alone, judged like the delta: by their one-sided bounds when ignoreNoise
  // is on, so a small golden set neither fails nor clears a prompt on luck.
  const scored = scoredOutcomes(head);
  const level = (gate: "minScore" | "minPassRate", values: ArrayLike<number>, minimum: number, label: string, show: (v: number) => string) => {
    if (!gates.ignoreNoise) {
      const passed = mean(values)! >= minimum - EPSILON;
      add(gate, passed, `${label} ${show(mean(values)!)} ${passed ? ">=" : "<"} minimum ${show(minimum)}`);
      return;
    }
    const j = judgeLevel(values, minimum, `${promptId}:${gate}`);
    const bounds = ` [one-sided 95% bounds ${show(j.low)} to ${show(j.high)}]`;
    if (j.outcome === "meets") add(gate, true, `${label} ${show(j.value)} >= minimum ${show(minimum)}${bounds}`);
    else if (j.outcome === "below") add(gate, false, `${label} ${show(j.value)} < minimum ${show(minimum)}${bounds}`);
    else {
      inconclusive(gate, `inconclusive: ${label} ${show(j.value)}; can't rule out being below the minimum ${show(minimum)}; add cases or repeats${bounds}`);
    }
  };

  if (gates.minScore !== undefined) {
    if (scored.scores.length === 0) reasons.push(`${promptId}: minScore cannot be checked: no case has a score`);
    else level("minScore", scored.scores, gates.minScore, "head score", fmt);
  }

  if (gates.minPassRate !== undefined) {
    if (scored.passes.length === 0) reasons.push(`${promptId}: minPassRate cannot be checked: no case has a score`);
    else level("minPassRate", scored.passes, gates.minPassRate, "head pass rate", percent);
  }

  if (gates.maxRegression !== undefined && comparison.scoreDelta !== undefined) {
    const drop = -comparison.scoreDelta;
    const delta = signed(comparison.scoreDelta);
    const allowed = fmt(gates.maxRegression);
    if (!judgement) {
      // ignoreNoise off: the point estimate alone decides.
      const passed = drop <= gates.maxRegression + EPSILON;
      add("maxRegression", passed, passed ? `score delta ${delta} within the allowed regression of ${allowed}` : `score dropped by ${fmt(drop)} (more than ${allowed})${intervalText(comparison)}`);
    } else if (judgement.outcome === "regression") {
      add("maxRegression", false, `regression: score dropped by ${fmt(drop)}, a drop the evidence shows, more than the allowed ${allowed}${boundsText(judgement)}`);
    } else if (judgement.outcome === "no-regression") {
      add("maxRegression", true, `no regression shown: score delta ${delta}, a drop over ${allowed} is ruled out${boundsText(judgement)}`);
    } else {
      inconclusive("maxRegression", `inconclusive: score delta ${delta}; can't rule out a drop of up to ${fmt(Math.max(0, -judgement.low))} (allowed ${allowed}); add cases or repeats${boundsText(judgement)}`);
    }
  }

  if (gates.maxPassRateDrop !== undefined && base?.passRate !== undefined && head.passRate !== undefined) {
    const allowed = percent(gates.maxPassRateDrop);
    const change = `pass rate ${percent(base.passRate)} → ${percent(head.passRate)}`;
    const j = judged.passRate;
    if (!gates.ignoreNoise) {
      const passed = base.passRate - head.passRate <= gates.maxPassRateDrop + EPSILON;
      add("maxPassRateDrop", passed, `${change}, ${passed ? "within" : "a larger drop than"} the allowed ${allowed}`);
    } else if (!j) {
      reasons.push(`${promptId}: maxPassRateDrop cannot be checked: no case was scored on both sides`);
    } else if (j.outcome === "regression") {
      add("maxPassRateDrop", false, `regression: ${change}, a drop the evidence shows, more than the allowed ${allowed}${boundsText(j, percentSigned)}`);
    } else if (j.outcome === "no-regression") {
      add("maxPassRateDrop", true, `no regression shown: ${change}, a drop over ${allowed} is ruled out${boundsText(j, percentSigned)}`);
    } else {
      inconclusive("maxPassRateDrop", `inconclusive: ${change}; can't rule out a drop of up to ${percent(Math.max(0, -j.low))} (allowed ${allowed}); add cases${boundsText(j, percentSigned)}`);
    }
  }

  if (gates.maxCostIncrease !== undefined && base && base.costUsd > 0) {
    const increase = (head.costUsd - base.costUsd) / base.costUsd;
    const passed = increase <= gates.maxCostIncrease + EPSILON;
    add("maxCostIncrease", passed, `cost ${increase >= 0 ? "+" : ""}${percent(increase)} ${passed ? "within" : "over"} the allowed +${percent(gates.maxCostIncrease)}`);
  } else if (gates.maxCostIncrease !== undefined && base && head.costUsd > 0) {
    // No relative increase exists from zero; a model missing from the price table also costs 0.
    add("maxCostIncrease", true, "not checked: the base side has no known cost (a free model, or one missing from the price table)");
  }
}

function errorMessage(result: CaseResult | undefined): string | undefined {
  if (!result) return undefined;
  if (result.error) return `${result.error.kind}: ${result.error.message}`;
  return result.scores.find((s) => s.error)?.reason;
}

function title(
  comparisons: PromptComparison[],
  judgements: Record<string, DeltaJudgement>,
  conclusion: Conclusion,
  gateFailed: boolean,
  lintErrors: number,
  { onlyInconclusive, ungated }: { onlyInconclusive: boolean; ungated: string | undefined },
): string {
  const parts: string[] = [];
  const count = (n: number, label: string) => n > 0 && parts.push(`${n} ${label}`);
  const active = comparisons.filter((c) => c.change !== "removed");
  const compared = active.filter((c) => c.scoreDelta !== undefined);
  const outcome = (c: PromptComparison) => judgements[c.promptId]?.outcome;
  const regressed = compared.filter((c) => (outcome(c) ? outcome(c) === "regression" : (c.scoreDelta as number) < -EPSILON && !c.withinNoise));
  const inconclusive = compared.filter((c) => outcome(c) === "inconclusive");
  const rest = compared.filter((c) => !regressed.includes(c) && !inconclusive.includes(c));
  const improved = rest.filter((c) => (c.scoreDelta as number) > EPSILON && !c.withinNoise);
  const unchanged = rest.filter((c) => Math.abs(c.scoreDelta as number) <= EPSILON);
  const other = rest.filter((c) => !improved.includes(c) && !unchanged.includes(c));
  const deltas = (list: PromptComparison[]) => {
    const values = list.map((c) => c.scoreDelta as number).sort((a, b) => Math.abs(b) - Math.abs(a));
    return ` (${values.slice(0, 3).map(signed).join(", ")}${values.length > 3 ? ", ..." : ""})`;
  };
  if (regressed.length > 0) parts.push(`${regressed.length} regressed${deltas(regressed)}`);
  if (improved.length > 0) parts.push(`${improved.length} improved${deltas(improved)}`);
  count(inconclusive.length, "inconclusive");
  // With a judgement these cleared the allowed drop; without one (no maxRegression, or
  // ignoreNoise off) their interval simply contains zero.
  count(other.filter((c) => outcome(c) === "no-regression").length, "no regression shown");
  count(other.filter((c) => outcome(c) === undefined).length, "no significant change");
  count(unchanged.length, "unchanged");
  const casesOf = (c: PromptComparison) => (c.head ? caseCount(c.head) : 0);
  count(active.filter((c) => c.scoreDelta === undefined && casesOf(c) > 0).length, "not compared");
  count(active.filter((c) => casesOf(c) === 0).length, "without golden cases");
  count(comparisons.length - active.length, "removed");
  const errored = active.reduce((n, c) => n + (c.head ? erroredCount(c.head) : 0) + (c.base ? erroredCount(c.base) : 0), 0);
  count(errored, `case evaluation${plural(errored)} errored`);
  if (lintErrors > 0) parts.push(`${lintErrors} lint error${plural(lintErrors)}`);

  const verdict =
    conclusion === "success"
      ? (ungated ?? "all gates passed")
      : gateFailed
        ? "gate failed"
        : conclusion === "failure"
          ? "failed"
          : onlyInconclusive
            ? "not passed"
            : "incomplete, not passed";
  const head = comparisons.length === 0 ? "No prompt changed" : `${comparisons.length} prompt${plural(comparisons.length)}`;
  return `${head}: ${[...parts, verdict].join(", ")}`;
}

/**
 * Why no gate judged the scored cases. minScore and minPassRate judge any scored case, so when
 * gates are configured and none applied, they are the ones that compare with a base.
 */
function ungatedText(gates: GateConfig): string {
  const needBase = (["maxRegression", "maxPassRateDrop", "maxCostIncrease"] as const).filter((g) => gates[g] !== undefined);
  if (needBase.length === 0) return "no gates configured";
  return `no gates configured for a single revision (${needBase.join(" and ")} ${needBase.length === 1 ? "compares" : "compare"} with a base)`;
}

function boundsText(judgement: DeltaJudgement, show: (value: number) => string = signed): string {
  return ` [one-sided ${percent(judgement.level)} bounds ${show(judgement.low)} to ${show(judgement.high)}]`;
}

function percentSigned(value: number): string {
  return `${value > 0 ? "+" : ""}${percent(value)}`;
}

function intervalText(comparison: PromptComparison): string {
  const i = comparison.interval;
  return i ? ` [${Math.round(i.level * 100)}% CI ${signed(i.low)} to ${signed(i.high)}]` : "";
}

function plural(n: number): string {
  return n === 1 ? "" : "s";
}

function fmt(value: number): string {
  return value.toFixed(2);
}

function signed(value: number): string {
  const text = value.toFixed(2);
  return value >= 0 && !text.startsWith("-") ? `+${text}` : text === "-0.00" ? "0.00" : text;
}

function percent(value: number): string {
  return `${Math.round(value * 1000) / 10}%`;
}

// The verdict of a review: every changed prompt's comparison checked against the gates from the
// base branch's config. A gate that fails gives failure; an evaluation that could not run
// completely gives neutral with the reason; only a complete, passing evaluation gives success.

import type { GateConfig } from "../config/model.js";
import type { CaseResult, Conclusion, GateFinding, PromptComparison, Verdict } from "./model.js";
import { caseErrored } from "./stats.js";

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

  for (const comparison of comparisons) {
    // A deleted prompt has nothing left to hold to a bar.
    if (comparison.change === "removed") continue;
    checkPrompt(comparison, gates, findings, reasons);
  }

  const gateFailed = findings.some((f) => !f.passed);
  let conclusion: Conclusion = "success";
  if (gateFailed || context.lintErrors > 0) conclusion = "failure";
  else if (reasons.length > 0) conclusion = "neutral";

  // Cases that ran under no score gate cannot fail: "all gates passed" would claim a check that never happened.
  const scored = comparisons.some((c) => c.change !== "removed" && (c.head?.cases.length ?? 0) > 0);
  const ungated = scored && !findings.some((f) => f.gate !== "requireGolden");
  return { conclusion, title: title(comparisons, conclusion, gateFailed, context.lintErrors, ungated), findings, reasons };
}

function checkPrompt(comparison: PromptComparison, gates: GateConfig, findings: GateFinding[], reasons: string[]): void {
  const { promptId, head, base } = comparison;
  const add = (gate: string, passed: boolean, message: string) => findings.push({ promptId, gate, passed, message });
  const caseCount = head?.cases.length ?? 0;

  if (gates.requireGolden) {
    add("requireGolden", caseCount > 0, caseCount > 0 ? `${caseCount} golden case${plural(caseCount)}` : "changed prompt has no golden cases");
  }
  if (!head || caseCount === 0) return;

  const headErrors = head.cases.filter(caseErrored);
  const baseErrors = base?.cases.filter(caseErrored) ?? [];
  if (headErrors.length > 0 || baseErrors.length > 0) {
    const sides = [
      headErrors.length > 0 ? `${headErrors.length} of ${caseCount} case${plural(caseCount)} on head` : "",
      baseErrors.length > 0 ? `${baseErrors.length} of ${base?.cases.length ?? 0} on base` : "",
    ].filter(Boolean);
    const first = errorMessage(headErrors[0] ?? baseErrors[0]);
    reasons.push(`${promptId}: ${sides.join(" and ")} could not be evaluated${first ? ` (${first})` : ""}`);
  }

  if (gates.minScore !== undefined) {
    if (head.meanScore === undefined) {
      reasons.push(`${promptId}: minScore cannot be checked: no case has a score`);
    } else {
      const passed = head.meanScore >= gates.minScore - EPSILON;
      add("minScore", passed, `head score ${fmt(head.meanScore)} ${passed ? ">=" : "<"} minimum ${fmt(gates.minScore)}`);
    }
  }

  if (gates.minPassRate !== undefined) {
    if (head.passRate === undefined) {
      reasons.push(`${promptId}: minPassRate cannot be checked: no case has a score`);
    } else {
      const passed = head.passRate >= gates.minPassRate - EPSILON;
      add("minPassRate", passed, `head pass rate ${percent(head.passRate)} ${passed ? ">=" : "<"} minimum ${percent(gates.minPassRate)}`);
    }
  }

  if (gates.maxRegression !== undefined && comparison.scoreDelta !== undefined) {
    const drop = -comparison.scoreDelta;
    const delta = signed(comparison.scoreDelta);
    if (drop <= gates.maxRegression + EPSILON) {
      add("maxRegression", true, `score delta ${delta} within the allowed regression of ${fmt(gates.maxRegression)}`);
    } else if (gates.ignoreNoise && comparison.withinNoise) {
      add("maxRegression", true, `score delta ${delta} exceeds ${fmt(gates.maxRegression)} but is within noise${intervalText(comparison)}`);
    } else {
      add("maxRegression", false, `score dropped by ${fmt(drop)} (more than ${fmt(gates.maxRegression)})${intervalText(comparison)}`);
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

function title(comparisons: PromptComparison[], conclusion: Conclusion, gateFailed: boolean, lintErrors: number, ungated: boolean): string {
  const parts: string[] = [];
  const count = (n: number, label: string) => n > 0 && parts.push(`${n} ${label}`);
  const active = comparisons.filter((c) => c.change !== "removed");
  const regressed = active.filter((c) => (c.scoreDelta ?? 0) < -EPSILON && !c.withinNoise);
  const improved = active.filter((c) => (c.scoreDelta ?? 0) > EPSILON && !c.withinNoise);
  const deltas = (list: PromptComparison[]) => {
    const values = list.map((c) => c.scoreDelta as number).sort((a, b) => Math.abs(b) - Math.abs(a));
    return ` (${values.slice(0, 3).map(signed).join(", ")}${values.length > 3 ? ", ..." : ""})`;
  };
  if (regressed.length > 0) parts.push(`${regressed.length} regressed${deltas(regressed)}`);
  if (improved.length > 0) parts.push(`${improved.length} improved${deltas(improved)}`);
  count(active.filter((c) => c.scoreDelta !== undefined && Math.abs(c.scoreDelta) > EPSILON && c.withinNoise).length, "within noise");
  count(active.filter((c) => c.scoreDelta !== undefined && Math.abs(c.scoreDelta) <= EPSILON).length, "unchanged");
  count(active.filter((c) => c.scoreDelta === undefined && (c.head?.cases.length ?? 0) > 0).length, "not compared");
  count(active.filter((c) => (c.head?.cases.length ?? 0) === 0).length, "without golden cases");
  count(comparisons.length - active.length, "removed");
  const errored = active.reduce((n, c) => n + (c.head?.cases.filter(caseErrored).length ?? 0) + (c.base?.cases.filter(caseErrored).length ?? 0), 0);
  count(errored, `case evaluation${plural(errored)} errored`);
  if (lintErrors > 0) parts.push(`${lintErrors} lint error${plural(lintErrors)}`);

  const outcome =
    conclusion === "success" ? (ungated ? "no gates configured" : "all gates passed") : gateFailed ? "gate failed" : conclusion === "failure" ? "failed" : "incomplete, not passed";
  const head = comparisons.length === 0 ? "No prompt changed" : `${comparisons.length} prompt${plural(comparisons.length)}`;
  return `${head}: ${[...parts, outcome].join(", ")}`;
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

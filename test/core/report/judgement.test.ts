import { DEFAULT_CONFIG } from "../../../src/core/config/model.js";
import { comparePrompt } from "../../../src/core/eval/compare.js";
import { decideVerdict } from "../../../src/core/eval/gates.js";
import { summarizeSide } from "../../../src/core/eval/stats.js";
import { renderCheckRun } from "../../../src/core/report/check-run.js";
import { toReviewJson } from "../../../src/core/report/json.js";
import { renderJUnit } from "../../../src/core/report/junit.js";
import { renderComment } from "../../../src/core/report/markdown.js";
import { caseResult } from "../eval/compare-fixtures.js";
import { review } from "./fixtures.js";

/** Pass/fail flips both ways on 40 cases: a small drop that no report may call "within noise". */
function inconclusiveReview() {
  const path = "prompts/support/summary.prompt.yml";
  const base = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 0 : 1));
  const head = base.map((v, i) => (i % 5 === 1 ? 1 - v : v));
  const side = (name: "base" | "head", values: number[]) => summarizeSide(name, path, values.map((score, i) => caseResult(name, `c${i}`, { score })));
  const comparison = comparePrompt({ promptId: "support/summary", path, change: "modified", base: side("base", base), head: side("head", head) });
  const verdict = decideVerdict([comparison], DEFAULT_CONFIG.gates, { lintErrors: 0 });
  return review([comparison], { verdict });
}

describe("the delta judgement in every report", () => {
  const result = inconclusiveReview();
  const judgement = result.verdict.judgements!["support/summary"];

  it("is inconclusive on this data", () => {
    expect(judgement.outcome).toBe("inconclusive");
    expect(result.verdict.conclusion).toBe("neutral");
  });

  it("shows the interval in the table, the word, the detectable drop and the prompt count in the comment", () => {
    const md = renderComment(result);
    const row = md.split("\n").find((l) => l.startsWith("| `support/summary`"))!;
    expect(row).toMatch(/▼ −0\.\d\d \[−0\.\d\d, [+−]?0\.\d\d\]/);
    expect(md).toMatch(/\*\*Score delta:\*\* inconclusive · 40 cases × 1 sample: a drop smaller than ≈ 0\.\d\d may go unseen/);
    expect(md).toContain("1 prompt compared.");
    expect(md).toMatch(/⚪ \*\*maxRegression\*\*: inconclusive: .*can't rule out a drop of up to 0\.\d\d/);
    expect(md).not.toContain("within noise");
  });

  it("carries the same in the check run", () => {
    const out = renderCheckRun(result);
    expect(out.summary + (out.text ?? "")).toMatch(/\[−0\.\d\d, [+−]?0\.\d\d\]/);
    expect(out.summary + (out.text ?? "")).toContain("inconclusive");
  });

  it("gives JUnit properties for the interval, outcome and detectable drop", () => {
    const xml = renderJUnit(result);
    expect(xml).toMatch(/<property name="delta.low" value="-0\.\d+"\/>/);
    expect(xml).toMatch(/<property name="delta.high" value="[-\d.]+"\/>/);
    expect(xml).toContain('<property name="outcome" value="inconclusive"/>');
    expect(xml).toMatch(/<property name="minDetectableDrop" value="0\.\d+"\/>/);
  });

  it("gives the judgement in JSON", () => {
    const doc = toReviewJson(result);
    expect(doc.prompts[0].judgement).toEqual(judgement);
    expect(doc.prompts[0].interval?.level).toBeCloseTo(0.9, 10);
    expect(doc.verdict.findings[0]).toMatchObject({ gate: "maxRegression", inconclusive: true });
  });
});

describe("a prompt judged in stages", () => {
  it("says how many stages sampled it again, and gives the look in JSON and the look's level in the gate", () => {
    const path = "prompts/support/summary.prompt.yml";
    const base = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 0 : 1));
    const head = base.map((v, i) => (i % 5 === 1 ? 1 - v : v));
    const side = (name: "base" | "head", values: number[]) =>
      summarizeSide(name, path, values.map((score, i) => ({ ...caseResult(name, `c${i}`, { score }), repeats: 3, passes: Math.round(score * 3) })));
    const sequential = { look: 2, looks: 3, alphaShare: 0.2 };
    const comparison = comparePrompt({ promptId: "support/summary", path, change: "modified", sampled: true, sequential, base: side("base", base), head: side("head", head) });
    const result = review([comparison], { verdict: decideVerdict([comparison], DEFAULT_CONFIG.gates, { lintErrors: 0 }) });
    const md = renderComment(result);
    expect(md).toMatch(/\*\*Score delta:\*\* inconclusive · 40 cases × 3 samples: .* · sampled again in 1 stage \(adaptive repeats\)/);
    expect(md).toContain("[one-sided 99% bounds");
    expect(toReviewJson(result).prompts[0].sequential).toEqual(sequential);
    // The table's interval has the look's level too: each end at 1 - 0.05 × 0.2.
    expect(comparison.interval?.level).toBeCloseTo(0.98, 10);
  });
});

describe("per-case changes of a sampled prompt", () => {
  const path = "prompts/support/summary.prompt.yml";
  const build = (base: number[], head: number[], repeats = 1) => {
    const side = (name: "base" | "head", values: number[]) =>
      summarizeSide(name, path, values.map((score, i) => ({ ...caseResult(name, `c${i}`, { score }), repeats, passes: Math.round(score * repeats) })));
    const comparison = comparePrompt({ promptId: "support/summary", path, change: "modified", sampled: true, base: side("base", base), head: side("head", head) });
    return review([comparison], { verdict: decideVerdict([comparison], DEFAULT_CONFIG.gates, { lintErrors: 0 }) });
  };

  it("collapses single-sample flips when the prompt is not a regression", () => {
    const base = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 0 : 1));
    const md = renderComment(build(base, base.map((v, i) => (i % 5 === 1 ? 1 - v : v))));
    expect(md).toMatch(/↕️ 8 single-sample changes \(\d down, \d up\) not listed/);
    expect(md).not.toContain("🔻");
  });

  it("lists them, labelled as single-sample changes, when the prompt is a regression", () => {
    const base = Array(30).fill(1);
    const md = renderComment(build(base, base.map((v, i) => (i < 15 ? 0 : v))));
    expect(md).toMatch(/↕️ <code>c0<\/code> single-sample change: 1\.00 ✅ → 0\.00 ❌/);
    expect(md).not.toContain("not listed");
  });

  it("shows k/n passes per side with repeats", () => {
    const base = Array(30).fill(1);
    const md = renderComment(build(base, base.map((v, i) => (i < 15 ? 1 / 3 : v)), 3));
    expect(md).toMatch(/🔻 <code>c0<\/code> regressed: 1\.00 ✅ 3\/3 → 0\.33 [✅❌] 1\/3/);
  });
});

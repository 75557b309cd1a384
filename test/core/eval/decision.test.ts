import { comparePrompt } from "../../../src/core/eval/compare.js";
import { ALPHA, holm, judgeDelta, judgePairedDeltas } from "../../../src/core/eval/decision.js";
import type { DeltaJudgement } from "../../../src/core/eval/model.js";
import { normalCdf, summarizeSide } from "../../../src/core/eval/stats.js";
import { caseResult } from "./compare-fixtures.js";

function compare(promptId: string, base: number[], head: number[]) {
  const path = `prompts/${promptId}.prompt.yml`;
  const side = (name: "base" | "head", values: number[]) => summarizeSide(name, path, values.map((score, i) => caseResult(name, `case-${i}`, { score })));
  return comparePrompt({ promptId, path, change: "modified", base: side("base", base), head: side("head", head) });
}

const judged = (pValue: number, outcome: DeltaJudgement["outcome"] = "regression"): DeltaJudgement => ({
  outcome, delta: -0.2, tolerance: 0.05, low: -0.3, high: -0.1, pValue, cases: 100, repeats: 1, minDetectableDrop: 0.2, level: 0.95,
});

describe("judgeDelta", () => {
  it("calls a drop beyond the tolerance on every case a regression", () => {
    const j = judgeDelta(compare("p", [1, 1, 1, 1, 1, 1, 1, 1], [0.8, 0.7, 0.8, 0.75, 0.8, 0.7, 0.8, 0.75]), 0.05)!;
    expect(j.outcome).toBe("regression");
    expect(j.pValue).toBeLessThanOrEqual(ALPHA);
    expect(j.high).toBeLessThan(-0.05);
  });

  it("calls a drop no larger than the tolerance, however certain, no regression shown", () => {
    const j = judgeDelta(compare("p", [1, 1, 1, 1, 1, 1], [0.98, 0.97, 0.98, 0.97, 0.98, 0.97]), 0.05)!;
    expect(j.outcome).toBe("no-regression");
    expect(j.low).toBeGreaterThan(-0.05);
  });

  it("is inconclusive when the bound reaches past the tolerance but the drop is not shown", () => {
    // Pass/fail flips both ways on ten cases: a mean drop of 0.1 with an interval from about -0.4 to +0.2.
    const j = judgeDelta(compare("p", [1, 0, 1, 1, 0, 1, 1, 0, 1, 1], [0, 1, 1, 0, 0, 1, 0, 1, 1, 1]), 0.05)!;
    expect(j.outcome).toBe("inconclusive");
    expect(j.low).toBeLessThan(-0.05);
    expect(j.pValue).toBeGreaterThan(ALPHA);
    expect(j.minDetectableDrop).toBeGreaterThan(0.3);
  });

  it("calls a shown drop larger than the tolerance a regression, though its interval reaches inside the tolerance", () => {
    // 4 of 50 cases fail on the head only: a drop of 0.08, shown (no resample of 50 misses all
    // four often), but a true drop under 0.05 is not ruled out.
    const j = judgeDelta(compare("p", Array(50).fill(1), [0, 0, 0, 0, ...Array(46).fill(1)]), 0.05)!;
    expect(j.outcome).toBe("regression");
    expect(j.pValue).toBeLessThanOrEqual(ALPHA);
    expect(j.high).toBeGreaterThan(-0.05);
  });

  it("is inconclusive on a shown drop no larger than the tolerance that a larger one could hide behind", () => {
    const j = judgeDelta(compare("p", Array(100).fill(1), [0, 0, 0, 0, ...Array(96).fill(1)]), 0.05)!;
    expect(j.pValue).toBeLessThanOrEqual(ALPHA);
    expect(j.outcome).toBe("inconclusive");
    expect(j.low).toBeLessThan(-0.05);
  });

  it("judges a look of a staged prompt at its share of the error rate", () => {
    const c = compare("p", Array(50).fill(1), [0, 0, 0, 0, ...Array(46).fill(1)]);
    const whole = judgeDelta(c, 0.05)!;
    const share = judgeDelta(c, 0.05, 0.2)!;
    expect(share.level).toBeCloseTo(0.99, 12);
    expect(share.pValue).toBeCloseTo(whole.pValue / 0.2, 12);
    expect(share.outcome).toBe("inconclusive");
    expect(share.low).toBeLessThan(whole.low);
  });

  it("cannot clear or convict a prompt on one paired case", () => {
    expect(judgeDelta(compare("p", [1], [1]), 0.05)).toMatchObject({ outcome: "inconclusive", low: -1 });
    expect(judgeDelta(compare("p", [1], [0]), 0.05)).toMatchObject({ outcome: "inconclusive" });
  });

  it("gives the same answer every time for the same results", () => {
    const c = compare("p", [1, 0, 1, 1, 0, 1], [0, 1, 1, 0, 0, 1]);
    expect(judgeDelta(c, 0.05)).toEqual(judgeDelta(c, 0.05));
  });

  it("shrinks the minimum detectable drop as cases are added", () => {
    const flips = (n: number) => Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : 1));
    const small = judgeDelta(compare("p", flips(20), flips(20).reverse()), 0.05)!;
    const large = judgeDelta(compare("p", flips(200), flips(200).reverse()), 0.05)!;
    expect(large.minDetectableDrop).toBeLessThan(small.minDetectableDrop);
    expect(large.minDetectableDrop).toBeGreaterThan(0.05);
  });
});

describe("holm", () => {
  it("keeps a regression that stays significant after the step-down, and makes the rest inconclusive", () => {
    const out = holm([judged(0.004), judged(0.03), judged(0.5, "inconclusive"), judged(0.9, "no-regression")]);
    expect(out.map((j) => j.outcome)).toEqual(["regression", "inconclusive", "inconclusive", "no-regression"]);
  });

  it("does not change a lone prompt's decision", () => {
    expect(holm([judged(0.04)])[0].outcome).toBe("regression");
  });

  it("steps down: the second smallest p-value is held to alpha / (n - 1)", () => {
    const out = holm([judged(0.02), judged(0.01), judged(0.6, "inconclusive")]);
    // 0.01 <= 0.05/3, then 0.02 <= 0.05/2.
    expect(out.map((j) => j.outcome)).toEqual(["regression", "regression", "inconclusive"]);
  });
});

describe("p-values past the bootstrap's resolution", () => {
  it("lets Holm confirm every one of 101 prompts that all drop on every case", () => {
    // 2,000 resamples cannot show p below 1/2001, while Holm's first threshold is 0.05 / 101.
    const judged = Array.from({ length: 101 }, (_, i) => judgePairedDeltas(Array.from({ length: 50 }, () => -1), 0.05, { seed: `p${i}` })!);
    expect(judged.every((j) => j.pValue < ALPHA / 101)).toBe(true);
    expect(holm(judged).map((j) => j.outcome)).toEqual(judged.map(() => "regression"));
  });

  it("takes the normal tail only where no resampled mean reached zero", () => {
    const noisy = [-0.2, 0.1, -0.3, 0, 0.2, -0.1, -0.4, 0.1];
    const j = judgePairedDeltas(noisy, 0.05, { seed: "noisy" })!;
    expect(j.pValue).toBeGreaterThan(1 / 2001);
    expect(normalCdf(-1.6448536)).toBeCloseTo(0.05, 6);
    expect(normalCdf(-4.753424)).toBeCloseTo(1e-6, 9);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
  });
});

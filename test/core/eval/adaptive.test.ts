import { DEFAULT_CONFIG, type GateConfig } from "../../../src/core/config/model.js";
import { addSamples, adaptRepeats, nextStage, planLooks, type AdaptivePrompt, type StageRequest } from "../../../src/core/eval/adaptive.js";
import { comparePrompt } from "../../../src/core/eval/compare.js";
import { ALPHA } from "../../../src/core/eval/decision.js";
import { decideVerdict } from "../../../src/core/eval/gates.js";
import type { CaseResult, Conclusion, DeltaJudgement, Side } from "../../../src/core/eval/model.js";
import { seededRandom, summarizeSide } from "../../../src/core/eval/stats.js";
import { caseResult } from "./compare-fixtures.js";

/** `samples` fresh draws of a case answered right with probability `accuracy`. */
function draw(side: Side, caseId: string, accuracy: number, samples: number, random: () => number): CaseResult {
  let passes = 0;
  for (let r = 0; r < samples; r++) if (random() < accuracy) passes++;
  return { ...caseResult(side, caseId, { score: passes / samples, pass: passes === samples }), passes, repeats: samples };
}

/**
 * A review of one or more prompts on a stochastic model, driven through adaptRepeats exactly as
 * the review drives it, with sampling simulated. Returns the verdict, the samples sent and the
 * comparisons.
 */
async function simulate(options: {
  seed: string;
  base: number;
  head: number;
  cases?: number;
  prompts?: number;
  gates?: Partial<GateConfig>;
  /** Cases whose base and head requests are identical: never re-sampled. */
  identical?: number;
}) {
  const random = seededRandom(options.seed);
  const gates: GateConfig = { ...DEFAULT_CONFIG.gates, ...options.gates };
  const ids = Array.from({ length: options.cases ?? 60 }, (_, i) => `c${i}`);
  const identical = new Set(ids.slice(0, options.identical ?? 0));
  const sides = new Map<string, { base: CaseResult[]; head: CaseResult[] }>();
  const prompts: AdaptivePrompt[] = [];
  const stages: StageRequest[][] = [];
  let requests = 0;
  for (let p = 0; p < (options.prompts ?? 1); p++) {
    const promptId = `p${p}`;
    sides.set(promptId, { base: ids.map((id) => draw("base", id, options.base, 1, random)), head: ids.map((id) => draw("head", id, options.head, 1, random)) });
    requests += 2 * ids.length;
    prompts.push({ promptId, resampled: ids.filter((id) => !identical.has(id)), looks: planLooks(1, gates.maxRepeats) });
  }
  const comparisons = await adaptRepeats({
    prompts,
    gates,
    compare: (index, sequential) => {
      const { promptId } = prompts[index]!;
      const { base, head } = sides.get(promptId)!;
      const path = `prompts/${promptId}.prompt.yml`;
      return comparePrompt({ promptId, path, change: "modified", sampled: true, ...(sequential ? { sequential } : {}), base: summarizeSide("base", path, base), head: summarizeSide("head", path, head) });
    },
    resample: async (stage) => {
      stages.push([...stage]);
      for (const r of stage) {
        const both = sides.get(r.promptId)!;
        const n = r.toRepeat - r.fromRepeat;
        const wanted = new Set(r.caseIds);
        both.base = both.base.map((c) => (wanted.has(c.caseId) ? addSamples(c, draw("base", c.caseId, options.base, n, random)) : c));
        both.head = both.head.map((c) => (wanted.has(c.caseId) ? addSamples(c, draw("head", c.caseId, options.head, n, random)) : c));
        requests += 2 * r.caseIds.length * n;
      }
    },
  });
  return { verdict: decideVerdict(comparisons, gates, { lintErrors: 0 }), comparisons, stages, requests };
}

const judgement = (over: Partial<DeltaJudgement>): DeltaJudgement => ({
  outcome: "inconclusive", delta: -0.05, tolerance: 0.05, low: -0.15, high: 0.05, level: 0.95, pValue: 0.2, cases: 60, repeats: 1, minDetectableDrop: 0.2, ...over,
});

describe("planLooks", () => {
  it("looks at the first pass, the midpoint and maxRepeats, spending exactly ALPHA over the looks", () => {
    expect(planLooks(1, 5).map((l) => l.repeats)).toEqual([1, 3, 5]);
    expect(planLooks(1, 2).map((l) => l.repeats)).toEqual([1, 2]);
    expect(planLooks(3, 12).map((l) => l.repeats)).toEqual([3, 8, 12]);
    for (const [first, max] of [[1, 5], [1, 2], [2, 9]] as const) {
      const looks = planLooks(first, max);
      expect(looks.reduce((sum, l) => sum + l.alphaShare, 0)).toBeCloseTo(1, 12);
      expect(looks[looks.length - 1]!.repeats).toBe(max);
    }
  });

  it("plans one look, spending all of ALPHA, when maxRepeats allows no more samples", () => {
    expect(planLooks(1, 1)).toEqual([{ repeats: 1, alphaShare: 1 }]);
    expect(planLooks(3, 2)).toEqual([{ repeats: 3, alphaShare: 1 }]);
  });
});

describe("nextStage", () => {
  const prompt: AdaptivePrompt = { promptId: "p", resampled: ["a", "b"], looks: planLooks(1, 5) };
  const at = (look: number) => new Map([["p", look]]);

  it("samples an inconclusive prompt's cases up to the next look", () => {
    expect(nextStage({ prompts: [prompt], lookOf: at(0), judgements: { p: judgement({}) } })).toEqual([{ promptId: "p", caseIds: ["a", "b"], fromRepeat: 1, toRepeat: 3 }]);
    expect(nextStage({ prompts: [prompt], lookOf: at(1), judgements: { p: judgement({}) } })).toEqual([{ promptId: "p", caseIds: ["a", "b"], fromRepeat: 3, toRepeat: 5 }]);
  });

  it("stops at the last look, once decided, when the delta shows no drop, and without re-samplable cases", () => {
    const stops = [
      { lookOf: at(2), judgements: { p: judgement({}) } },
      { lookOf: at(0), judgements: { p: judgement({ outcome: "regression" }) } },
      { lookOf: at(0), judgements: { p: judgement({ outcome: "no-regression" }) } },
      { lookOf: at(0), judgements: { p: judgement({ delta: 0.01 }) } },
      { lookOf: at(0), judgements: {} as Record<string, DeltaJudgement> },
    ];
    for (const s of stops) expect(nextStage({ prompts: [prompt], ...s })).toEqual([]);
    expect(nextStage({ prompts: [{ ...prompt, resampled: [] }], lookOf: at(0), judgements: { p: judgement({}) } })).toEqual([]);
  });

  it("buys no stage the budget left cannot pay for", () => {
    const input = { prompts: [prompt], lookOf: at(0), judgements: { p: judgement({}) }, sampleCostUsd: () => 0.01 };
    // Two cases, two more samples each on both sides: $0.04.
    expect(nextStage({ ...input, budgetLeftUsd: 0.039 })).toEqual([]);
    expect(nextStage({ ...input, budgetLeftUsd: 0.04 })).toHaveLength(1);
  });
});

describe("addSamples", () => {
  it("averages the score over every sample and counts k/n, leaving the first pass's pass as it was", () => {
    const first = { ...caseResult("head", "a", { score: 1, pass: true, costUsd: 0.01 }) };
    const extra = { ...caseResult("head", "a", { score: 0, pass: false, costUsd: 0.01 }), score: 1 / 3, passes: 1, repeats: 3 };
    const merged = addSamples(first, extra);
    expect(merged).toMatchObject({ score: 0.5, passes: 2, repeats: 4, pass: true, costUsd: 0.02, output: first.output });
  });

  it("leaves out extra samples that could not be taken", () => {
    const first = caseResult("head", "a", { score: 1 });
    expect(addSamples(first, caseResult("head", "a", { error: "connection refused" }))).toBe(first);
  });
});

describe("adaptRepeats on a stochastic model", () => {
  it("never takes more than maxRepeats samples per case, and never re-samples cases both sides ask identically", async () => {
    let staged = 0;
    for (let run = 0; run < 5; run++) {
      const { comparisons, stages } = await simulate({ seed: `cap#${run}`, base: 0.8, head: 0.72, identical: 10, gates: { maxRepeats: 4 } });
      staged += stages.length;
      expect(stages.length).toBeLessThanOrEqual(2);
      for (const stage of stages) for (const r of stage) expect(r.caseIds.some((id) => Number(id.slice(1)) < 10)).toBe(false);
      for (const c of comparisons[0]!.cases) {
        for (const side of [c.base!, c.head!]) {
          expect(side.repeats).toBeLessThanOrEqual(4);
          if (Number(c.caseId.slice(1)) < 10) expect(side.repeats).toBe(1);
        }
      }
    }
    expect(staged).toBeGreaterThan(0);
  });

  it("takes no second look with adaptive repeats capped at one sample", async () => {
    const { stages, comparisons } = await simulate({ seed: "off", base: 0.8, head: 0.7, gates: { maxRepeats: 1 } });
    expect(stages).toEqual([]);
    expect(comparisons[0]!.sequential).toBeUndefined();
  });

  it("holds a harmless change's chance of a red review at about ALPHA over all looks, and catches most 20-point drops", async () => {
    const runs = 200;
    const count = async (base: number, head: number, wanted: Conclusion) => {
      let n = 0;
      for (let run = 0; run < runs; run++) if ((await simulate({ seed: `${base}-${head}#${run}`, base, head })).verdict.conclusion === wanted) n++;
      return n / runs;
    };
    // Seeded, so the same every run. 10 of 200 red runs are expected at ALPHA; a test that looked
    // again at the full ALPHA after every stage would give about twice as many.
    expect(await count(0.8, 0.8, "failure")).toBeLessThanOrEqual(ALPHA + 0.01);
    expect(await count(0.8, 0.6, "failure")).toBeGreaterThan(0.8);
  });
});

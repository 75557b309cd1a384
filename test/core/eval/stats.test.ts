import { mean, pairedBootstrap, percentile, seededRandom, summarizeSide } from "../../../src/core/eval/stats.js";
import { caseResult } from "./compare-fixtures.js";

describe("mean and percentile", () => {
  it("interpolate between ranks and say nothing for no values", () => {
    expect(mean([1, 2, 3, 6])).toBe(3);
    expect(mean([])).toBeUndefined();
    expect(percentile([40, 10, 30, 20], 50)).toBe(25);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48, 10);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
  });
});

describe("summarizeSide", () => {
  it("averages score and pass rate over scored cases, sums cost and reports latency percentiles", () => {
    const side = summarizeSide(
      "head",
      "prompts/summary.prompt.yml",
      [
        caseResult("head", "a", { score: 1, latencyMs: 100, costUsd: 0.002 }),
        caseResult("head", "b", { score: 0.5, pass: false, latencyMs: 300, costUsd: 0.002 }),
        caseResult("head", "c", { score: 0, latencyMs: 200, costUsd: 0.001 }),
        caseResult("head", "d", { error: "ECONNREFUSED" }),
        caseResult("head", "e", { judgeError: true, latencyMs: 400, costUsd: 0.001 }),
        caseResult("head", "f", { unscored: true, latencyMs: 500, costUsd: 0.001 }),
      ],
      { version: "1.2.0", model: "openai/gpt-4o-mini" },
    );
    expect(side).toMatchObject({ side: "head", promptPath: "prompts/summary.prompt.yml", version: "1.2.0", model: "openai/gpt-4o-mini", errors: 2 });
    expect(side.meanScore).toBeCloseTo(0.5, 10);
    expect(side.passRate).toBeCloseTo(1 / 3, 10);
    expect(side.costUsd).toBeCloseTo(0.007, 10);
    // The judge-failure case still had a real model call; the unreachable one did not.
    expect(side.latencyP50Ms).toBe(300);
    expect(side.latencyP95Ms).toBeCloseTo(480, 10);
    expect(side.cases).toHaveLength(6);
  });

  it("leaves score and pass rate undefined when nothing could be scored", () => {
    const side = summarizeSide("base", "p.prompt.yml", [caseResult("base", "a", { error: "timeout" })]);
    expect(side).toMatchObject({ meanScore: undefined, passRate: undefined, errors: 1, latencyP50Ms: undefined });
  });
});

describe("pairedBootstrap", () => {
  const deltas = [-0.3, -0.25, -0.2, -0.35, -0.1, -0.3, -0.2, -0.25];

  it("is reproducible for the same seed", () => {
    const a = pairedBootstrap(deltas, { random: seededRandom("support/ticket-summary") });
    const b = pairedBootstrap(deltas, { random: seededRandom("support/ticket-summary") });
    expect(a).toEqual(b);
  });

  it("brackets the mean and excludes 0 for a consistent drop", () => {
    const interval = pairedBootstrap(deltas, { random: seededRandom(1), level: 0.95 });
    const m = mean(deltas) as number;
    expect(interval.level).toBe(0.95);
    expect(interval.low).toBeLessThan(m);
    expect(interval.high).toBeGreaterThan(m);
    expect(interval.high).toBeLessThan(0);
    expect(interval.low).toBeGreaterThanOrEqual(-0.35);
  });

  it("contains 0 for deltas that go both ways", () => {
    const interval = pairedBootstrap([0.5, -0.5, 0.25, -0.25, 0, 0.1, -0.1], { random: seededRandom("x"), iterations: 1000 });
    expect(interval.low).toBeLessThan(0);
    expect(interval.high).toBeGreaterThan(0);
  });

  it("narrows as the level drops", () => {
    const wide = pairedBootstrap(deltas, { random: seededRandom(7), level: 0.99 });
    const narrow = pairedBootstrap(deltas, { random: seededRandom(7), level: 0.8 });
    expect(wide.high - wide.low).toBeGreaterThan(narrow.high - narrow.low);
  });
});

describe("seededRandom", () => {
  it("gives the same uniform sequence for the same seed and another for another seed", () => {
    const draw = (seed: string | number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 5 }, () => random());
    };
    expect(draw("a")).toEqual(draw("a"));
    expect(draw("a")).not.toEqual(draw("b"));
    const random = seededRandom(42);
    const values = Array.from({ length: 10_000 }, () => random());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(mean(values)).toBeCloseTo(0.5, 1);
  });
});

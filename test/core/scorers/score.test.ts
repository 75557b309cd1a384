import type { ScoreResult } from "../../../src/core/eval/model.js";
import { buildScorers, combineScores, scoreOutput, type Judge, type ScoreContext } from "../../../src/core/scorers/index.js";

const noJudge: Judge = async () => {
  throw new Error("judge should not be called");
};

function context(output: string, expected?: string): ScoreContext {
  return { output, vars: {}, expected, costUsd: 0, latencyMs: 10, judge: noJudge };
}

function result(score: number, pass: boolean, weight = 1, error?: boolean): ScoreResult {
  return { name: "r", score, pass, weight, ...(error ? { error } : {}) };
}

describe("scoreOutput without evaluators", () => {
  it("checks an exact match after trimming against the case's expected", async () => {
    expect(await scoreOutput(context("  42\n", "42"), [])).toEqual([expect.objectContaining({ name: "expected", score: 1, pass: true })]);
    expect(await scoreOutput(context("The answer is 42", "42"), [])).toEqual([expect.objectContaining({ name: "expected", score: 0, pass: false })]);
  });

  it("gives no score when the case has no expected either", async () => {
    const results = await scoreOutput(context("anything"), []);
    expect(results).toEqual([]);
    expect(combineScores(results)).toEqual({ score: 0, pass: false, scored: false, error: false });
  });

  it("ignores expected once the prompt has evaluators", async () => {
    const { scorers } = buildScorers({ evaluators: [{ name: "has-42", spec: { type: "contains", value: "42" } }] });
    const results = await scoreOutput(context("The answer is 42", "42"), scorers);
    expect(results.map((r) => r.name)).toEqual(["has-42"]);
  });

  it("runs prompt evaluators and case assertions together", async () => {
    const { scorers } = buildScorers({
      evaluators: [{ name: "has-42", spec: { type: "contains", value: "42" } }],
      caseAsserts: [{ type: "starts-with", value: "The" }],
    });
    const results = await scoreOutput(context("The answer is 42"), scorers);
    expect(results.map((r) => [r.name, r.pass])).toEqual([
      ["has-42", true],
      ["starts-with", true],
    ]);
  });
});

describe("combineScores", () => {
  it("takes the weighted mean and passes only when every scorer passes", () => {
    expect(combineScores([result(1, true, 3), result(0, false, 1)])).toEqual({ score: 0.75, pass: false, scored: true, error: false });
    expect(combineScores([result(1, true), result(0.5, true)])).toMatchObject({ score: 0.75, pass: true });
  });

  it("falls back to the plain mean when every weight is 0", () => {
    expect(combineScores([result(1, true, 0), result(0, true, 0)])).toMatchObject({ score: 0.5, pass: true });
  });

  it("flags a case whose scorer could not run", () => {
    expect(combineScores([result(1, true), result(0, false, 1, true)])).toMatchObject({ pass: false, error: true });
  });
});

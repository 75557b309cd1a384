import { comparePrompt } from "../../../src/core/eval/compare.js";
import { summarizeSide } from "../../../src/core/eval/stats.js";
import { caseResult, type CaseSpec } from "./compare-fixtures.js";

const PATH = "prompts/support/ticket-summary.prompt.yml";

function sides(base: Record<string, CaseSpec>, head: Record<string, CaseSpec>) {
  return {
    base: summarizeSide("base", PATH, Object.entries(base).map(([id, spec]) => caseResult("base", id, spec))),
    head: summarizeSide("head", PATH, Object.entries(head).map(([id, spec]) => caseResult("head", id, spec))),
  };
}

describe("comparePrompt", () => {
  it("gives each case a status and delta, and drops a failure-by-error out of the comparison", () => {
    const { base, head } = sides(
      { up: { score: 0.5 }, down: { score: 1 }, same: { score: 0.8 }, flip: { score: 0.5, pass: true }, broken: { score: 1 }, judged: { score: 1 }, old: { score: 1 } },
      { up: { score: 1 }, down: { score: 0.25 }, same: { score: 0.8 }, flip: { score: 0.5, pass: false }, broken: { error: "ECONNRESET" }, judged: { judgeError: true } },
    );
    const comparison = comparePrompt({
      promptId: "support/ticket-summary",
      path: PATH,
      change: "modified",
      base,
      head,
      baseCaseIds: ["up", "down", "same", "flip", "broken", "judged", "old"],
      cases: new Map([["up", { source: { file: "evals/ticket.jsonl", line: 1 }, vars: { ticket: "charged twice" } }]]),
    });
    const status = Object.fromEntries(comparison.cases.map((c) => [c.caseId, [c.status, c.delta]]));
    expect(status).toEqual({
      up: ["improved", 0.5],
      down: ["regressed", -0.75],
      same: ["unchanged", 0],
      flip: ["regressed", 0],
      broken: ["error", undefined],
      judged: ["error", undefined],
      old: ["removed", undefined],
    });
    expect(comparison.removedCases).toEqual(["old"]);
    expect(comparison.cases[0]).toMatchObject({ source: { file: "evals/ticket.jsonl", line: 1 }, vars: { ticket: "charged twice" } });
    expect(comparison.cases[0].base?.side).toBe("base");
    expect(comparison.cases[0].head?.side).toBe("head");
    // (0.5 - 0.75 + 0 + 0) / 4 paired cases
    expect(comparison.scoreDelta).toBeCloseTo(-0.0625, 10);
    expect(comparison.withinNoise).toBe(true);
    expect(comparison.interval!.low).toBeLessThan(0);
    expect(comparison.interval!.high).toBeGreaterThan(0);
  });

  it("reports a consistent drop as outside the noise, with the same interval every time", () => {
    const base: Record<string, CaseSpec> = {};
    const head: Record<string, CaseSpec> = {};
    [0.3, 0.25, 0.2, 0.35, 0.3, 0.2].forEach((drop, i) => {
      base[`c${i}`] = { score: 1, costUsd: 0.001, latencyMs: 400 };
      head[`c${i}`] = { score: 1 - drop, costUsd: 0.0015, latencyMs: 650 };
    });
    const input = { promptId: "support/ticket-summary", path: PATH, change: "modified" as const, ...sides(base, head) };
    const comparison = comparePrompt(input);
    expect(comparison.scoreDelta).toBeCloseTo(-0.2667, 3);
    expect(comparison.withinNoise).toBe(false);
    expect(comparison.interval!.high).toBeLessThan(0);
    // Each end is a one-sided 95 % bound, the one the regression decision uses.
    expect(comparison.interval!.level).toBeCloseTo(0.9, 10);
    expect(comparePrompt(input).interval).toEqual(comparison.interval);
    expect(comparison.costDeltaUsd).toBeCloseTo(0.003, 10);
    expect(comparison.latencyP50DeltaMs).toBe(250);
    expect(comparison.cases.every((c) => c.status === "regressed")).toBe(true);
  });

  it("treats one paired case as within noise", () => {
    const comparison = comparePrompt({ promptId: "p", path: PATH, change: "modified", ...sides({ a: { score: 1 } }, { a: { score: 0 } }) });
    expect(comparison).toMatchObject({ scoreDelta: -1, withinNoise: true });
    expect(comparison.interval).toBeUndefined();
  });

  it("marks every case new for an added prompt, with no delta", () => {
    const { head } = sides({}, { a: { score: 1 }, b: { score: 0 } });
    const comparison = comparePrompt({ promptId: "p", path: PATH, change: "added", head });
    expect(comparison.cases.map((c) => c.status)).toEqual(["new", "new"]);
    expect(comparison.removedCases).toEqual([]);
    expect([comparison.scoreDelta, comparison.withinNoise, comparison.costDeltaUsd]).toEqual([undefined, undefined, undefined]);
  });

  it("lists the base golden cases of a removed prompt as removed", () => {
    const comparison = comparePrompt({ promptId: "p", path: PATH, change: "removed", baseCaseIds: ["a", "b"] });
    expect(comparison.cases.map((c) => [c.caseId, c.status])).toEqual([
      ["a", "removed"],
      ["b", "removed"],
    ]);
    expect(comparison.removedCases).toEqual(["a", "b"]);
  });

  it("keeps the previous path of a renamed prompt and compares cases without a score as unchanged", () => {
    const comparison = comparePrompt({
      promptId: "p",
      path: PATH,
      previousPath: "prompts/old.prompt.yml",
      change: "renamed",
      ...sides({ a: { unscored: true } }, { a: { unscored: true } }),
    });
    expect(comparison.previousPath).toBe("prompts/old.prompt.yml");
    expect(comparison.cases[0].status).toBe("unchanged");
    expect(comparison.cases[0].delta).toBeUndefined();
    expect(comparison.scoreDelta).toBeUndefined();
  });

  it("flags a case that errored only on the base as error, not as an improvement", () => {
    const comparison = comparePrompt({ promptId: "p", path: PATH, change: "modified", ...sides({ a: { error: "timeout" } }, { a: { score: 1 } }) });
    expect(comparison.cases[0].status).toBe("error");
  });
});

import { DEFAULT_CONFIG, type GateConfig } from "../../../src/core/config/model.js";
import { comparePrompt } from "../../../src/core/eval/compare.js";
import { decideVerdict } from "../../../src/core/eval/gates.js";
import type { PromptChange, PromptComparison } from "../../../src/core/eval/model.js";
import { summarizeSide } from "../../../src/core/eval/stats.js";
import { caseResult, type CaseSpec } from "./compare-fixtures.js";

function compare(promptId: string, base: CaseSpec[] | undefined, head: CaseSpec[] | undefined, change: PromptChange = "modified"): PromptComparison {
  const path = `prompts/${promptId}.prompt.yml`;
  const side = (name: "base" | "head", specs: CaseSpec[]) => summarizeSide(name, path, specs.map((spec, i) => caseResult(name, `case-${i}`, spec)));
  return comparePrompt({
    promptId,
    path,
    change,
    base: base ? side("base", base) : undefined,
    head: head ? side("head", head) : undefined,
    baseCaseIds: base?.map((_, i) => `case-${i}`),
  });
}

const scores = (...values: number[]): CaseSpec[] => values.map((score) => ({ score }));
const gates = (overrides: Partial<GateConfig> = {}): GateConfig => ({ ...DEFAULT_CONFIG.gates, ...overrides });
const clean = { lintErrors: 0 };

describe("decideVerdict", () => {
  it("succeeds when every gate passes", () => {
    const verdict = decideVerdict([compare("summary", scores(0.8, 0.9, 1), scores(0.8, 0.9, 1))], gates({ minScore: 0.7, minPassRate: 0.9 }), clean);
    expect(verdict.conclusion).toBe("success");
    expect(verdict.reasons).toEqual([]);
    expect(verdict.findings.map((f) => [f.gate, f.passed])).toEqual([
      ["minScore", true],
      ["minPassRate", true],
      ["maxRegression", true],
    ]);
    expect(verdict.title).toBe("1 prompt: 1 unchanged, all gates passed");
  });

  it("fails a regression beyond maxRegression that is outside the noise", () => {
    const regressed = compare("summary", scores(1, 1, 1, 1, 1, 1), scores(0.9, 0.85, 0.8, 0.9, 0.85, 0.9));
    const improved = compare("classify", scores(0.5, 0.5, 0.5), scores(0.8, 0.7, 0.9));
    const verdict = decideVerdict([regressed, improved], gates({ maxRegression: 0.05 }), clean);
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.findings).toContainEqual(expect.objectContaining({ promptId: "summary", gate: "maxRegression", passed: false, message: expect.stringContaining("score dropped by 0.13") }));
    expect(verdict.title).toBe("2 prompts: 1 regressed (-0.13), 1 improved (+0.30), gate failed");
    expect(verdict.title).not.toContain("\n");
  });

  it("calls a drop that is neither shown nor ruled out inconclusive, never within noise", () => {
    const noisy = compare("summary", scores(1, 0, 1, 0.5), scores(0, 1, 0.5, 0.5));
    expect(noisy.withinNoise).toBe(true);
    const verdict = decideVerdict([noisy], gates({ maxRegression: 0.05 }), clean);
    expect(verdict.conclusion).toBe("neutral");
    expect(verdict.findings[0]).toMatchObject({ gate: "maxRegression", passed: true, inconclusive: true });
    expect(verdict.findings[0].message).toMatch(/^inconclusive: score delta -0\.13; can't rule out a drop of up to 0\.\d\d \(allowed 0\.05\); add cases or repeats/);
    expect(verdict.reasons).toEqual([`summary: ${verdict.findings[0].message}`]);
    expect(verdict.title).toBe("1 prompt: 1 inconclusive, not passed");
    expect(verdict.title).not.toContain("noise");
    expect(verdict.judgements?.summary).toMatchObject({ outcome: "inconclusive", cases: 4, repeats: 1 });
  });

  it("lets gates.onInconclusive pass or fail an inconclusive prompt, the word shown either way", () => {
    const noisy = compare("summary", scores(1, 0, 1, 0.5), scores(0, 1, 0.5, 0.5));
    const lenient = decideVerdict([noisy], gates({ onInconclusive: "pass" }), clean);
    expect(lenient.conclusion).toBe("success");
    expect(lenient.findings[0]).toMatchObject({ passed: true, inconclusive: true, message: expect.stringContaining("inconclusive") });
    const strict = decideVerdict([noisy], gates({ onInconclusive: "fail" }), clean);
    expect(strict.conclusion).toBe("failure");
    expect(strict.findings[0]).toMatchObject({ passed: false, inconclusive: true });
    expect(strict.reasons).toEqual([]);
  });

  it("clears a prompt whose one-sided bound rules out a drop larger than the tolerance", () => {
    const steady = compare("summary", scores(0.8, 0.9, 1, 0.7, 0.8, 0.9, 1, 0.7), scores(0.82, 0.88, 1, 0.7, 0.81, 0.9, 0.98, 0.7));
    const verdict = decideVerdict([steady], gates({ maxRegression: 0.05 }), clean);
    expect(verdict.conclusion).toBe("success");
    expect(verdict.findings[0]).toMatchObject({ passed: true, message: expect.stringMatching(/^no regression shown: score delta .*a drop over 0\.05 is ruled out/) });
    expect(verdict.title).toBe("1 prompt: 1 no regression shown, all gates passed");
  });

  it("judges by the point estimate alone when ignoreNoise is off", () => {
    const noisy = compare("summary", scores(1, 0, 1, 0.5), scores(0, 1, 0.5, 0.5));
    const verdict = decideVerdict([noisy], gates({ maxRegression: 0.05, ignoreNoise: false }), clean);
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.judgements).toBeUndefined();
  });

  it("fails on minScore and maxCostIncrease of the head; a pass rate two cases cannot settle is inconclusive", () => {
    const cheapBase: CaseSpec[] = [{ score: 0.6, costUsd: 0.001 }, { score: 0.4, costUsd: 0.001 }];
    const pricierHead: CaseSpec[] = [{ score: 0.6, costUsd: 0.0015 }, { score: 0.4, costUsd: 0.0015 }];
    const verdict = decideVerdict([compare("summary", cheapBase, pricierHead)], gates({ minScore: 0.7, minPassRate: 0.75, maxCostIncrease: 0.2 }), clean);
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.findings.filter((f) => !f.passed).map((f) => [f.gate, f.message])).toEqual([
      ["minScore", "head score 0.50 < minimum 0.70 [one-sided 95% bounds 0.40 to 0.60]"],
      ["maxCostIncrease", "cost +50% over the allowed +20%"],
    ]);
    expect(verdict.findings.find((f) => f.gate === "minPassRate")).toMatchObject({
      inconclusive: true,
      message: "inconclusive: head pass rate 50%; can't rule out being below the minimum 75%; add cases or repeats [one-sided 95% bounds 0% to 100%]",
    });
  });

  it("judges minScore and minPassRate by their bounds, or by the point estimate when ignoreNoise is off", () => {
    const many = (pass: number, fail: number): CaseSpec[] => [...Array(pass).fill({ score: 1 }), ...Array(fail).fill({ score: 0 })];
    // 36 of 40 pass: 90 % with a lower bound near 83 %.
    const clear = decideVerdict([compare("s", many(36, 4), many(36, 4))], gates({ minPassRate: 0.8 }), clean);
    expect(clear.findings.find((f) => f.gate === "minPassRate")).toMatchObject({ passed: true, message: expect.stringMatching(/^head pass rate 90% >= minimum 80%/) });
    // 33 of 40 pass: 82.5 %, above 80 % but not surely so.
    const close = decideVerdict([compare("s", many(33, 7), many(33, 7))], gates({ minPassRate: 0.8 }), clean);
    expect(close.findings.find((f) => f.gate === "minPassRate")).toMatchObject({ inconclusive: true });
    const pointwise = decideVerdict([compare("s", many(33, 7), many(33, 7))], gates({ minPassRate: 0.8, ignoreNoise: false }), clean);
    expect(pointwise.findings.find((f) => f.gate === "minPassRate")).toMatchObject({ passed: true, message: "head pass rate 82.5% >= minimum 80%" });
  });

  it("judges the pass-rate delta with its own interval when maxPassRateDrop is set", () => {
    const passes = (...values: boolean[]): CaseSpec[] => values.map((pass) => ({ score: 0.7, pass }));
    const all = Array(40).fill(true);
    const dropped = compare("summary", passes(...all), passes(...all.map((_, i) => i % 4 !== 0)));
    const failed = decideVerdict([dropped], gates({ maxPassRateDrop: 0.05 }), clean);
    expect(failed.conclusion).toBe("failure");
    expect(failed.findings).toContainEqual(expect.objectContaining({ gate: "maxPassRateDrop", passed: false, message: expect.stringMatching(/^regression: pass rate 100% → 75%, a drop the evidence shows, more than the allowed 5% \[one-sided 95% bounds -\d+(\.\d)?% to -\d+(\.\d)?%\]$/) }));
    // The score did not move: only the pass-rate gate sees the drop.
    expect(failed.findings.find((f) => f.gate === "maxRegression")?.passed).toBe(true);

    const same = compare("summary", passes(...all), passes(...all));
    expect(decideVerdict([same], gates({ maxPassRateDrop: 0.05 }), clean).findings).toContainEqual(expect.objectContaining({ gate: "maxPassRateDrop", passed: true, message: expect.stringMatching(/^no regression shown: pass rate 100% → 100%/) }));

    const one = compare("summary", passes(...all), passes(false, ...all.slice(1)));
    expect(decideVerdict([one], gates({ maxPassRateDrop: 0.05 }), clean).findings).toContainEqual(expect.objectContaining({ gate: "maxPassRateDrop", inconclusive: true }));
    expect(decideVerdict([one], gates({ maxPassRateDrop: 0.05, ignoreNoise: false }), clean).findings).toContainEqual(expect.objectContaining({ gate: "maxPassRateDrop", passed: true }));
  });

  it("says maxCostIncrease was not checked when the base has no known cost", () => {
    const unpricedBase: CaseSpec[] = [{ score: 1, costUsd: 0 }];
    const pricedHead: CaseSpec[] = [{ score: 1, costUsd: 0.002 }];
    const verdict = decideVerdict([compare("summary", unpricedBase, pricedHead)], gates({ maxCostIncrease: 0.2 }), clean);
    expect(verdict.findings.find((f) => f.gate === "maxCostIncrease")).toMatchObject({ passed: true, message: expect.stringMatching(/^not checked: the base side has no known cost/) });
  });

  it("fails a changed prompt without golden cases when requireGolden is on, and ignores removed prompts", () => {
    const noGolden = compare("new-prompt", undefined, [], "added");
    const removed = compare("old-prompt", scores(0, 0), undefined, "removed");
    expect(decideVerdict([noGolden, removed], gates({ requireGolden: true, minScore: 0.9 }), clean)).toMatchObject({
      conclusion: "failure",
      findings: [{ promptId: "new-prompt", gate: "requireGolden", passed: false, message: "changed prompt has no golden cases" }],
    });
    const relaxed = decideVerdict([noGolden, removed], gates({ minScore: 0.9 }), clean);
    expect(relaxed.conclusion).toBe("success");
    expect(relaxed.title).toBe("2 prompts: 1 without golden cases, 1 removed, all gates passed");
  });

  it("is neutral, never success, when cases could not be evaluated", () => {
    const partial = compare("summary", scores(1, 1, 1), [{ score: 1 }, { error: "connect ECONNREFUSED 127.0.0.1:443" }, { score: 1 }]);
    const verdict = decideVerdict([partial], gates({ minScore: 0.5 }), clean);
    expect(verdict.conclusion).toBe("neutral");
    expect(verdict.reasons).toEqual(["summary: 1 of 3 cases on head could not be evaluated (network: connect ECONNREFUSED 127.0.0.1:443)"]);
    expect(verdict.title).toBe("1 prompt: 1 unchanged, 1 case evaluation errored, incomplete, not passed");
  });

  it("is neutral when the provider is unreachable on every case, with the gates it could not check", () => {
    const down = compare("summary", [{ error: "timeout" }, { error: "timeout" }], [{ error: "timeout" }, { error: "timeout" }]);
    const verdict = decideVerdict([down], gates({ minScore: 0.5, minPassRate: 0.5 }), { lintErrors: 0, unreachable: ["openai: request timed out after 60000 ms"] });
    expect(verdict.conclusion).toBe("neutral");
    expect(verdict.reasons).toEqual([
      "Provider unreachable: openai: request timed out after 60000 ms",
      "summary: 2 of 2 cases on head and 2 of 2 on base could not be evaluated (network: timeout)",
      "summary: minScore cannot be checked: no case has a score",
      "summary: minPassRate cannot be checked: no case has a score",
    ]);
  });

  it("treats a judge that could not run as an incomplete evaluation", () => {
    const judged = compare("summary", scores(1, 1), [{ score: 1 }, { judgeError: true }]);
    const verdict = decideVerdict([judged], gates(), clean);
    expect(verdict.conclusion).toBe("neutral");
    expect(verdict.reasons[0]).toContain("judge failed: 503");
  });

  it("keeps a failure a failure when some cases also errored", () => {
    const bad = compare("summary", scores(1, 1, 1, 1), [{ score: 0.1 }, { score: 0.2 }, { score: 0.1 }, { error: "503" }]);
    const verdict = decideVerdict([bad], gates({ maxRegression: 0.05 }), clean);
    expect(verdict.conclusion).toBe("failure");
    expect(verdict.reasons).toHaveLength(1);
  });

  it("fails on lint errors even when every gate passes", () => {
    const verdict = decideVerdict([compare("summary", scores(1), scores(1))], gates(), { lintErrors: 2 });
    expect(verdict.conclusion).toBe("failure");
    // One paired case can neither convict nor clear a prompt.
    expect(verdict.title).toBe("1 prompt: 1 inconclusive, 2 lint errors, failed");
  });

  it("titles a review with no prompt", () => {
    expect(decideVerdict([], gates(), clean)).toMatchObject({ conclusion: "success", title: "No prompt changed: all gates passed" });
  });
});

describe("decideVerdict across many prompts", () => {
  it("holds the family-wise error: a drop that would fail one prompt alone is inconclusive among ten", () => {
    // A drop of 0.2 on 3 of 12 cases: significant on its own at 5 %, not after Holm over ten prompts.
    const marginal = (id: string) => compare(id, scores(...Array(12).fill(1)), scores(0.8, 0.8, 0.8, ...Array(9).fill(1)));
    const alone = decideVerdict([marginal("p0")], gates({ maxRegression: 0 }), clean);
    expect(alone.judgements?.p0.outcome).toBe("regression");
    const prompts = Array.from({ length: 10 }, (_, i) => marginal(`p${i}`));
    const together = decideVerdict(prompts, gates({ maxRegression: 0 }), clean);
    expect(Object.values(together.judgements ?? {}).map((j) => j.outcome)).toEqual(Array(10).fill("inconclusive"));
    expect(together.conclusion).toBe("neutral");
  });
});

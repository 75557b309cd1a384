// A review whose scored cases no gate judged is a success that checked nothing: every report says
// "no gates configured" and none shows a check mark or "all gates passed".

import { DEFAULT_CONFIG, type GateConfig } from "../../../src/core/config/model.js";
import { comparePrompt } from "../../../src/core/eval/compare.js";
import { decideVerdict } from "../../../src/core/eval/gates.js";
import type { ReviewResult } from "../../../src/core/eval/model.js";
import { summarizeSide } from "../../../src/core/eval/stats.js";
import { renderCheckRun } from "../../../src/core/report/check-run.js";
import { toReviewJson } from "../../../src/core/report/json.js";
import { renderComment } from "../../../src/core/report/markdown.js";
import { caseResult } from "../eval/compare-fixtures.js";

// One revision only (as `promptops eval` runs): every case failed.
function failingEval(gates: GateConfig): ReviewResult {
  const path = "prompts/summary.prompt.yml";
  const head = summarizeSide("head", path, [0, 1, 2].map((i) => caseResult("head", `case-${i}`, { score: 0 })));
  const comparisons = [comparePrompt({ promptId: "summary", path, change: "modified", head })];
  const verdict = decideVerdict(comparisons, gates, { lintErrors: 0 });
  return { baseRef: "working tree", headRef: "working tree", comparisons, diagnostics: [], verdict, diffs: {}, stats: { requestsSent: 3, cacheHits: 0, durationMs: 5 } };
}

const NO_GATES: GateConfig = { requireGolden: false, ignoreNoise: true, onInconclusive: "neutral", adaptive: "auto", maxRepeats: 5 };

describe("a review no gate judged", () => {
  it.each([
    ["no gates at all", NO_GATES, "1 prompt: 1 not compared, no gates configured"],
    ["only gates that need a base", DEFAULT_CONFIG.gates, "1 prompt: 1 not compared, no gates configured for a single revision (maxRegression compares with a base)"],
  ])("with %s: says so, with no check mark, in the comment and the check run", (_name, gates, title) => {
    const result = failingEval(gates);
    expect(result.verdict).toMatchObject({ conclusion: "success", title, ungated: true });
    const comment = renderComment(result);
    const check = renderCheckRun(result);
    for (const text of [comment, check.summary, check.text, check.title]) {
      expect(text).not.toContain("all gates passed");
      expect(text).not.toContain("✅");
    }
    expect(comment).toContain(`## ⚪ PromptOps: ${title}`);
    expect(check.summary).toContain(`## ⚪ PromptOps: ${title}`);
    expect(toReviewJson(result).verdict).toMatchObject({ conclusion: "success", title, ungated: true });
  });

  it("a gate that judged keeps its check mark", () => {
    const result = failingEval({ ...NO_GATES, minPassRate: 0 });
    expect(result.verdict.ungated).toBeUndefined();
    expect(renderComment(result)).toContain("## ✅ PromptOps: 1 prompt: 1 not compared, all gates passed");
  });
});

import { renderCheckRun } from "../../../src/core/report/check-run.js";
import { CHECK_TEXT_LIMIT } from "../../../src/core/report/truncate.js";
import { caseResult, comparedCase, comparison, diagnostic, expectBalanced, review } from "./fixtures.js";

describe("renderCheckRun annotations", () => {
  it("maps diagnostics to levels, with columns only on single-line ones", () => {
    const r = review([], {
      diagnostics: [
        diagnostic("b.prompt.yml", 7, "notice", "consider a description"),
        diagnostic("a.prompt.yml", 3, "warning", "unused variable", { endLine: 5 }),
        diagnostic("a.prompt.yml", 2, "error", "missing partial `footer`", { column: 9, rule: "missing-partial" }),
      ],
    });
    expect(renderCheckRun(r).annotations).toEqual([
      { path: "a.prompt.yml", start_line: 2, end_line: 2, start_column: 9, end_column: 9, annotation_level: "failure", message: "missing partial `footer`", title: "PromptOps: missing-partial" },
      { path: "a.prompt.yml", start_line: 3, end_line: 5, annotation_level: "warning", message: "unused variable", title: "PromptOps: test-rule" },
      { path: "b.prompt.yml", start_line: 7, end_line: 7, start_column: 3, end_column: 3, annotation_level: "notice", message: "consider a description", title: "PromptOps: test-rule" },
    ]);
  });

  it("annotates regressed and failing head cases at their golden line, and model errors", () => {
    const r = review([
      comparison("support/summary", [
        comparedCase("regressed-fails", 0.9, 0.2, { source: { file: "evals/s.jsonl", line: 4 } }),
        comparedCase("regressed-passes", 0.9, 0.6, { source: { file: "evals/s.jsonl", line: 5 } }),
        comparedCase("still-failing", 0.1, 0.1, { source: { file: "evals/s.jsonl", line: 6 } }),
        comparedCase("fine", 0.8, 0.9, { source: { file: "evals/s.jsonl", line: 7 } }),
        {
          caseId: "inline",
          status: "error",
          head: caseResult("head", "inline", 0, "", { error: { kind: "timeout", message: "no answer in 30 s" }, pass: false }),
        },
      ]),
    ]);
    const cases = renderCheckRun(r).annotations.map((a) => [a.path, a.start_line, a.annotation_level, a.title]);
    expect(cases).toEqual([
      ["evals/s.jsonl", 4, "failure", "Case regressed-fails regressed and fails"],
      ["evals/s.jsonl", 5, "warning", "Case regressed-passes regressed"],
      ["evals/s.jsonl", 6, "failure", "Case still-failing fails"],
      // no source: the prompt file, line 1
      ["prompts/support/summary.prompt.yml", 1, "warning", "Case inline: model error"],
    ]);
    const first = renderCheckRun(r).annotations[0];
    expect(first.message).toBe("support/summary: 0.90 → 0.20 (−0.70). contains: 0.20 (expected text missing).\nHead output: head answer for regressed-fails");
    expect(first.raw_details).toBe("head answer for regressed-fails");
  });

  it("annotates a case whose evaluator could not run as not scored, and a case nothing scored not at all", () => {
    const judgeDown = { name: "rubric", score: 0, pass: false, weight: 1, reason: "judge failed: 503", error: true };
    const r = review([
      comparison("support/summary", [
        { caseId: "judged", status: "error", source: { file: "evals/s.jsonl", line: 2 }, head: caseResult("head", "judged", 0, "an answer", { scores: [judgeDown], pass: false }) },
        { caseId: "unscored", status: "new", source: { file: "evals/s.jsonl", line: 3 }, head: caseResult("head", "unscored", 0, "an answer", { scores: [], pass: false }) },
      ]),
    ]);
    expect(renderCheckRun(r).annotations.map((a) => [a.start_line, a.annotation_level, a.title, a.message])).toEqual([
      [2, "warning", "Case judged: evaluator error", "support/summary: not scored, an evaluator could not run: rubric: judge failed: 503"],
    ]);
  });

  it("keeps messages short and caps the number of annotations", () => {
    const cases = Array.from({ length: 30 }, (_, i) => comparedCase(`c${i}`, 0.9, 0.1, { headOutput: "\u0007x".repeat(100_000) }));
    const out = renderCheckRun(review([comparison("p", cases)]), { maxAnnotations: 10 });
    expect(out.annotations).toHaveLength(10);
    for (const a of out.annotations) {
      expect(a.message.length).toBeLessThanOrEqual(1_000);
      expect(a.raw_details!.length).toBeLessThanOrEqual(8_000);
      expect(a.message).not.toContain("\u0007");
    }
    expect(out.summary).toContain("20 more annotations not attached (limit 10).");
  });
});

describe("renderCheckRun output", () => {
  it("has the verdict as title and conclusion, the table in the summary and details in the text", () => {
    const r = review([comparison("support/summary", [comparedCase("c1", 0.9, 0.3)], { scoreDelta: -0.6 })], {
      verdict: { conclusion: "failure", title: "support/summary regressed by 0.60", findings: [], reasons: [] },
    });
    const out = renderCheckRun(r);
    expect(out.title).toBe("support/summary regressed by 0.60");
    expect(out.conclusion).toBe("failure");
    expect(out.summary.startsWith("## ❌ PromptOps: support/summary regressed by 0.60")).toBe(true);
    expect(out.summary).toContain("| `support/summary` | modified | 0.90 | 0.30 | ▼ −0.60 |");
    expect(out.summary).not.toContain("<details>");
    expect(out.summary).not.toContain("<!-- promptops:review -->");
    expect(out.text).toContain("### `support/summary` · modified");
    expect(out.text).toContain("<code>c1</code> regressed");
  });

  it("reports a neutral verdict as neutral, never as success", () => {
    const r = review([], { verdict: { conclusion: "neutral", title: "Provider unreachable", findings: [], reasons: ["ECONNREFUSED"] } });
    const out = renderCheckRun(r);
    expect(out.conclusion).toBe("neutral");
    expect(out.summary).toContain("- ⚪ ECONNREFUSED");
  });

  it("keeps summary and text within 65,535 characters for 2,000 cases", () => {
    const huge = "x`````\n</details>\n".repeat(20_000);
    const cases = Array.from({ length: 2_000 }, (_, i) => comparedCase(`case-${i}`, 0.9, 0.1, { headOutput: huge }));
    const prompts = Array.from({ length: 150 }, (_, i) => comparison(`prompt-${i}`, i === 0 ? cases : cases.slice(0, 2)));
    const out = renderCheckRun(review(prompts));
    expect(out.summary.length).toBeLessThanOrEqual(CHECK_TEXT_LIMIT);
    expect(out.text.length).toBeLessThanOrEqual(CHECK_TEXT_LIMIT);
    expect(out.summary).toContain("… 50 more prompts not in this table.");
    expect(out.text).toMatch(/more cases and \d+ more prompts not shown/);
    expectBalanced(out.summary);
    expectBalanced(out.text);
  });
});

// What a run reports from its routes' outcomes: the verdict, the outputs and whether the step fails.

import { actionReport } from "../../src/action/report.js";
import type { ReviewResult } from "../../src/core/eval/model.js";

function review(conclusion: ReviewResult["verdict"]["conclusion"], delta: number): ReviewResult {
  return {
    baseRef: "b".repeat(40),
    headRef: "c".repeat(40),
    comparisons: [
      {
        promptId: "support/summary",
        path: "prompts/summary.prompt.yml",
        change: "modified",
        cases: [{ caseId: "refund", status: delta < 0 ? "regressed" : "unchanged" }],
        scoreDelta: delta,
        removedCases: [],
      },
    ],
    diagnostics: [],
    verdict: {
      conclusion,
      title: conclusion === "failure" ? "A gate failed" : "All prompts pass",
      findings: [{ promptId: "support/summary", gate: "maxRegression", passed: conclusion !== "failure", message: "score dropped" }],
      reasons: [],
    },
    diffs: {},
    stats: { requestsSent: 2, cacheHits: 0, durationMs: 10 },
  };
}

const reviewed = (r: ReviewResult) => ({ route: "review", status: "done" as const, result: { status: "reviewed", checkRunId: 12, commentId: 34, conclusion: r.verdict.conclusion, review: r } });

describe("actionReport", () => {
  it("fails the step on a failed gate only when fail-on is gate", () => {
    const failing = review("failure", -0.5);
    const gate = actionReport({ trigger: "pull_request.opened", outcomes: [reviewed(failing)], failOn: "gate" });
    expect(gate.failed).toBe(true);
    expect(gate.outputs).toEqual({
      verdict: "failure",
      "score-delta": '{"support/summary":-0.5}',
      "changed-prompts": '["support/summary"]',
      regressions: '[{"prompt":"support/summary","scoreDelta":-0.5,"gates":["maxRegression"],"cases":["refund"]}]',
      "comment-id": "34",
      "check-run-id": "12",
    });
    expect(actionReport({ trigger: "pull_request.opened", outcomes: [reviewed(failing)], failOn: "never" }).failed).toBe(false);
  });

  it("fails the step when a route failed, whatever fail-on says, and says which", () => {
    const report = actionReport({ trigger: "push", outcomes: [{ route: "tags-on-push", status: "failed", error: new Error("HTTP 500") }], failOn: "never" });
    expect(report.failed).toBe(true);
    expect(report.outputs.verdict).toBe("failure");
    expect(report.summary).toContain("**tags-on-push** failed: HTTP 500");
  });

  it("says where a merged promotion was recorded, or why it was not", () => {
    const recorded = actionReport({
      trigger: "pull_request.closed",
      outcomes: [{ route: "promotion-record", status: "done", result: { status: "recorded", tag: "promptops/promotions/pr-6" } }],
      failOn: "gate",
    });
    expect(recorded.summary).toContain("The promotion is recorded in tag `promptops/promotions/pr-6` (its approvals, for `promptops audit`).");
    const pushed = actionReport({
      trigger: "push",
      outcomes: [
        {
          route: "tags-on-push",
          status: "done",
          result: { merged: [{ number: 6, result: { skipped: "no changed prompt", created: [], alreadyTagged: [], notTagged: [], releaseFailures: [] }, promotion: { status: "not-recorded", tag: "promptops/promotions/pr-6", reason: "GitHub refused to create tag promptops/promotions/pr-6: <b>protected</b>" } }] },
        },
      ],
      failOn: "gate",
    });
    expect(pushed.summary).toContain("Promotion #6 is not recorded: GitHub refused to create tag promptops/promotions/pr-6: ");
    expect(pushed.summary).not.toContain("<b>");
  });

  it("a review skipped for having nothing to evaluate is skipped, not a pass", () => {
    const report = actionReport({
      trigger: "pull_request.opened",
      outcomes: [{ route: "review", status: "done", result: { status: "skipped", reason: "no-prompt-changes" } }],
      failOn: "gate",
    });
    expect(report.outputs.verdict).toBe("skipped");
    expect(report.summary).toContain("**review**: nothing to do (no-prompt-changes).");
    expect(report.failed).toBe(false);
  });
});

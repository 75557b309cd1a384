import { COMMENT_LIMIT } from "../../../src/core/report/truncate.js";
import { COMMENT_MARKER, renderComment } from "../../../src/core/report/markdown.js";
import type { ReviewResult } from "../../../src/core/eval/model.js";
import { caseResult, comparedCase, comparison, diagnostic, expectBalanced, outsideFences, review } from "./fixtures.js";

const PING = /@[A-Za-z0-9]|#\d/;

/** Text GitHub would scan for mentions: outside code blocks, code spans and <code>. */
function mentionable(markdown: string): string {
  return outsideFences(markdown)
    .text.replace(/<code>.*?<\/code>/g, "")
    .replace(/(`+).*?\1/g, "");
}

function failingReview(): ReviewResult {
  const cmp = comparison(
    "support/summary",
    [
      comparedCase("greeting", 0.5, 0.8),
      comparedCase("unchanged-case", 0.7, 0.7),
      { caseId: "brand-new", status: "new", head: caseResult("head", "brand-new", 1, "hi") },
      {
        caseId: "boom",
        status: "error",
        base: caseResult("base", "boom", 1, "x"),
        head: caseResult("head", "boom", 0, "", { error: { kind: "rate-limit", message: "429 Too Many Requests" }, pass: false }),
      },
      comparedCase("refund-1", 0.9, 0.4),
      comparedCase("refund-2", 0.9, 0.7),
    ],
    { removedCases: ["old-case"], scoreDelta: -0.0833, interval: { low: -0.234, high: 0.02, level: 0.9 }, withinNoise: true, costDeltaUsd: 0.00034, latencyP50DeltaMs: 120 },
  );
  return review([cmp], {
    verdict: {
      conclusion: "failure",
      title: "1 prompt failed its gates",
      findings: [
        { promptId: "support/summary", gate: "maxRegression", passed: false, message: "score dropped by 0.08 (limit 0.05)" },
        { promptId: "support/summary", gate: "minPassRate", passed: true, message: "pass rate 80% ≥ 70%" },
      ],
      reasons: [],
    },
    diffs: { "support/summary": "--- a/prompts/support/summary.prompt.yml\n+++ b/prompts/support/summary.prompt.yml\n@@ -1 +1 @@\n-Be brief.\n+Be brief and polite.\n" },
    diagnostics: [
      diagnostic("prompts/support/summary.prompt.yml", 4, "warning", "variable `tone` is declared but never used"),
      diagnostic(".github/promptops.yml", 2, "error", "unknown key `gatez`"),
    ],
  });
}

describe("renderComment", () => {
  const md = renderComment(failingReview(), { runUrl: "https://github.com/acme/app/runs/42", notices: ["Could not request a review from @acme/support-ai: team not found"] });

  it("starts with the hidden marker and a verdict line with its emoji", () => {
    expect(md.startsWith(`${COMMENT_MARKER}\n## ❌ PromptOps: 1 prompt failed its gates\n`)).toBe(true);
  });

  it("has a summary row with scores, a ▼ delta with its interval, pass rate, cost and latency deltas", () => {
    expect(md).toContain("| Prompt | Change | Base score | Head score | Δ score | Pass rate | Δ cost | Δ p50 latency |");
    const row = md.split("\n").find((l) => l.startsWith("| `support/summary`"));
    const cells = row!.split(" | ");
    expect(cells.slice(1)).toEqual(["modified", "0.80", "0.72", "▼ −0.08 [−0.23, +0.02]", "100% → 80%", "+$0.00034", "+120 ms |"]);
  });

  it("gives each prompt's cost, tokens and p50/p95 latency on both sides", () => {
    const cmp = comparison("support/summary", [comparedCase("a", 0.5, 0.8)]);
    cmp.base = { ...cmp.base!, costUsd: 0.0012, latencyP50Ms: 120, latencyP95Ms: 300 };
    cmp.head = { ...cmp.head!, costUsd: 0.0015, latencyP50Ms: 140, latencyP95Ms: 1250 };
    const md = renderComment(review([cmp]));
    expect(md).toContain("**Cost** $0.0012 → $0.0015");
    expect(md).toMatch(/\*\*Latency p50\*\* 120 ms → 140 ms · \*\*p95\*\* 300 ms → 1,250 ms/);
    expect(md).toMatch(/\*\*Tokens\*\* [\d,]+ → [\d,]+/);
  });

  it("shows ▲ for an improvement and ⚪ for a neutral verdict with its reason", () => {
    const up = review([comparison("a", [comparedCase("c", 0.5, 0.75)], { scoreDelta: 0.25, withinNoise: false, latencyP50DeltaMs: -35.4, costDeltaUsd: -1.5 })], {
      verdict: { conclusion: "neutral", title: "Model unreachable", findings: [], reasons: ["openai/gpt-4o-mini: 401 Unauthorized"] },
    });
    const out = renderComment(up);
    expect(out).toContain("| ▲ +0.25 | ");
    expect(out).toContain("| −$1.50 | −35 ms |");
    expect(out).toContain("## ⚪ PromptOps: Model unreachable");
    expect(out).toContain("- ⚪ openai/gpt-4o-mini: 401 Unauthorized");
  });

  it("lists changed cases regressed first (worst first), then improved, new and error; unchanged ones are not shown", () => {
    const order = [...md.matchAll(/<summary>\S+ <code>([^<]+)<\/code>/g)].map((m) => m[1]);
    expect(order).toEqual(["refund-1", "refund-2", "greeting", "brand-new", "boom"]);
    expect(md).toContain("🔻 <code>refund-1</code> regressed: 0.90 ✅ → 0.40 ❌ (−0.50)");
    expect(md).toContain("**Head output: error** (rate-limit) 429 Too Many Requests");
    expect(md).toContain("**Cases:** 2 regressed · 1 improved · 1 new · 1 error · 1 unchanged");
  });

  it("names an evaluator that could not run as the error of a case whose model answered", () => {
    const judgeDown = { name: "rubric", score: 0, pass: false, weight: 1, reason: "judge failed: 503", error: true };
    const out = renderComment(
      review([comparison("p", [{ caseId: "judged", status: "error", head: caseResult("head", "judged", 0, "an answer", { scores: [judgeDown], pass: false }) }])]),
    );
    expect(out).toContain("<code>judged</code> error: evaluator</summary>");
    expect(out).toContain("| rubric | — | 0.00 ❌ — judge failed: 503 |");
  });

  it("shows base and head output and per-evaluator scores inside the collapsed case", () => {
    const block = md.slice(md.indexOf("<code>refund-1</code>"), md.indexOf("</details>", md.indexOf("<code>refund-1</code>")));
    expect(block).toContain("```\nbase answer for refund-1\n```");
    expect(block).toContain("```\nhead answer for refund-1\n```");
    expect(block).toContain("| contains | 0.90 ✅ | 0.40 ❌ — expected text missing |");
    expect(block).toContain('"ticket": "ticket refund-1"');
  });

  it("lists removed golden cases, gate findings, the diff and lint for the prompt", () => {
    expect(md).toContain("🗑️ **Removed from the golden set:** `old-case`");
    expect(md).toContain("- ❌ **maxRegression**: score dropped by 0.08 (limit 0.05)");
    expect(md).toContain("- ✅ **minPassRate**: pass rate 80% ≥ 70%");
    expect(md).toContain("<details><summary>Prompt diff</summary>\n\n```diff\n--- a/prompts/support/summary.prompt.yml");
    expect(md).toContain("- ⚠️ `prompts/support/summary.prompt.yml:4:3` variable \\`tone\\` is declared but never used (test-rule)");
    // a diagnostic about no prompt's files gets its own section
    expect(md).toContain("### Lint\n\n- ❌ `.github/promptops.yml:2:3` unknown key \\`gatez\\`");
  });

  it("shows notices escaped, and a footer with requests and cache hits", () => {
    expect(md).toContain("- ⚠️ Could not request a review from @\u200Dacme/support-ai: team not found");
    expect(md).toMatch(/<sub>base `0123456` → head `fedcba9` · 12 requests sent · 4 cache hits · 12\.3 s · \[full report\]\(https:\/\/github\.com\/acme\/app\/runs\/42\)<\/sub>$/);
  });

  it("can leave out the diff and cap the cases shown", () => {
    const out = renderComment(failingReview(), { showDiff: false, maxCases: 2 });
    expect(out).not.toContain("Prompt diff");
    expect(out.match(/<details>/g)).toHaveLength(2);
    expect(out).toContain("… 3 more changed cases not shown; see the check run.");
  });

  it("keeps hostile model output inert: no pings, no broken fence, no closed details", () => {
    const nasty = "@octocat @acme/admins fixes #1\n```\n</details>\n<!-- x -->\n````\n<img src=x onerror=alert(1)>\n";
    const r = review([
      comparison("evil|id", [comparedCase("ca@se #2 </summary>", 0.9, 0.1, { headOutput: nasty, baseOutput: "`````" })], {
        previousPath: "prompts/@old.prompt.yml",
      }),
    ], {
      verdict: { conclusion: "failure", title: "@octocat </details> #5", findings: [{ promptId: "evil|id", gate: "g", passed: false, message: "<!-- @team -->" }], reasons: [] },
    });
    const out = renderComment(r, { notices: ["@everyone </details>"] });
    expectBalanced(out);
    expect(mentionable(out)).not.toMatch(PING);
    expect(outsideFences(out).text).not.toContain("<!-- x");
    expect(outsideFences(out).text).not.toContain("<img");
    expect(out.split("\n").filter((l) => l.startsWith("| `evil")).length).toBe(1);
    expect(out).toContain("| `evil\\|id` |");
  });

  it("says when no prompt was evaluated", () => {
    expect(renderComment(review([]))).toContain("No changed prompt was evaluated.");
  });
});

describe("renderComment size limit", () => {
  it("fits 2,000 cases with huge outputs under 65,536 characters, keeping header, table and footer", () => {
    const huge = "lorem ipsum ```` </details> @octocat\n".repeat(3_000);
    const cases = Array.from({ length: 2_000 }, (_, i) => comparedCase(`case-${i}`, 0.9, 0.1, { headOutput: huge, baseOutput: huge.slice(0, 5_000) }));
    const r = review([comparison("big/prompt", cases), comparison("second/prompt", cases.slice(0, 10))], {
      diffs: { "big/prompt": "+added line\n".repeat(50_000) },
    });
    const out = renderComment(r, { maxCases: 5_000 });
    expect(out.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(out.startsWith(COMMENT_MARKER)).toBe(true);
    expect(out).toContain("| `big/prompt` |");
    expect(out).toContain("| `second/prompt` |");
    expect(out).toMatch(/\*\*… \d+ more cases and 1 more prompt not shown \(size limit\); see the check run\.\*\*/);
    expect(out).toMatch(/<sub>.*12 requests sent.*<\/sub>$/);
    expectBalanced(out);
    // the diff was clipped at a line, inside its fence
    expect(out).toMatch(/\+added line\n… \d+ more lines\n```/);
  });
});

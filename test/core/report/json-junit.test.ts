import { renderJson, renderJsonChunks, REVIEW_JSON_SCHEMA, type ReviewJson } from "../../../src/core/report/json.js";
import { renderJUnit } from "../../../src/core/report/junit.js";
import { assertWellFormedXml, caseResult, comparedCase, comparison, diagnostic, review } from "./fixtures.js";

function sample() {
  return review(
    [
      comparison(
        "support/summary",
        [
          comparedCase("regressed", 0.9, 0.2, { source: { file: "evals/s.jsonl", line: 3 } }),
          comparedCase("fine", 0.7, 0.7),
          {
            caseId: "boom",
            status: "error",
            base: caseResult("base", "boom", 1, "ok"),
            head: caseResult("head", "boom", 0, "", { error: { kind: "server", message: "502 Bad Gateway" }, pass: false }),
          },
        ],
        { removedCases: ["gone"], scoreDelta: -0.35, withinNoise: false },
      ),
    ],
    { diagnostics: [diagnostic("prompts/support/summary.prompt.yml", 2, "warning", "no version bump")], diffs: { "support/summary": "--- a/x\n+++ b/x\n" } },
  );
}

describe("renderJson", () => {
  it("is versioned, parseable, and uses null for absent values", () => {
    const text = renderJson(sample());
    expect(text.endsWith("}\n")).toBe(true);
    const doc = JSON.parse(text) as ReviewJson;
    expect(doc.schema).toBe(REVIEW_JSON_SCHEMA);
    expect(doc.schema).toBe("promptops.review/v1");
    expect(Object.keys(doc)).toEqual(["schema", "baseRef", "headRef", "verdict", "prompts", "diagnostics", "stats"]);
    const p = doc.prompts[0];
    expect(p.id).toBe("support/summary");
    expect(p.previousPath).toBeNull();
    expect(p.interval).toBeNull();
    expect(p.removedCases).toEqual(["gone"]);
    expect(p.diff).toBe("--- a/x\n+++ b/x\n");
    expect(p.head?.errors).toBe(1);
    const boom = p.cases.find((c) => c.id === "boom")!;
    expect(boom.head?.score).toBeNull();
    expect(boom.head?.error).toEqual({ kind: "server", message: "502 Bad Gateway" });
    expect(boom.delta).toBeNull();
    const regressed = p.cases.find((c) => c.id === "regressed")!;
    expect(regressed.source).toEqual({ file: "evals/s.jsonl", line: 3 });
    expect(regressed.head?.tokens).toEqual({ input: 100, output: 20 });
    expect(doc.diagnostics[0]).toEqual({ file: "prompts/support/summary.prompt.yml", line: 2, column: 3, severity: "warning", message: "no version bump", rule: "test-rule" });
  });

  it("is stable: the same result gives the same bytes", () => {
    expect(renderJson(sample())).toBe(renderJson(sample()));
  });

  it("comes in pieces of at most one case that join to exactly the same text", () => {
    const chunks = [...renderJsonChunks(sample())];
    expect(chunks.join("")).toBe(renderJson(sample()));
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.filter((c) => c.includes('"id": "regressed"') || c.includes('"id": "fine"')).length).toBe(2);
    const empty = review([]);
    expect([...renderJsonChunks(empty)].join("")).toBe(renderJson(empty));
  });
});

describe("renderJUnit", () => {
  it("is well-formed, one testsuite per prompt and one testcase per case with counts", () => {
    const xml = renderJUnit(sample());
    expect(() => assertWellFormedXml(xml)).not.toThrow();
    expect(xml).toContain('<testsuites name="promptops" tests="4" failures="1" errors="1" skipped="1"');
    expect(xml).toContain('<testsuite name="support/summary" tests="4" failures="1" errors="1" skipped="1"');
    expect(xml.match(/<testcase /g)).toHaveLength(4);
  });

  it("reports failures, provider errors, removed cases and base/head scores", () => {
    const xml = renderJUnit(sample());
    expect(xml).toContain('<property name="base.score" value="0.9"/>');
    expect(xml).toContain('<property name="head.score" value="0.2"/>');
    expect(xml).toMatch(/<failure message="regressed and fails: 0\.90 -&gt; 0\.20 \(-0\.70\); contains: 0\.20 \(expected text missing\)" type="regressed">head answer for regressed<\/failure>/);
    expect(xml).toContain('<error message="server: 502 Bad Gateway" type="server"/>');
    expect(xml).toContain('<testcase name="gone" classname="support/summary"');
    expect(xml).toContain('<skipped message="removed from the golden set"/>');
    expect(xml).toContain("<system-out>head answer for fine</system-out>");
  });

  it("counts an evaluator that could not run as an error and an unscored case as skipped, not as failures", () => {
    const judgeDown = { name: "rubric", score: 0, pass: false, weight: 1, reason: "judge failed: 503", error: true };
    const xml = renderJUnit(
      review([
        comparison("p", [
          { caseId: "judged", status: "error", head: caseResult("head", "judged", 0, "an answer", { scores: [judgeDown], pass: false }) },
          { caseId: "unscored", status: "new", head: caseResult("head", "unscored", 0, "an answer", { scores: [], pass: false }) },
        ]),
      ]),
    );
    expect(xml).toContain('<testsuite name="p" tests="2" failures="0" errors="1" skipped="1"');
    expect(xml).toContain('<error message="evaluator could not run: rubric: judge failed: 503" type="evaluator"/>');
    expect(xml).toContain('<skipped message="not scored: no evaluator applies and the case has no expected"/>');
  });

  it("escapes markup and strips characters XML 1.0 forbids", () => {
    const nasty = 'a<b>&c "q" \'s\' ]]> \u0000\u0001\u001b[31m\uFFFE \uD800 ok 😀\n</failure>';
    const r = review([comparison('id"<&>', [comparedCase(nasty, 0.9, 0.1, { headOutput: nasty, source: { file: nasty, line: 1 } })])]);
    const xml = renderJUnit(r);
    expect(() => assertWellFormedXml(xml)).not.toThrow();
    expect(xml).toContain('<testsuite name="id&quot;&lt;&amp;&gt;"');
    expect(xml).toContain("a&lt;b&gt;&amp;c \"q\" 's' ]]&gt; [31m  ok 😀\n&lt;/failure&gt;</failure>");
    expect(xml).toContain('name="a&lt;b&gt;&amp;c &quot;q&quot; &apos;s&apos; ]]&gt; [31m  ok 😀&#10;&lt;/failure&gt;"');
  });

  it("the checker itself rejects broken XML", () => {
    expect(() => assertWellFormedXml("<a><b></a></b>")).toThrow();
    expect(() => assertWellFormedXml('<a x="1<2"/>')).toThrow();
    expect(() => assertWellFormedXml("<a>&nbsp;</a>")).toThrow();
    expect(() => assertWellFormedXml("<a>\u0001</a>")).toThrow();
    expect(() => assertWellFormedXml("<a/><b/>")).toThrow();
  });
});

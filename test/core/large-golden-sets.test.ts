// A golden set larger than DETAILED_CASES: every case counts in every figure (scores, gates, the
// paired delta, the reports' totals), but only the cases a report shows keep their details
// (changed, failing, errored; at most DETAILED_CASES), so memory does not grow with the set.

import { DEFAULT_CONFIG, type PromptOpsConfig } from "../../src/core/config/model.js";
import { createModelAccess } from "../../src/core/eval/models.js";
import { DETAILED_CASES } from "../../src/core/eval/stats.js";
import { memoryTree } from "../../src/core/files.js";
import { renderJUnit } from "../../src/core/report/junit.js";
import { renderComment } from "../../src/core/report/markdown.js";
import { renderJson, renderJsonChunks, toReviewJson } from "../../src/core/report/json.js";
import { evaluatePrompts, reviewChanges } from "../../src/core/review.js";
import { loadWorkspace } from "../../src/core/workspace/workspace.js";

const CASES = DETAILED_CASES + 600;

function promptFile(template: string): string {
  return `name: Greeting
model: echo/writer
messages:
  - role: user
    content: "${template}"
evaluators:
  - name: ends-with-period
    string:
      endsWith: "."
promptops:
  id: greet
  version: 1.0.0
  golden: greet.golden.jsonl
`;
}

function golden(cases: number): string {
  return Array.from({ length: cases }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { name: `N${i}`, urgent: i % 100 === 0 } })).join("\n");
}

const config: PromptOpsConfig = { ...DEFAULT_CONFIG, gates: { ...DEFAULT_CONFIG.gates, minPassRate: 0.5 } };

async function review(baseTemplate: string, headTemplate: string, cases = CASES, reviewConfig: PromptOpsConfig = config) {
  const config = reviewConfig;
  const files = (template: string) => ({ "prompts/greet.prompt.yml": promptFile(template), "prompts/greet.golden.jsonl": golden(cases) });
  const base = await loadWorkspace(memoryTree(files(baseTemplate)), config);
  const head = await loadWorkspace(memoryTree(files(headTemplate)), config);
  return reviewChanges({
    config,
    base,
    head,
    changes: [{ path: "prompts/greet.prompt.yml", status: "modified" }],
    models: createModelAccess({ config, env: {} }),
    baseRef: "base",
    headRef: "head",
    now: () => 0,
  });
}

describe("a golden set larger than DETAILED_CASES", () => {
  it("lists the changed cases, counts the others in every figure, and says how many it left out", async () => {
    // Urgent cases (every 100th) no longer end with a period on the head: they regress.
    const result = await review("Greet {{name}}.", "Greet {{name}}.{{#if urgent}} Now{{/if}}");
    const regressed = Array.from({ length: CASES / 100 }, (_, k) => `c${k * 100}`);

    const doc = toReviewJson(result);
    const prompt = doc.prompts[0]!;
    expect(prompt.cases.map((c) => [c.id, c.status])).toEqual(regressed.map((id) => [id, "regressed"]));
    expect(prompt.cases[0]).toMatchObject({ source: { file: "prompts/greet.golden.jsonl", line: 1 }, vars: { name: "N0", urgent: true }, head: { output: "Greet N0. Now", pass: false } });
    expect(prompt.omittedCases).toBe(CASES - regressed.length);
    expect(prompt.head).toMatchObject({ cases: CASES, errors: 0, passRate: (CASES - regressed.length) / CASES });
    expect(prompt.base).toMatchObject({ cases: CASES, passRate: 1 });
    expect(prompt.scoreDelta).toBeCloseTo(-regressed.length / CASES, 12);
    // The paired judgement and the pass-rate gate see every case, not only the listed ones.
    expect(prompt.judgement).toMatchObject({ cases: CASES });
    expect(doc.verdict.findings.find((f) => f.gate === "minPassRate")?.message).toContain(`head pass rate ${Math.round((100 * (CASES - regressed.length)) / CASES)}% >= minimum 50%`);

    expect(renderComment(result)).toContain(`**Cases:** ${regressed.length} regressed · ${CASES - regressed.length} unchanged`);
    expect(renderJUnit(result)).toContain(`<testsuite name="greet" tests="${CASES}" failures="${regressed.length}" errors="0" skipped="0"`);
    // The streamed file is the same document.
    expect([...renderJsonChunks(result)].join("")).toBe(renderJson(result));
  });

  it("judges the pass-rate drop on every pair, folded ones too", async () => {
    // Every 100th case fails on the head: a pass-rate drop of 1 point, well within 10.
    const gated = { ...config, gates: { ...config.gates, maxPassRateDrop: 0.1 } };
    const result = await review("Greet {{name}}.", "Greet {{name}}.{{#if urgent}} Now{{/if}}", CASES, gated);
    const finding = result.verdict.findings.find((f) => f.gate === "maxPassRateDrop");
    expect(finding).toMatchObject({ passed: true });
    expect(finding?.message).toContain("pass rate 100% → 99%");
  });

  it("keeps at most DETAILED_CASES failing cases and counts the rest", async () => {
    const result = await review("Greet {{name}}.", "Greet {{name}}!");
    const prompt = toReviewJson(result).prompts[0]!;
    expect(prompt.cases).toHaveLength(DETAILED_CASES);
    expect(prompt.cases.every((c) => c.status === "regressed" && c.head?.pass === false)).toBe(true);
    expect(prompt.omittedCases).toBe(CASES - DETAILED_CASES);
    expect(prompt.head).toMatchObject({ cases: CASES, passRate: 0 });
    expect(renderComment(result)).toContain(`**Cases:** ${CASES} regressed`);
    expect(renderJUnit(result)).toContain(`tests="${CASES}" failures="${CASES}"`);
    expect(result.verdict.conclusion).toBe("failure");
  });

  it("lists every case of a set of DETAILED_CASES or fewer", async () => {
    const workspace = await loadWorkspace(memoryTree({ "prompts/greet.prompt.yml": promptFile("Greet {{name}}."), "prompts/greet.golden.jsonl": golden(DETAILED_CASES) }), config);
    const result = await evaluatePrompts({ config, workspace, paths: [], models: createModelAccess({ config, env: {} }), ref: "wt", now: () => 0 });
    const prompt = toReviewJson(result).prompts[0]!;
    expect(prompt.cases).toHaveLength(DETAILED_CASES);
    expect(prompt.omittedCases).toBe(0);
    expect(result.comparisons[0]!.folded).toBeUndefined();
  });

  it("evaluates one side the same way (promptops eval)", async () => {
    const workspace = await loadWorkspace(memoryTree({ "prompts/greet.prompt.yml": promptFile("Greet {{name}}.{{#if urgent}} Now{{/if}}"), "prompts/greet.golden.jsonl": golden(CASES) }), config);
    const result = await evaluatePrompts({ config, workspace, paths: [], models: createModelAccess({ config, env: {} }), ref: "wt", now: () => 0 });
    const prompt = toReviewJson(result).prompts[0]!;
    expect(prompt.cases.map((c) => c.id)).toEqual(Array.from({ length: CASES / 100 }, (_, k) => `c${k * 100}`));
    expect(prompt.omittedCases).toBe(CASES - CASES / 100);
    expect(prompt.head).toMatchObject({ cases: CASES, passRate: (CASES - CASES / 100) / CASES });
    expect(renderComment(result)).toContain(`**Cases:** ${CASES} new`);
  });
});

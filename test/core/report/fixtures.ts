// Builders for plain ReviewResult objects, and checks on rendered Markdown and XML that do
// not reuse the code under test.

import type { CaseComparison, CaseResult, PromptComparison, ReviewResult, ScoreResult, Side, SideResult } from "../../../src/core/eval/model.js";
import type { Diagnostic } from "../../../src/core/diagnostics.js";

export function caseResult(side: Side, caseId: string, score: number, output: string, extra: Partial<CaseResult> = {}): CaseResult {
  const pass = extra.pass ?? score >= 0.5;
  const scores: ScoreResult[] = extra.scores ?? [{ name: "contains", score, pass, weight: 1, reason: pass ? undefined : "expected text missing" }];
  return {
    caseId,
    side,
    output,
    scores,
    score,
    pass,
    passes: pass ? 1 : 0,
    repeats: 1,
    usage: { input: 100, output: 20 },
    costUsd: 0.00012,
    latencyMs: 800,
    ...extra,
  };
}

/** A case scored on both sides; status follows the scores unless given. */
export function comparedCase(caseId: string, base: number, head: number, extra: Partial<CaseComparison> & { baseOutput?: string; headOutput?: string } = {}): CaseComparison {
  const { baseOutput, headOutput, ...rest } = extra;
  const delta = head - base;
  return {
    caseId,
    status: delta < 0 ? "regressed" : delta > 0 ? "improved" : "unchanged",
    base: caseResult("base", caseId, base, baseOutput ?? `base answer for ${caseId}`),
    head: caseResult("head", caseId, head, headOutput ?? `head answer for ${caseId}`),
    delta,
    source: { file: "evals/summary.jsonl", line: 1 },
    vars: { ticket: `ticket ${caseId}` },
    ...rest,
  };
}

function sideOf(side: Side, path: string, cases: CaseResult[], extra: Partial<SideResult> = {}): SideResult {
  const scored = cases.filter((c) => !c.error);
  return {
    side,
    promptPath: path,
    version: side === "base" ? "1.2.0" : "1.3.0",
    model: "openai/gpt-4o-mini",
    cases,
    meanScore: scored.length ? scored.reduce((n, c) => n + c.score, 0) / scored.length : undefined,
    passRate: scored.length ? scored.filter((c) => c.pass).length / scored.length : undefined,
    costUsd: cases.reduce((n, c) => n + c.costUsd, 0),
    latencyP50Ms: 800,
    errors: cases.length - scored.length,
    ...extra,
  };
}

export function comparison(promptId: string, cases: CaseComparison[], extra: Partial<PromptComparison> = {}): PromptComparison {
  const path = extra.path ?? `prompts/${promptId}.prompt.yml`;
  const base = sideOf("base", path, cases.flatMap((c) => (c.base ? [c.base] : [])));
  const head = sideOf("head", path, cases.flatMap((c) => (c.head ? [c.head] : [])));
  return {
    promptId,
    path,
    change: "modified",
    base,
    head,
    cases,
    scoreDelta: (head.meanScore ?? 0) - (base.meanScore ?? 0),
    withinNoise: false,
    costDeltaUsd: head.costUsd - base.costUsd,
    latencyP50DeltaMs: 0,
    removedCases: [],
    ...extra,
  };
}

export function review(comparisons: PromptComparison[], extra: Partial<ReviewResult> = {}): ReviewResult {
  return {
    baseRef: "0123456789abcdef0123456789abcdef01234567",
    headRef: "fedcba9876543210fedcba9876543210fedcba98",
    comparisons,
    diagnostics: [],
    verdict: { conclusion: "success", title: "All prompts pass their gates", findings: [], reasons: [] },
    diffs: {},
    stats: { requestsSent: 12, cacheHits: 4, durationMs: 12_345 },
    ...extra,
  };
}

export function diagnostic(file: string, line: number, severity: Diagnostic["severity"], message: string, extra: Partial<Diagnostic> = {}): Diagnostic {
  return { file, line, column: 3, severity, message, rule: "test-rule", ...extra };
}

/** Text outside fenced code blocks (so checks see what GitHub would parse as Markdown/HTML). */
export function outsideFences(markdown: string): { text: string; unclosedFence: boolean } {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split("\n")) {
    if (fence === undefined) {
      const m = /^(`{3,}|~{3,})/.exec(line);
      if (m) fence = m[1];
      else out.push(line);
    } else {
      const m = /^(`{3,}|~{3,})\s*$/.exec(line);
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length) fence = undefined;
    }
  }
  return { text: out.join("\n"), unclosedFence: fence !== undefined };
}

/** Fences closed and every `<details>` closed, outside code. */
export function expectBalanced(markdown: string): void {
  const { text, unclosedFence } = outsideFences(markdown);
  expect(unclosedFence).toBe(false);
  const opens = (text.match(/<details>/g) ?? []).length;
  const closes = (text.match(/<\/details>/g) ?? []).length;
  expect(closes).toBe(opens);
  let depth = 0;
  for (const m of text.matchAll(/<\/?details>/g)) {
    depth += m[0] === "<details>" ? 1 : -1;
    expect(depth).toBeGreaterThanOrEqual(0);
  }
}

/**
 * A small XML well-formedness check: one root, properly nested tags, quoted attributes with
 * no raw `<`, only known entities, no characters XML 1.0 forbids. Throws on the first problem.
 */
export function assertWellFormedXml(xml: string): void {
  if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(xml)) throw new Error("character not allowed in XML 1.0");
  let s = xml.replace(/^<\?xml[^?]*\?>\s*/, "");
  const stack: string[] = [];
  let roots = 0;
  const checkText = (text: string) => {
    for (const m of text.matchAll(/&([^;]*);?/g)) {
      if (!m[0].endsWith(";") || !/^(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+)$/.test(m[1])) throw new Error(`bad entity ${m[0]}`);
    }
  };
  while (s.length > 0) {
    const lt = s.indexOf("<");
    if (lt < 0) {
      if (s.trim() !== "") throw new Error("text after the root element");
      break;
    }
    const text = s.slice(0, lt);
    if (stack.length === 0 && text.trim() !== "") throw new Error("text outside the root element");
    checkText(text);
    const gt = s.indexOf(">", lt);
    if (gt < 0) throw new Error("unterminated tag");
    const tag = s.slice(lt + 1, gt);
    s = s.slice(gt + 1);
    if (tag.startsWith("/")) {
      const name = tag.slice(1).trim();
      if (stack.pop() !== name) throw new Error(`mismatched </${name}>`);
      continue;
    }
    const selfClosing = tag.endsWith("/");
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const m = /^([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*$/.exec(body);
    if (!m) throw new Error(`malformed tag <${tag.slice(0, 80)}>`);
    checkText(m[2]);
    if (stack.length === 0) roots += 1;
    if (!selfClosing) stack.push(m[1]);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]}>`);
  if (roots !== 1) throw new Error(`expected one root element, found ${roots}`);
}

// JUnit XML for CI dashboards: one testsuite per prompt (its head side), one testcase per
// golden case; failing or regressed cases are failures, model and evaluator errors are errors.

import type { CaseComparison, PromptComparison, ReviewResult } from "../eval/model.js";
import { FOLDED_ERRORED, FOLDED_PASS, FOLDED_SCORED } from "../eval/model.js";
import { caseErrored, isScored } from "../eval/stats.js";
import { formatDelta, formatScore } from "./format.js";

// Everything XML 1.0 forbids: C0 controls other than tab/newline/CR, lone surrogates,
// U+FFFE and U+FFFF. (With the `u` flag a lone surrogate is one code point.)
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text content: invalid characters dropped, `& < >` escaped. */
export function xmlText(text: string): string {
  return text.replace(INVALID_XML, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Attribute value: as text, plus quotes, and whitespace kept as character references (parsers normalise it otherwise). */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}

const MAX_MESSAGE = 1_000;

function short(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

function seconds(ms: number | undefined): string {
  return ((ms ?? 0) / 1000).toFixed(3);
}

/** Scores to 4 decimals: enough for any dashboard, without float noise like 0.7749999999999999. */
function num(value: number): string {
  return String(Number(value.toFixed(4)));
}

function property(name: string, value: string): string {
  return `<property name="${xmlAttr(name)}" value="${xmlAttr(value)}"/>`;
}

type Outcome = { kind: "pass" } | { kind: "failure" | "error" | "skipped"; message: string; type: string; body?: string };

function outcome(c: CaseComparison): Outcome {
  if (c.status === "removed" || !c.head) return { kind: "skipped", message: "removed from the golden set", type: "removed" };
  const head = c.head;
  if (head.error) return { kind: "error", message: `${head.error.kind}: ${head.error.message}`, type: head.error.kind };
  if (caseErrored(head)) {
    const reasons = head.scores.filter((s) => s.error).map((s) => `${s.name}: ${s.reason ?? "could not run"}`);
    return { kind: "error", message: `evaluator could not run: ${reasons.join("; ")}`, type: "evaluator" };
  }
  // Nothing judged the output (no evaluator, no expected): neither a pass nor a failure.
  if (!isScored(head)) return { kind: "skipped", message: "not scored: no evaluator applies and the case has no expected", type: "unscored" };
  const failing = head.scores.filter((s) => !s.pass).map((s) => `${s.name}: ${formatScore(s.score)}${s.reason ? ` (${s.reason})` : ""}`);
  if (!head.pass || c.status === "regressed") {
    const scores = c.base && !c.base.error ? `${formatScore(c.base.score)} -> ${formatScore(head.score)} (${formatDelta(c.delta).replace("\u2212", "-")})` : formatScore(head.score);
    const verb = !head.pass ? (c.status === "regressed" ? "regressed and fails" : "fails") : "regressed";
    return {
      kind: "failure",
      type: c.status === "regressed" ? "regressed" : "failed",
      message: short(`${verb}: ${scores}${failing.length ? `; ${failing.join("; ")}` : ""}`),
      body: head.output,
    };
  }
  return { kind: "pass" };
}

function testcase(p: PromptComparison, c: CaseComparison, indent: string): string {
  const props: string[] = [property("status", c.status)];
  if (c.base) props.push(property("base.score", c.base.error ? "error" : num(c.base.score)));
  if (c.head) props.push(property("head.score", c.head.error ? "error" : num(c.head.score)));
  if (c.delta !== undefined) props.push(property("delta", num(c.delta)));
  if (c.source) props.push(property("source", `${c.source.file}:${c.source.line}`));
  const o = outcome(c);
  const inner = [`${indent}  <properties>`, ...props.map((x) => `${indent}    ${x}`), `${indent}  </properties>`];
  if (o.kind !== "pass") {
    // The schema gives <skipped> a message only; <failure> and <error> also a type.
    const attrs = `message="${xmlAttr(short(o.message))}"${o.kind === "skipped" ? "" : ` type="${xmlAttr(o.type)}"`}`;
    inner.push(o.body !== undefined ? `${indent}  <${o.kind} ${attrs}>${xmlText(o.body)}</${o.kind}>` : `${indent}  <${o.kind} ${attrs}/>`);
  }
  if (c.head && !c.head.error && o.kind === "pass") inner.push(`${indent}  <system-out>${xmlText(c.head.output)}</system-out>`);
  const file = c.source?.file ?? p.head?.promptPath ?? p.path;
  return [
    `${indent}<testcase name="${xmlAttr(c.caseId)}" classname="${xmlAttr(p.promptId)}" file="${xmlAttr(file)}" time="${seconds(c.head?.latencyMs)}">`,
    ...inner,
    `${indent}</testcase>`,
  ].join("\n");
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
}

function count(p: PromptComparison): Counts {
  const counts: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  for (const c of p.cases) {
    counts.tests += 1;
    counts.time += c.head?.latencyMs ?? 0;
    const kind = outcome(c).kind;
    if (kind === "failure") counts.failures += 1;
    else if (kind === "error") counts.errors += 1;
    else if (kind === "skipped") counts.skipped += 1;
  }
  // Folded cases (large golden sets) are counted as the head's outcomes, without a testcase each.
  const folded = p.head?.folded;
  if (folded) {
    counts.tests += folded.count;
    for (let i = 0; i < folded.count; i++) {
      const flags = folded.flags[i]!;
      counts.time += folded.latencyMs[i]!;
      if (flags & FOLDED_ERRORED) counts.errors += 1;
      else if ((flags & FOLDED_SCORED) === 0) counts.skipped += 1;
      else if ((flags & FOLDED_PASS) === 0) counts.failures += 1;
    }
  }
  return counts;
}

/** Removed cases that the comparison only lists by id still appear, as skipped tests. */
function withRemoved(p: PromptComparison): PromptComparison {
  const known = new Set(p.cases.map((c) => c.caseId));
  const extra: CaseComparison[] = p.removedCases.filter((id) => !known.has(id)).map((id) => ({ caseId: id, status: "removed" }));
  return extra.length === 0 ? p : { ...p, cases: [...p.cases, ...extra] };
}

function counted(c: Counts): string {
  return `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${seconds(c.time)}"`;
}

/** The review as a JUnit XML document. */
export function renderJUnit(result: ReviewResult): string {
  const prompts = result.comparisons.map(withRemoved);
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  const suites = prompts.map((p) => {
    const c = count(p);
    total.tests += c.tests;
    total.failures += c.failures;
    total.errors += c.errors;
    total.skipped += c.skipped;
    total.time += c.time;
    const props = [property("path", p.path), property("change", p.change)];
    if (p.base?.meanScore !== undefined) props.push(property("base.score", num(p.base.meanScore)));
    if (p.head?.meanScore !== undefined) props.push(property("head.score", num(p.head.meanScore)));
    if (p.scoreDelta !== undefined) props.push(property("delta", num(p.scoreDelta)));
    if (p.withinNoise !== undefined) props.push(property("withinNoise", String(p.withinNoise)));
    if (p.interval) props.push(property("delta.low", num(p.interval.low)), property("delta.high", num(p.interval.high)), property("delta.level", num(p.interval.level)));
    const judgement = result.verdict.judgements?.[p.promptId];
    if (judgement) {
      props.push(property("outcome", judgement.outcome), property("minDetectableDrop", num(judgement.minDetectableDrop)), property("repeats", String(judgement.repeats)));
    }
    if (p.head?.model) props.push(property("model", p.head.model));
    if (p.head?.version) props.push(property("version", p.head.version));
    if (p.folded) props.push(property("omittedCases", String(p.folded.count)));
    return [
      `  <testsuite name="${xmlAttr(p.promptId)}" ${counted(c)}>`,
      "    <properties>",
      ...props.map((x) => `      ${x}`),
      "    </properties>",
      ...p.cases.map((x) => testcase(p, x, "    ")),
      "  </testsuite>",
    ].join("\n");
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="promptops" ${counted(total)}>`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}

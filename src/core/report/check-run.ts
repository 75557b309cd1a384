// The `promptops/eval` check run's output: title, summary (verdict and table), text (per
// prompt details) and annotations on the lines of prompt and golden files.

import { sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import type { CaseComparison, Conclusion, PromptComparison, ReviewResult } from "../eval/model.js";
import { caseErrored, isScored } from "../eval/stats.js";
import { plainText } from "./escape.js";
import { formatDelta, formatScore, plural } from "./format.js";
import { noticesBlock, omittedNote, reviewSections, safeUrl, statsLine, summaryTable, verdictHeading } from "./markdown.js";
import { renderRecord, reviewRecord } from "./record.js";
import { CHECK_TEXT_LIMIT, fitMarkdown } from "./truncate.js";

/** Same shape as an annotation in GitHub's Checks API. */
export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  /** Only when `start_line === end_line`, as GitHub requires. */
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunOutput {
  title: string;
  summary: string;
  text: string;
  annotations: Annotation[];
  conclusion: Conclusion;
}

export interface CheckRunOptions {
  /** Changed cases shown with their outputs in `text` (default 100). */
  maxCases?: number;
  showDiff?: boolean;
  /** Link to a fuller report (workflow run, artifact). */
  runUrl?: string;
  notices?: string[];
  /** Annotations returned at most (default 500): each 50 cost one API call. */
  maxAnnotations?: number;
}

// GitHub allows 64 KB per message; annotations are read in a narrow sidebar, so keep them short.
const MAX_MESSAGE = 1_000;
const MAX_TITLE = 255;
const MAX_RAW_DETAILS = 8_000;
const MAX_CHECK_TITLE = 1_000;

const LEVEL: Record<Diagnostic["severity"], Annotation["annotation_level"]> = {
  error: "failure",
  warning: "warning",
  notice: "notice",
};

function lineNumber(n: number | undefined): number {
  return n !== undefined && Number.isInteger(n) && n >= 1 ? n : 1;
}

function diagnosticAnnotation(d: Diagnostic): Annotation {
  const start = lineNumber(d.line);
  const end = Math.max(start, lineNumber(d.endLine ?? d.line));
  const annotation: Annotation = {
    path: d.file,
    start_line: start,
    end_line: end,
    annotation_level: LEVEL[d.severity],
    message: plainText(d.message, MAX_MESSAGE),
    title: plainText(`PromptOps: ${d.rule}`, MAX_TITLE),
  };
  if (start === end && Number.isInteger(d.column) && d.column >= 1) {
    annotation.start_column = d.column;
    annotation.end_column = d.column;
  }
  return annotation;
}

function scoreReasons(c: CaseComparison): string {
  const failing = (c.head?.scores ?? []).filter((s) => !s.pass);
  return failing.map((s) => `${s.name}: ${formatScore(s.score)}${s.reason ? ` (${s.reason})` : ""}`).join("; ");
}

function caseAnnotation(p: PromptComparison, c: CaseComparison): Annotation | undefined {
  const head = c.head;
  if (!head) return undefined;
  // A case no scorer judged (none applies, or one could not run) neither passes nor fails.
  const failing = isScored(head) && !head.pass;
  const evaluatorError = !head.error && caseErrored(head);
  if (!head.error && !evaluatorError && !failing && c.status !== "regressed") return undefined;

  let title: string;
  let message: string;
  let level: Annotation["annotation_level"];
  if (head.error) {
    level = "warning";
    title = `Case ${c.caseId}: model error`;
    message = `${p.promptId}: not scored, the model call failed (${head.error.kind}): ${head.error.message}`;
  } else if (evaluatorError) {
    level = "warning";
    title = `Case ${c.caseId}: evaluator error`;
    const reasons = head.scores.filter((s) => s.error).map((s) => `${s.name}: ${s.reason ?? "could not run"}`).join("; ");
    message = `${p.promptId}: not scored, an evaluator could not run: ${reasons}`;
  } else {
    level = failing ? "failure" : "warning";
    const verb = c.status === "regressed" ? (failing ? "regressed and fails" : "regressed") : "fails";
    title = `Case ${c.caseId} ${verb}`;
    const scores = c.base && !c.base.error ? `${formatScore(c.base.score)} → ${formatScore(head.score)} (${formatDelta(c.delta)})` : `score ${formatScore(head.score)}`;
    const reasons = scoreReasons(c);
    message = `${p.promptId}: ${scores}.${reasons ? ` ${reasons}.` : ""}\nHead output: ${head.output.slice(0, MAX_MESSAGE)}`;
  }
  return {
    path: c.source?.file ?? p.head?.promptPath ?? p.path,
    start_line: lineNumber(c.source?.line),
    end_line: lineNumber(c.source?.line),
    annotation_level: level,
    message: plainText(message, MAX_MESSAGE),
    title: plainText(title, MAX_TITLE),
    ...(head.error || head.output === "" ? {} : { raw_details: plainText(head.output, MAX_RAW_DETAILS) }),
  };
}

/** Lint first (errors before warnings), then failing and regressed cases in report order. */
export function annotations(result: ReviewResult): Annotation[] {
  const rank = { error: 0, warning: 1, notice: 2 };
  const diagnostics = sortDiagnostics(result.diagnostics).sort((a, b) => rank[a.severity] - rank[b.severity]);
  const out = diagnostics.map(diagnosticAnnotation);
  for (const p of result.comparisons) {
    for (const c of p.cases) {
      const a = caseAnnotation(p, c);
      if (a) out.push(a);
    }
  }
  return out;
}

/**
 * The check run's output. `summary` and `text` are each at most `CHECK_TEXT_LIMIT`
 * UTF-8 bytes; the summary ends with the machine-readable record (`record.ts`); the conclusion is the verdict's.
 */
export function renderCheckRun(result: ReviewResult, options: CheckRunOptions = {}): CheckRunOutput {
  const all = annotations(result);
  const limit = options.maxAnnotations ?? 500;
  const kept = all.slice(0, limit);
  const seeAlso = options.runUrl ? `see the [full report](${safeUrl(options.runUrl)}).` : "see the JSON report.";

  const summarySections = [
    verdictHeading(result),
    noticesBlock(result, options.notices),
    summaryTable(result),
    all.length > kept.length ? `${plural(all.length - kept.length, "more annotation")} not attached (limit ${limit}).` : "",
    statsLine(result, options.runUrl),
    // Read back by the tag audit on merge; pinned, so never cut.
    renderRecord(reviewRecord(result)),
  ].map((markdown) => ({ markdown, pinned: true }));
  const summary = fitMarkdown(summarySections, CHECK_TEXT_LIMIT, (o) => omittedNote(o, seeAlso));

  const sections = reviewSections(result, {
    maxCases: options.maxCases ?? 100,
    showDiff: options.showDiff ?? true,
    maxOutputChars: 2_000,
    maxDiffChars: 20_000,
    seeAlso,
  });
  const text = fitMarkdown(sections, CHECK_TEXT_LIMIT, (o) => omittedNote(o, seeAlso));

  return {
    title: plainText(result.verdict.title, MAX_CHECK_TITLE).replace(/\n/g, " "),
    summary,
    text,
    annotations: kept,
    conclusion: result.verdict.conclusion,
  };
}

// The sticky pull-request comment: verdict, score table, and per prompt its gate findings,
// diff, changed cases and lint. Its sections are shared with the check run's text.

import { sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import type { CaseComparison, CaseResult, PromptComparison, ReviewResult, ScoreResult } from "../eval/model.js";
import { tokenTotal } from "../eval/stats.js";
import { codeBlock, escapeHtmlInline, escapeInline, inlineCode, truncateText } from "./escape.js";
import {
  CONCLUSION_EMOJI,
  verdictEmoji,
  SEVERITY_EMOJI,
  STATUS_EMOJI,
  changedCases,
  OUTCOME_LABEL,
  detectableDropLine,
  formatDelta,
  formatDuration,
  formatMs,
  formatMsDelta,
  formatPassRate,
  formatScore,
  formatScoreDelta,
  formatUsd,
  formatUsdDelta,
  groupThousands,
  plural,
  promptFiles,
  removedCaseIds,
  shortRef,
} from "./format.js";
import { COMMENT_LIMIT, fitMarkdown, type MarkdownSection, type Omitted } from "./truncate.js";

/** Hidden first line by which the comment is found and updated in place. */
export const COMMENT_MARKER = "<!-- promptops:review -->";

export interface CommentOptions {
  /** Changed cases shown with their outputs, over all prompts (default 25). */
  maxCases?: number;
  /** Include each prompt's diff (default true). */
  showDiff?: boolean;
  /** Link to the check run or workflow run with the full report. */
  runUrl?: string;
  /** Things the reader should know that are not about prompts (e.g. a failed reviewer request). */
  notices?: string[];
  /** Characters of each model output shown (default 2,500). */
  maxOutputChars?: number;
  /** Characters of each prompt diff shown (default 20,000). */
  maxDiffChars?: number;
}

/** How the per-prompt sections are rendered; shared by the comment and the check run. */
export interface SectionOptions {
  maxCases: number;
  showDiff: boolean;
  maxOutputChars: number;
  maxDiffChars: number;
  /** Where the truncation notes point the reader. */
  seeAlso: string;
}

const MAX_TABLE_ROWS = 100;
const MAX_LISTED = 50;
const MAX_REASON = 300;

export function verdictHeading(result: ReviewResult): string {
  return `## ${verdictEmoji(result.verdict)} PromptOps: ${escapeInline(result.verdict.title, { maxLength: 200 })}`;
}

function bulletList(items: readonly string[]): string {
  return items.map((i) => `- ${i}`).join("\n");
}

/** Why the verdict is neutral, and notices from the host (reviewer requests that failed, ...). */
export function noticesBlock(result: ReviewResult, notices: readonly string[] = []): string {
  const parts: string[] = [];
  if (result.verdict.reasons.length > 0) {
    parts.push(bulletList(result.verdict.reasons.map((r) => `${CONCLUSION_EMOJI.neutral} ${escapeInline(r, { maxLength: 500 })}`)));
  }
  if (notices.length > 0) {
    parts.push(`**Notices**\n\n${bulletList(notices.map((n) => `⚠️ ${escapeInline(n, { maxLength: 500 })}`))}`);
  }
  return parts.join("\n\n");
}

function tableRow(c: PromptComparison): string {
  const change = c.change === "renamed" && c.previousPath ? `renamed from ${inlineCode(c.previousPath, { table: true, maxLength: 120 })}` : c.change;
  const cells = [
    inlineCode(c.promptId, { table: true, maxLength: 120 }),
    change,
    formatScore(c.base?.meanScore),
    formatScore(c.head?.meanScore),
    formatScoreDelta(c.scoreDelta, c.interval),
    formatPassRate(c.base, c.head),
    formatUsdDelta(c.costDeltaUsd),
    formatMsDelta(c.latencyP50DeltaMs),
  ];
  return `| ${cells.join(" | ")} |`;
}

/** One row per prompt: scores, delta, pass rate, cost and latency deltas. */
export function summaryTable(result: ReviewResult): string {
  if (result.comparisons.length === 0) return "No changed prompt was evaluated.";
  const rows = result.comparisons.slice(0, MAX_TABLE_ROWS).map(tableRow);
  const header = [
    "| Prompt | Change | Base score | Head score | Δ score | Pass rate | Δ cost | Δ p50 latency |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const more = result.comparisons.length - rows.length;
  const table = [...header, ...rows].join("\n");
  const lines = [more > 0 ? `${table}\n\n… ${plural(more, "more prompt")} not in this table.` : table];
  const judged = Object.keys(result.verdict.judgements ?? {}).length;
  if (judged > 0) {
    lines.push(
      `${plural(judged, "prompt")} compared. Δ score shows the interval whose ends are one-sided 95% bounds (narrower shares of the 5% for a prompt sampled again in stages); a regression is called only when a drop holds across all of them together (Holm, 5% family-wise) and is larger than the allowed one.`,
    );
  }
  return lines.join("\n\n");
}

function diagnosticLine(d: Diagnostic): string {
  const where = inlineCode(`${d.file}:${d.line}:${d.column}`, { maxLength: 200 });
  return `${SEVERITY_EMOJI[d.severity]} ${where} ${escapeInline(d.message, { maxLength: 500 })} (${escapeInline(d.rule, { maxLength: 60 })})`;
}

function diagnosticList(diagnostics: readonly Diagnostic[], seeAlso: string): string {
  const shown = diagnostics.slice(0, MAX_LISTED).map(diagnosticLine);
  const more = diagnostics.length - shown.length;
  if (more > 0) shown.push(`… ${plural(more, "more problem")}; ${seeAlso}`);
  return bulletList(shown);
}

/** Diagnostics grouped by the prompt whose files they are about; the rest under `other`. */
export function diagnosticsByPrompt(result: ReviewResult): { byPrompt: Map<PromptComparison, Diagnostic[]>; other: Diagnostic[] } {
  const byPrompt = new Map<PromptComparison, Diagnostic[]>();
  const other: Diagnostic[] = [];
  const owners = result.comparisons.map((c) => ({ c, files: promptFiles(c) }));
  for (const d of sortDiagnostics(result.diagnostics)) {
    const owner = owners.find((o) => o.files.has(d.file));
    if (!owner) {
      other.push(d);
      continue;
    }
    const list = byPrompt.get(owner.c) ?? [];
    list.push(d);
    byPrompt.set(owner.c, list);
  }
  return { byPrompt, other };
}

/** From the gates alone: a prompt no gate judged gets no check mark. */
function promptEmoji(result: ReviewResult, c: PromptComparison): string {
  const findings = result.verdict.findings.filter((f) => f.promptId === c.promptId);
  if (findings.some((f) => !f.passed)) return `${CONCLUSION_EMOJI.failure} `;
  if (!c.head || c.head.meanScore === undefined || findings.some((f) => f.inconclusive)) return `${CONCLUSION_EMOJI.neutral} `;
  return findings.length > 0 ? `${CONCLUSION_EMOJI.success} ` : "";
}

function statusCounts(c: PromptComparison): string {
  const counts = new Map<string, number>();
  for (const x of c.cases) counts.set(x.status, (counts.get(x.status) ?? 0) + 1);
  for (const [status, n] of Object.entries(c.folded?.statuses ?? {})) counts.set(status, (counts.get(status) ?? 0) + n);
  const order = ["regressed", "improved", "new", "error", "unchanged"] as const;
  const parts = order.filter((s) => counts.get(s)).map((s) => `${counts.get(s)} ${s}`);
  return parts.length > 0 ? parts.join(" · ") : "no cases";
}

function promptHeading(result: ReviewResult, c: PromptComparison, diagnostics: readonly Diagnostic[], seeAlso: string): string {
  const lines = [`### ${promptEmoji(result, c)}${inlineCode(c.promptId, { maxLength: 200 })} · ${c.change}`];
  const facts = [inlineCode(c.path, { maxLength: 200 })];
  if (c.previousPath && c.previousPath !== c.path) facts.push(`renamed from ${inlineCode(c.previousPath, { maxLength: 200 })}`);
  const bv = c.base?.version;
  const hv = c.head?.version;
  if (bv !== undefined || hv !== undefined) {
    facts.push(bv === hv ? `version ${inlineCode(hv ?? "")}` : `version ${inlineCode(bv ?? "—")} → ${inlineCode(hv ?? "—")}`);
  }
  const bm = c.base?.model;
  const hm = c.head?.model;
  if (bm !== undefined || hm !== undefined) {
    facts.push(bm === hm ? `model ${inlineCode(hm ?? "")}` : `model ${inlineCode(bm ?? "—")} → ${inlineCode(hm ?? "—")}`);
  }
  lines.push("", facts.join(" · "));
  lines.push("", `**Cases:** ${statusCounts(c)}`);
  const usage = usageLine(c);
  if (usage) lines.push("", usage);

  const findings = result.verdict.findings.filter((f) => f.promptId === c.promptId);
  if (findings.length > 0) {
    lines.push(
      "",
      "**Gates**",
      "",
      bulletList(findings.map((f) => `${f.inconclusive && f.passed ? CONCLUSION_EMOJI.neutral : f.passed ? "✅" : "❌"} **${escapeInline(f.gate, { maxLength: 80 })}**: ${escapeInline(f.message, { maxLength: 500 })}`)),
    );
  }
  const judgement = result.verdict.judgements?.[c.promptId];
  if (judgement) {
    const staged = c.sequential && c.sequential.look > 1 ? ` · sampled again in ${plural(c.sequential.look - 1, "stage")} (adaptive repeats)` : "";
    lines.push("", `**Score delta:** ${OUTCOME_LABEL[judgement.outcome]} · ${detectableDropLine(judgement)}${staged}`);
  }
  const removed = removedCaseIds(c);
  if (removed.length > 0) {
    const listed = removed.slice(0, MAX_LISTED).map((id) => inlineCode(id, { maxLength: 120 }));
    const more = removed.length - listed.length;
    lines.push("", `🗑️ **Removed from the golden set:** ${listed.join(", ")}${more > 0 ? ` and ${more} more` : ""}`);
  }
  if (diagnostics.length > 0) lines.push("", "**Lint**", "", diagnosticList(diagnostics, seeAlso));
  return lines.join("\n");
}

const SINGLE_SAMPLE_EMOJI = "↕️";

/** Sampled at a temperature above 0 with one sample per case on both sides. */
function isSingleSample(c: PromptComparison): boolean {
  const folded = Math.max(c.base?.folded?.repeats ?? 1, c.head?.folded?.repeats ?? 1);
  return c.sampled === true && folded <= 1 && c.cases.every((x) => (x.base?.repeats ?? 1) <= 1 && (x.head?.repeats ?? 1) <= 1);
}

/** Cost, tokens and latency of each side: `base → head` when both ran, else the one that did. */
function usageLine(c: PromptComparison): string | undefined {
  const sides = [c.base, c.head].filter((s): s is NonNullable<typeof s> => s !== undefined);
  if (sides.length === 0) return undefined;
  const pair = (f: (s: (typeof sides)[number]) => string) => sides.map(f).join(" → ");
  const tokens = (s: (typeof sides)[number]) => groupThousands(tokenTotal(s));
  return [
    `**Cost** ${pair((s) => formatUsd(s.costUsd))}`,
    `**Tokens** ${pair(tokens)}`,
    `**Latency p50** ${pair((s) => formatMs(s.latencyP50Ms))}`,
    `**p95** ${pair((s) => formatMs(s.latencyP95Ms))}`,
  ].join(" · ");
}

/** Keeps whole lines of a long text and says how many were left out. */
function clipLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf("\n", max);
  const kept = text.slice(0, cut > 0 ? cut : max);
  const dropped = text.slice(kept.length).split("\n").filter((l) => l !== "").length;
  return `${kept}\n… ${plural(dropped, "more line")}\n`;
}

function clipOutput(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${truncateText(text, max)}\n[${text.length - max + 1} more characters]`;
}

function details(summaryHtml: string, body: string): string {
  return `<details><summary>${summaryHtml}</summary>\n\n${body.trimEnd()}\n\n</details>`;
}

function diffSection(diff: string, options: SectionOptions): string {
  return details("Prompt diff", codeBlock(clipLines(diff, options.maxDiffChars), "diff"));
}

function scoreCell(r: CaseResult | undefined, s: ScoreResult | undefined): string {
  if (!r) return "—";
  if (r.error) return "error";
  if (!s) return "—";
  const reason = s.reason ? ` — ${escapeInline(s.reason, { maxLength: MAX_REASON })}` : "";
  return `${formatScore(s.score)} ${s.pass ? "✅" : "❌"}${reason}`;
}

function scoresTable(c: CaseComparison): string {
  const names: string[] = [];
  for (const s of [...(c.base?.scores ?? []), ...(c.head?.scores ?? [])]) if (!names.includes(s.name)) names.push(s.name);
  const total = (r: CaseResult | undefined) => (!r ? "—" : r.error ? "error" : `**${formatScore(r.score)}** ${r.pass ? "✅" : "❌"}`);
  const rows = [
    "| Evaluator | Base | Head |",
    "| --- | --- | --- |",
    `| **score** | ${total(c.base)} | ${total(c.head)} |`,
    ...names.map((n) => {
      const find = (r: CaseResult | undefined) => r?.scores.find((s) => s.name === n);
      return `| ${escapeInline(n, { maxLength: 80 })} | ${scoreCell(c.base, find(c.base))} | ${scoreCell(c.head, find(c.head))} |`;
    }),
  ];
  return rows.join("\n");
}

function sideBlock(label: string, r: CaseResult, options: SectionOptions): string {
  const facts = `${formatMs(r.latencyMs)} · ${formatUsd(r.costUsd)}${r.repeats > 1 ? ` · ${r.passes}/${r.repeats} repeats passed` : ""}`;
  if (r.error) {
    return `**${label}: error** (${escapeInline(r.error.kind, { maxLength: 40 })}) ${escapeInline(r.error.message, { maxLength: 500 })}`;
  }
  return `**${label}** · ${facts}\n\n${codeBlock(clipOutput(r.output, options.maxOutputChars)).trimEnd()}`;
}

function caseSummary(c: CaseComparison, singleSample = false): string {
  const id = `<code>${escapeHtmlInline(c.caseId, { maxLength: 120 })}</code>`;
  const repeats = (r: CaseResult) => (r.repeats > 1 ? ` ${r.passes}/${r.repeats}` : "");
  const score = (r: CaseResult | undefined) => (!r ? "—" : r.error ? "error" : `${formatScore(r.score)} ${r.pass ? "✅" : "❌"}${repeats(r)}`);
  if (singleSample && (c.status === "regressed" || c.status === "improved")) {
    return `${SINGLE_SAMPLE_EMOJI} ${id} single-sample change: ${score(c.base)} → ${score(c.head)} (${formatDelta(c.delta)})`;
  }
  let what: string;
  if (c.status === "new") what = `new: ${score(c.head)}`;
  // Without a model error on either side, the error is an evaluator (judge, embedder) that could not run.
  else if (c.status === "error") what = `error: ${escapeHtmlInline((c.head?.error ?? c.base?.error)?.kind ?? "evaluator", { maxLength: 40 })}`;
  else what = `${c.status}: ${score(c.base)} → ${score(c.head)} (${formatDelta(c.delta)})`;
  return `${STATUS_EMOJI[c.status]} ${id} ${what}`;
}

/** One changed case, collapsed: scores per evaluator, variables, base and head output. */
export function caseSection(c: CaseComparison, options: SectionOptions, singleSample = false): string {
  const body: string[] = [];
  if (c.source) body.push(`Defined at ${inlineCode(`${c.source.file}:${c.source.line}`, { maxLength: 200 })}`);
  if (c.vars && Object.keys(c.vars).length > 0) {
    body.push(`**Variables**\n\n${codeBlock(clipOutput(JSON.stringify(c.vars, null, 2), 1500), "json").trimEnd()}`);
  }
  body.push(scoresTable(c));
  const sameOutput = c.base && c.head && !c.base.error && !c.head.error && c.base.output === c.head.output;
  if (sameOutput && c.head) {
    body.push(sideBlock("Output (same on base and head)", c.head, options));
  } else {
    if (c.base) body.push(sideBlock("Base output", c.base, options));
    if (c.head) body.push(sideBlock("Head output", c.head, options));
  }
  return details(caseSummary(c, singleSample), body.join("\n\n"));
}

/**
 * The sections of one prompt: heading (findings, removed cases, lint), diff, then changed
 * cases. `budget.cases` is shared across prompts and decremented.
 */
export function promptSections(
  result: ReviewResult,
  c: PromptComparison,
  diagnostics: readonly Diagnostic[],
  options: SectionOptions,
  budget: { cases: number },
): MarkdownSection[] {
  const sections: MarkdownSection[] = [{ markdown: promptHeading(result, c, diagnostics, options.seeAlso), kind: "prompt" }];
  const diff = result.diffs[c.promptId];
  if (options.showDiff && diff) sections.push({ markdown: diffSection(diff, options), kind: "diff" });
  let changed = changedCases(c);
  const singleSample = isSingleSample(c);
  if (singleSample && result.verdict.judgements?.[c.promptId]?.outcome !== "regression") {
    // Flips of one sample each are chance as often as not: listed one by one they read as
    // regressions the prompt's own result does not show.
    const flips = changed.filter((x) => x.status === "regressed" || x.status === "improved");
    if (flips.length > 0) {
      const down = flips.filter((x) => x.status === "regressed").length;
      sections.push({
        markdown: `${SINGLE_SAMPLE_EMOJI} ${plural(flips.length, "single-sample change")} (${down} down, ${flips.length - down} up) not listed: one sample per case at a temperature above 0, and the prompt's score shows no regression.`,
        kind: "note",
      });
      changed = changed.filter((x) => !flips.includes(x));
    }
  }
  const shown = changed.slice(0, Math.max(0, budget.cases));
  budget.cases -= shown.length;
  for (const x of shown) sections.push({ markdown: caseSection(x, options, singleSample), kind: "case" });
  const more = changed.length - shown.length;
  if (more > 0) sections.push({ markdown: `… ${plural(more, "more changed case")} not shown; ${options.seeAlso}`, kind: "note" });
  return sections;
}

export function otherDiagnosticsSection(diagnostics: readonly Diagnostic[], seeAlso: string): string {
  return diagnostics.length === 0 ? "" : `### Lint\n\n${diagnosticList(diagnostics, seeAlso)}`;
}

export function statsLine(result: ReviewResult, runUrl?: string): string {
  const { requestsSent, cacheHits, durationMs } = result.stats;
  const parts = [
    `base ${inlineCode(shortRef(result.baseRef), { maxLength: 60 })} → head ${inlineCode(shortRef(result.headRef), { maxLength: 60 })}`,
    plural(requestsSent, "request") + " sent",
    plural(cacheHits, "cache hit"),
    formatDuration(durationMs),
  ];
  if (runUrl) parts.push(`[full report](${safeUrl(runUrl)})`);
  return parts.join(" · ");
}

/** Only http(s) links, with the characters that would end a Markdown link destination encoded. */
export function safeUrl(url: string): string {
  if (!/^https?:\/\//i.test(url)) return "#";
  return url.replace(/[\s()<>"\\`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** "… 37 more cases and 2 more prompts not shown; see …". */
export function omittedNote(omitted: Omitted, seeAlso: string): string {
  const { case: cases = 0, prompt: prompts = 0 } = omitted.byKind;
  const parts: string[] = [];
  if (cases > 0) parts.push(plural(cases, "more case"));
  if (prompts > 0) parts.push(plural(prompts, "more prompt"));
  if (parts.length === 0) parts.push("some details");
  return `**… ${parts.join(" and ")} not shown (size limit); ${seeAlso}**`;
}

function sectionOptions(options: CommentOptions, defaultCases: number, seeAlso: string): SectionOptions {
  return {
    maxCases: options.maxCases ?? defaultCases,
    showDiff: options.showDiff ?? true,
    maxOutputChars: options.maxOutputChars ?? 2_500,
    maxDiffChars: options.maxDiffChars ?? 20_000,
    seeAlso,
  };
}

/** The per-prompt sections of a review, other diagnostics first (they may be config errors). */
export function reviewSections(result: ReviewResult, options: SectionOptions): MarkdownSection[] {
  const { byPrompt, other } = diagnosticsByPrompt(result);
  const sections: MarkdownSection[] = [];
  const others = otherDiagnosticsSection(other, options.seeAlso);
  if (others) sections.push({ markdown: others, kind: "lint" });
  const budget = { cases: options.maxCases };
  for (const c of result.comparisons) sections.push(...promptSections(result, c, byPrompt.get(c) ?? [], options, budget));
  return sections;
}

/**
 * The sticky comment, at most `COMMENT_LIMIT` UTF-8 bytes. Starts with `COMMENT_MARKER`;
 * when too long, whole cases and prompts are dropped from the end and a note says so.
 */
export function renderComment(result: ReviewResult, options: CommentOptions = {}): string {
  const seeAlso = options.runUrl ? `see the [check run](${safeUrl(options.runUrl)}).` : "see the check run.";
  const opts = sectionOptions(options, 25, seeAlso);
  const sections: MarkdownSection[] = [
    { markdown: `${COMMENT_MARKER}\n${verdictHeading(result)}`, pinned: true },
    { markdown: noticesBlock(result, options.notices), pinned: true },
    { markdown: summaryTable(result), pinned: true },
    ...reviewSections(result, opts),
    { markdown: `---\n<sub>${statsLine(result, options.runUrl)}</sub>`, pinned: true },
  ];
  // The marker is in the first, pinned section, so truncation never removes it.
  return fitMarkdown(sections, COMMENT_LIMIT, (omitted) => omittedNote(omitted, seeAlso));
}

/**
 * The sticky comment once a push has taken every prompt change out of the pull request: the
 * earlier review is said to no longer apply, rather than left claiming results for prompts
 * the pull request no longer touches.
 */
export function renderNoLongerChangesComment(headSha: string): string {
  return [
    COMMENT_MARKER,
    "## ⚪ PromptOps: no prompt changes any more",
    "",
    `As of \`${headSha.slice(0, 7)}\`, this pull request changes no prompt, partial or golden set. ` +
      "The earlier PromptOps review on this pull request no longer applies, and nothing is evaluated.",
  ].join("\n");
}

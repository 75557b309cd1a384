// What a merged pull request proved before it was merged, read back from GitHub for the tag's
// audit record: who approved, and the base -> head scores the `promptops/eval` check run showed.

import { currentApprovals } from "../core/owners/approvals.js";
import type { CheckRun, Review } from "../github/port.js";

/**
 * Logins whose latest decisive review is an approval, sorted; the author never counts. A
 * later "changes requested" cancels an approval, a dismissal removes it, comments change nothing.
 */
export function approversOf(reviews: readonly Review[], author: string): string[] {
  return currentApprovals(reviews, author)
    .map((r) => r.user)
    .sort((a, b) => a.localeCompare(b));
}

/** The same approvals, each with the commit it was given on (for the audit record). */
export function approvalsOf(reviews: readonly Review[], author: string): { login: string; commitSha?: string }[] {
  return currentApprovals(reviews, author)
    .map((r) => ({ login: r.user, ...(r.commitId ? { commitSha: r.commitId } : {}) }))
    .sort((a, b) => a.login.localeCompare(b.login));
}

/**
 * The run that decides: the newest one on the commit. A run still queued or in progress
 * gives its status as the conclusion, so it is never read as a pass.
 */
export function checkConclusion(runs: readonly CheckRun[]): string | undefined {
  const run = runs[0];
  if (!run) return undefined;
  return run.status === "completed" ? (run.conclusion ?? "unknown") : run.status;
}

/**
 * Base and head mean scores of `promptId` from the summary table of a `promptops/eval` check
 * run (`| Prompt | Change | Base score | Head score | ...`). The table shows two decimals, so
 * that is the precision recorded; a side shown as `—` (not scored) is left out, and so is
 * everything when the table or the prompt's row is not there.
 */
export function evalScoresFrom(run: CheckRun | undefined, promptId: string): { base?: number; head?: number } {
  if (!run) return {};
  for (const text of [run.output.summary, run.output.text]) {
    if (!text) continue;
    const scores = scoresInTable(text, promptId);
    if (scores) return scores;
  }
  return {};
}

function scoresInTable(markdown: string, promptId: string): { base?: number; head?: number } | undefined {
  const lines = markdown.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const header = cells(lines[i]!);
    const promptCol = header.indexOf("Prompt");
    const baseCol = header.indexOf("Base score");
    const headCol = header.indexOf("Head score");
    if (promptCol < 0 || baseCol < 0 || headCol < 0) continue;
    // Rows follow the `| --- |` delimiter line and end at the first line that is not a row.
    for (let j = i + 2; j < lines.length && lines[j]!.trim().startsWith("|"); j++) {
      const row = cells(lines[j]!);
      if (codeSpanText(row[promptCol] ?? "") !== promptId) continue;
      const base = score(row[baseCol]);
      const head = score(row[headCol]);
      return { ...(base !== undefined && { base }), ...(head !== undefined && { head }) };
    }
  }
  return undefined;
}

/** Cells of a Markdown table row; `\|` inside a cell is a literal bar. */
function cells(line: string): string[] {
  const trimmed = line.trim();
  if (!trimmed.startsWith("|")) return [];
  const out: string[] = [];
  let current = "";
  for (let i = 1; i < trimmed.length; i++) {
    const c = trimmed[i]!;
    if (c === "\\" && trimmed[i + 1] === "|") {
      current += "|";
      i++;
    } else if (c === "|") {
      out.push(current.trim());
      current = "";
    } else current += c;
  }
  if (current.trim() !== "") out.push(current.trim());
  return out;
}

/** The text of a cell written as one code span (`` `id` ``, or with longer fences and padding). */
function codeSpanText(cell: string): string {
  const m = /^(`+)(.*)\1$/s.exec(cell);
  if (!m) return cell;
  const inner = m[2]!;
  return inner.length >= 2 && inner.startsWith(" ") && inner.endsWith(" ") ? inner.slice(1, -1) : inner;
}

function score(cell: string | undefined): number | undefined {
  if (cell === undefined || !/^\d+(\.\d+)?$/.test(cell)) return undefined;
  const value = Number(cell);
  return value >= 0 && value <= 1 ? value : undefined;
}

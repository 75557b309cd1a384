// What a merged pull request proved before it was merged, read back from GitHub for the tag's
// audit record: who approved, and the base -> head scores the `promptops/eval` check run recorded.

import { currentApprovals } from "../core/owners/approvals.js";
import { readRecord } from "../core/report/record.js";
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
 * Base and head mean scores of `promptId` from the record the review wrote into its
 * `promptops/eval` check run (see `core/report/record.ts`), at full precision; a side that
 * was not scored is left out, and so is everything when the run carries no record (one made
 * by an older PromptOps, or not by a review).
 */
export function evalScoresFrom(run: CheckRun | undefined, promptId: string): { base?: number; head?: number } {
  const record = readRecord(run?.output.summary);
  const prompt = record?.prompts.find((p) => p.id === promptId);
  if (!prompt) return {};
  return { ...(prompt.base !== undefined && { base: prompt.base }), ...(prompt.head !== undefined && { head: prompt.head }) };
}

// What one Action run reports besides the check runs and the comment the workflows write: the
// step's outputs, the job summary and the exit status, from the outcomes of the routes that ran.
// Pure: the run writes them (runner-files.ts).

import type { ReviewResult } from "../core/eval/model.js";
import { escapeInline, renderComment } from "../core/report/index.js";
import type { RouteOutcome } from "../host/delivery.js";
import type { OwnershipSyncResult } from "../workflows/sync-ownership.js";
import type { RecordPromotionResult } from "../workflows/record-promotion.js";
import type { TagMergedResult } from "../workflows/tag-merged-prompts.js";
import { renderTagsComment } from "../workflows/tags-comment.js";
import type { FailOn } from "./inputs.js";
import { isPosted } from "./read-only-token.js";

/** The outputs action.yml declares; structured values are JSON. */
export interface ActionOutputs {
  verdict: string;
  "score-delta": string;
  "changed-prompts": string;
  regressions: string;
  "report-path": string;
  "comment-id": string;
  "check-run-id": string;
}

export interface ActionReport {
  outputs: Omit<ActionOutputs, "report-path">;
  /** Markdown for the job summary. */
  summary: string;
  /** The review, when a route made one: written as the JSON report, its lint as annotations. */
  review?: ReviewResult;
  /** Whether the step fails: a route failed, or a gate failed and `fail-on` is `gate`. */
  failed: boolean;
}

export interface ReportInput {
  /** `pull_request.opened`, `push`, ... */
  trigger: string;
  outcomes: readonly RouteOutcome[];
  failOn: FailOn;
  /** Said above everything else (a fork without secrets, a spending cap reached). */
  notes?: readonly string[];
  /** `https://github.com/owner/repo`, for links in the summary. */
  repoUrl?: string;
}

type Result = Record<string, unknown> & { status?: string; reason?: string; skipped?: string };

export function actionReport(input: ReportInput): ActionReport {
  const sections: string[] = [];
  let review: ReviewResult | undefined;
  let verdict: string | undefined;
  let commentId: number | undefined;
  let checkRunId: number | undefined;
  let ownersConclusion: string | undefined;
  let failedRoutes = 0;
  /** Some route did more than say it had nothing to do. */
  let worked = false;

  for (const outcome of input.outcomes) {
    if (outcome.status === "failed") {
      failedRoutes++;
      sections.push(`**${outcome.route}** failed: ${escapeInline(errorMessage(outcome.error))}`);
      continue;
    }
    const result = (outcome.result ?? {}) as Result;
    if (result.status !== "skipped" && result.skipped === undefined) worked = true;
    if (isReviewResult(result.review)) {
      review = result.review;
      verdict = result.review.verdict.conclusion;
    }
    // Ids of what a read-only token could not post are not GitHub's (read-only-token.ts).
    if (typeof result.commentId === "number" && isPosted(result.commentId)) commentId = result.commentId;
    if (typeof result.checkRunId === "number" && isPosted(result.checkRunId)) checkRunId ??= result.checkRunId;
    if (isOwnership(result)) {
      ownersConclusion = result.check.conclusion ?? "pending";
      sections.push(ownershipSection(result));
    } else if (isTagResult(result)) {
      sections.push(tagsSection(result, input.repoUrl));
    } else if (Array.isArray(result.merged)) {
      for (const { number, result: tags, promotion } of result.merged as { number: number; result: TagMergedResult; promotion?: unknown }[]) {
        sections.push(`Merged pull request #${number}:\n\n${tagsSection(tags, input.repoUrl)}`);
        if (isPromotionRecord(promotion)) sections.push(promotionSection(number, promotion));
      }
    } else if (isPromotionRecord(result)) {
      sections.push(promotionSection(undefined, result));
    } else if (result.status === "failed" && typeof result.message === "string") {
      verdict = "failure";
      sections.push(`**${outcome.route}**: the review stopped on an error: ${escapeInline(result.message)}`);
    } else if (result.status === "superseded") {
      verdict ??= "neutral";
      sections.push(`**${outcome.route}**: superseded: the pull request's head moved during the review; the review of the new head replaces it.`);
    } else if (result.status === "config-error" && typeof result.message === "string") {
      verdict = "failure";
      sections.push(`**${outcome.route}**: the base's configuration has errors:\n\n\`\`\`\n${result.message.replace(/`{3,}/g, "``")}\n\`\`\``);
    } else if (!isReviewResult(result.review)) {
      const why = result.skipped ?? result.reason;
      // A review that had nothing to evaluate (no prompt changed, a draft, a head already reported on).
      if (result.status === "skipped") verdict ??= "skipped";
      sections.push(`**${outcome.route}**: ${why !== undefined ? `nothing to do (${escapeInline(String(why))})` : "done"}.`);
    }
  }

  const head = [`## PromptOps: \`${input.trigger}\``];
  if (input.outcomes.length === 0) {
    head.push(`Nothing to do: PromptOps has no work for \`${input.trigger}\`. It reviews \`pull_request\` and \`pull_request_target\` events, checks owners on \`pull_request_review\`, tags on \`push\` to the default branch and reviews between refs on \`workflow_dispatch\`.`);
  }
  for (const note of input.notes ?? []) head.push(`> [!NOTE]\n> ${note}`);
  const body = review ? [renderComment(review, { notices: [] })] : [];

  verdict ??= failedRoutes > 0 ? "failure" : !worked ? "skipped" : (ownersConclusion ?? "success");
  const comparisons = review?.comparisons ?? [];
  return {
    outputs: {
      verdict,
      "score-delta": JSON.stringify(Object.fromEntries(comparisons.map((c) => [c.promptId, c.scoreDelta ?? null]))),
      "changed-prompts": JSON.stringify(comparisons.map((c) => c.promptId)),
      regressions: JSON.stringify(regressions(review)),
      "comment-id": commentId !== undefined ? String(commentId) : "",
      "check-run-id": checkRunId !== undefined ? String(checkRunId) : "",
    },
    summary: [...head, ...body, ...sections].join("\n\n") + "\n",
    ...(review ? { review } : {}),
    failed: failedRoutes > 0 || (input.failOn === "gate" && verdict === "failure"),
  };
}

function isPromotionRecord(result: unknown): result is RecordPromotionResult & { tag: string } {
  const r = result as Partial<RecordPromotionResult> | undefined;
  return typeof r?.tag === "string" && (r.status === "recorded" || r.status === "already-recorded" || r.status === "not-recorded");
}

/** One line on a merged promotion's record tag (see record-promotion.ts). */
function promotionSection(number: number | undefined, result: RecordPromotionResult & { tag: string }): string {
  const which = number !== undefined ? `Promotion #${number}` : "The promotion";
  const tag = `\`${result.tag}\``;
  if (result.status === "recorded") return `${which} is recorded in tag ${tag} (its approvals, for \`promptops audit\`).`;
  if (result.status === "already-recorded") return `${which} was already recorded in tag ${tag}.`;
  return `${which} is not recorded: ${escapeInline(result.reason ?? "")}`;
}

/** Prompts that got worse: a failed gate or a regressed case, with the cases. */
function regressions(review: ReviewResult | undefined): { prompt: string; scoreDelta: number | null; gates: string[]; cases: string[] }[] {
  if (!review) return [];
  return review.comparisons.flatMap((c) => {
    const gates = review.verdict.findings.filter((f) => f.promptId === c.promptId && !f.passed).map((f) => f.gate);
    const cases = c.cases.filter((k) => k.status === "regressed").map((k) => k.caseId);
    return gates.length === 0 && cases.length === 0 ? [] : [{ prompt: c.promptId, scoreDelta: c.scoreDelta ?? null, gates, cases }];
  });
}

function ownershipSection(result: OwnershipSyncResult): string {
  const state = result.check.conclusion ?? "waiting for approval";
  const lines = [`### Prompt owners: ${state}`];
  if (result.prompts.length === 0) lines.push("No changed prompt needs an owner's approval.");
  for (const p of result.prompts) {
    const owners = p.owners.length > 0 ? p.owners.map((o) => escapeInline(o)).join(", ") : "no owner";
    const approved = p.approvedBy.length > 0 ? `approved by ${p.approvedBy.map((o) => escapeInline(o)).join(", ")}` : "waiting for approval";
    lines.push(`- ${p.satisfied ? "✅" : "⏳"} ${escapeInline(p.promptId)}: ${owners}; ${p.satisfied ? approved.replace("waiting for approval", "no approval needed") : approved}`);
  }
  const asked = [...result.requested.users.map((u) => `@${u}`), ...result.requested.teams];
  if (asked.length > 0) lines.push(`\nReview requested from ${asked.map((a) => escapeInline(a)).join(", ")}.`);
  return lines.join("\n");
}

function tagsSection(result: TagMergedResult, repoUrl: string | undefined): string {
  if (result.skipped !== undefined) return `Nothing to tag: ${escapeInline(result.skipped)}.`;
  const tagged = [...result.created, ...result.alreadyTagged];
  const commit = result.created[0]?.commitSha ?? "";
  return renderTagsComment({ tagged, notTagged: result.notTagged, mergeCommitSha: commit, ...(repoUrl ? { repoUrl } : {}) });
}

function isReviewResult(value: unknown): value is ReviewResult {
  return typeof value === "object" && value !== null && Array.isArray((value as ReviewResult).comparisons) && typeof (value as ReviewResult).verdict === "object";
}

function isOwnership(value: Result): value is Result & OwnershipSyncResult {
  return typeof value.check === "object" && value.check !== null && Array.isArray(value.prompts) && typeof value.satisfied === "boolean";
}

function isTagResult(value: Result): value is Result & TagMergedResult {
  return Array.isArray(value.created) && Array.isArray(value.notTagged);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

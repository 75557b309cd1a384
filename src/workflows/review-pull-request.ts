// Reviews one pull request on GitHub: rules from the base, the changed prompts read in one batch
// per side pair, evaluated and gated by the core, reported as the `promptops/eval` check run
// and the sticky comment. Host-free: everything it touches comes in through WorkflowDeps.

import type { PromptOpsConfig } from "../core/config/model.js";
import type { Diagnostic } from "../core/diagnostics.js";
import type { Conclusion, ReviewResult } from "../core/eval/model.js";
import type { TreeReader } from "../core/files.js";
import { relevantPaths } from "../core/prompts/detect.js";
import { COMMENT_MARKER, renderCheckRun, renderComment, renderNoLongerChangesComment } from "../core/report/index.js";
import { reviewChanges } from "../core/review.js";
import { githubMessage } from "../github/errors.js";
import type { CheckRun, CheckRunInput, PullRef, PullRequestInfo, RepoRef } from "../github/port.js";
import type { BaseRules } from "./base-rules.js";
import { toChangedPaths } from "./changed-paths.js";
import { isOwnRun, type ModelExtras, type WorkflowDeps } from "./deps.js";
import { exclusivePerHead } from "./head-locks.js";
import { pullRequestView, type PullRequestView } from "./pull-request-view.js";

export const EVAL_CHECK_NAME = "promptops/eval";

export interface ReviewTarget {
  repo: RepoRef;
  number: number;
  /** What asked for the review (`pull_request.opened`, `/promptops rerun by @alice`), for logs. */
  trigger: string;
}

export type ReviewOutcome =
  | { status: "skipped"; reason: "closed" | "draft" | "no-prompt-changes"; checkRunId?: number }
  /** A re-delivered event for a head this app already reported on. */
  | { status: "skipped"; reason: "already-reviewed"; checkRunId: number }
  | { status: "config-error"; checkRunId: number; diagnostics: Diagnostic[]; review?: ReviewResult }
  /** `review`: what was found, for hosts that report beyond the check run (the Action's summary and outputs). */
  | { status: "reviewed"; headSha: string; conclusion: Conclusion; checkRunId: number; commentId?: number; review?: ReviewResult }
  | { status: "superseded"; headSha: string; newHeadSha: string; checkRunId: number }
  | { status: "failed"; checkRunId: number; message: string };

export async function reviewPullRequest(deps: WorkflowDeps, target: ReviewTarget): Promise<ReviewOutcome> {
  const { github, log } = deps;
  const { repo } = target;
  const ref: PullRef = { ...repo, number: target.number };
  const view = pullRequestView(github, deps.reads, ref, deps.configPath);
  const pr = await view.pr();
  // Concurrent deliveries for this head take turns (or join an identical one): the second sees
  // the first's check run and comment instead of adding its own.
  return exclusivePerHead(deps.locks, { pr: ref, sha: pr.head.sha, workflow: "review" }, target.trigger, () => reviewHead(deps, target, view, pr));
}

async function reviewHead(deps: WorkflowDeps, target: ReviewTarget, view: PullRequestView, pr: PullRequestInfo): Promise<ReviewOutcome> {
  const { github, log } = deps;
  const { repo } = target;
  const ref: PullRef = { ...repo, number: target.number };
  const where = `${repo.owner}/${repo.repo}#${target.number} at ${short(pr.head.sha)} (${target.trigger})`;

  if (pr.state === "closed") {
    log.info(`Skipping ${where}: the pull request is closed.`);
    return { status: "skipped", reason: "closed" };
  }

  // The base decides: a pull request can never loosen its own bar. Forks work unchanged, since
  // the base repository serves both commits by SHA and nothing from the head is executed.
  const rules = await view.rules();
  if (pr.draft && !rules.config.review.drafts) {
    log.info(`Skipping ${where}: draft pull requests are not reviewed (review.drafts is off).`);
    return { status: "skipped", reason: "draft" };
  }
  if (rules.configDiagnostics.some((d) => d.severity === "error")) return reportConfigErrors(deps, target, pr, rules, where);
  const { config } = rules;

  const listed = await view.files();
  const changes = toChangedPaths(listed.files);
  const relevant = relevantPaths(changes, config);
  const notices: string[] = [];
  if (listed.truncated) {
    notices.push(
      `GitHub lists at most 3,000 files of a pull request and this one has ${pr.changedFiles ?? "more"}: ` +
        `only prompts among the first ${listed.files.length} files were reviewed.`,
    );
  }

  if (relevant.length === 0) {
    // A later push may have taken out every prompt change of a pull request reviewed before: its
    // comment must not go on showing results for prompts the pull request no longer touches.
    // (A pull request just opened has no earlier review, so that costs no call.)
    const stale = target.trigger !== "pull_request.opened" && config.comment.enabled
      ? await github.editComment(ref, COMMENT_MARKER, renderNoLongerChangesComment(pr.head.sha))
      : undefined;
    if (stale) {
      const run = await startEvalRun(deps, target, pr, {
        status: "completed",
        conclusion: "neutral",
        output: {
          title: "No prompt changes any more",
          summary: "This pull request no longer changes any prompt, partial or golden set: the earlier PromptOps review no longer applies, and nothing is evaluated.",
        },
      });
      log.info(`Nothing to review in ${where}: no prompt changes any more; the earlier review is marked as no longer applying.`);
      if ("alreadyReviewed" in run) return alreadyReviewed(deps, run.alreadyReviewed, where);
      return { status: "skipped", reason: "no-prompt-changes", checkRunId: run.id };
    }
    if (!listed.truncated && !config.review.checkWhenNoChanges) {
      log.info(`Nothing to review in ${where}: no prompt, partial or golden set changed.`);
      return { status: "skipped", reason: "no-prompt-changes" };
    }
    // With a truncated list, "no prompt changed" is unknown, so it is said rather than implied.
    const run = await startEvalRun(deps, target, pr, {
      status: "completed",
      conclusion: "neutral",
      output: listed.truncated
        ? { title: "Too many files to review", summary: notices.join("\n\n") + "\n\nNo prompt file was among them." }
        : { title: "No prompt changes", summary: "This pull request changes no prompt, partial or golden set, so there is nothing to evaluate." },
    });
    if ("alreadyReviewed" in run) return alreadyReviewed(deps, run.alreadyReviewed, where);
    return { status: "skipped", reason: "no-prompt-changes", checkRunId: run.id };
  }

  const run = await startEvalRun(deps, target, pr, {
    status: "in_progress",
    output: {
      title: "Evaluating prompts",
      summary: `Evaluating the prompts affected by ${plural(relevant.length, "changed file")} on the base and the head.`,
    },
  });
  if ("alreadyReviewed" in run) return alreadyReviewed(deps, run.alreadyReviewed, where);

  try {
    return await evaluateAndReport(deps, { pr, ref, view, run, config, changes, notices, missingConfig: rules.configMissing ? rules.configPath : undefined, where });
  } catch (error) {
    // Never leave the run spinning, and never let a crash read as a pass.
    const message = githubMessage(error);
    log.error(`Review of ${where} failed: ${message}`);
    await github.updateCheckRun(repo, run.id, {
      status: "completed",
      conclusion: "failure",
      output: {
        title: "PromptOps could not finish the review",
        summary: `The review stopped on an unexpected error:\n\n\`\`\`\n${message.replace(/`{3,}/g, "``")}\n\`\`\`\n\nRe-run the check or comment \`/promptops rerun\` to try again.`,
      },
    });
    return { status: "failed", checkRunId: run.id, message };
  }
}

interface EvaluateInput {
  pr: PullRequestInfo;
  ref: PullRef;
  view: PullRequestView;
  run: CheckRun;
  config: PromptOpsConfig;
  changes: ReturnType<typeof toChangedPaths>;
  notices: string[];
  /** The config's path when the base has no config file (defaults apply). */
  missingConfig: string | undefined;
  where: string;
}

async function evaluateAndReport(deps: WorkflowDeps, input: EvaluateInput): Promise<ReviewOutcome> {
  const { github, log } = deps;
  const { pr, ref, run, config, changes, notices } = input;
  const repo: RepoRef = { owner: ref.owner, repo: ref.repo };

  const extraDiagnostics: Diagnostic[] = [];
  const trees = await input.view.trees();
  // The recordings are asked for with the workspaces' first files, so they share one query.
  const [sides, recordings] = await Promise.all([input.view.sides(), readRecordings(trees.base, config.providers.replay.file, extraDiagnostics)]);
  for (const sha of sides.truncatedTrees) {
    notices.push(`GitHub truncated the file tree of ${short(sha)} (too many files): prompts beyond its listing were not read.`);
  }
  const { base, head } = sides;

  const models = deps.models(config, recordings ? ({ recordings } satisfies ModelExtras) : {});
  const review: ReviewResult = await reviewChanges({
    config,
    base,
    head,
    changes,
    models,
    baseRef: pr.base.sha,
    headRef: pr.head.sha,
    now: deps.now,
    diagnostics: extraDiagnostics,
  });
  if (notices.length > 0 && review.verdict.conclusion === "success") {
    // Prompts that were not seen cannot be called passing.
    review.verdict = { ...review.verdict, conclusion: "neutral", reasons: [...review.verdict.reasons, ...notices] };
  }

  const checkNotices = input.missingConfig !== undefined ? [...notices, `No ${input.missingConfig} on the base branch: default settings apply.`] : notices;
  const output = renderCheckRun(review, { showDiff: config.comment.showDiff, notices: checkNotices });
  const body = config.comment.enabled && deps.comment !== false
    ? renderComment(review, { maxCases: config.comment.maxCases, showDiff: config.comment.showDiff, runUrl: run.htmlUrl || undefined, notices })
    : undefined;

  // A newer push may have landed while the models ran; its own review owns the comment.
  const latest = await github.getPullRequest(ref);
  if (latest.head.sha !== pr.head.sha) {
    log.info(`Review of ${input.where} is stale: the head moved to ${short(latest.head.sha)}.`);
    await github.updateCheckRun(repo, run.id, {
      status: "completed",
      conclusion: "neutral",
      output: {
        title: `Superseded by ${short(latest.head.sha)}`,
        summary: `The pull request's head moved to ${latest.head.sha} during this review; the review of that commit replaces this one.`,
      },
    });
    return { status: "superseded", headSha: pr.head.sha, newHeadSha: latest.head.sha, checkRunId: run.id };
  }

  const comment = body !== undefined ? await github.upsertComment(ref, COMMENT_MARKER, body) : undefined;
  await github.updateCheckRun(repo, run.id, {
    status: "completed",
    conclusion: output.conclusion,
    output: { title: output.title, summary: output.summary, text: output.text, annotations: output.annotations },
  });
  log.info(`Reviewed ${input.where}: ${output.conclusion} (${output.title}).`);
  return {
    status: "reviewed",
    headSha: pr.head.sha,
    conclusion: output.conclusion,
    checkRunId: run.id,
    ...(comment ? { commentId: comment.id } : {}),
    review,
  };
}

async function reportConfigErrors(deps: WorkflowDeps, target: ReviewTarget, pr: PullRequestInfo, rules: BaseRules, where: string): Promise<ReviewOutcome> {
  const errors = rules.configDiagnostics.filter((d) => d.severity === "error");
  deps.log.warn(`Not reviewing ${where}: ${rules.configPath} on the base branch has ${plural(errors.length, "error")}.`);
  const result: ReviewResult = {
    baseRef: pr.base.sha,
    headRef: pr.head.sha,
    comparisons: [],
    diagnostics: rules.configDiagnostics,
    verdict: {
      conclusion: "failure",
      title: `${rules.configPath} has ${plural(errors.length, "error")}`,
      findings: [],
      reasons: [
        `The configuration on the base branch (${pr.base.ref}) could not be read, so no prompt was evaluated. ` +
          `A fix takes effect once it is merged into ${pr.base.ref}.`,
      ],
    },
    diffs: {},
    stats: { requestsSent: 0, cacheHits: 0, durationMs: 0 },
  };
  const output = renderCheckRun(result);
  const run = await startEvalRun(deps, target, pr, {
    status: "completed",
    conclusion: "failure",
    output: { title: output.title, summary: output.summary, text: output.text, annotations: output.annotations },
  });
  if ("alreadyReviewed" in run) return alreadyReviewed(deps, run.alreadyReviewed, where);
  return { status: "config-error", checkRunId: run.id, diagnostics: rules.configDiagnostics, review: result };
}

/**
 * First looks at a head. GitHub re-delivers a webhook it thinks timed out, and operators press
 * "Redeliver": neither may evaluate a head twice. A rerun, or a reopen (the base may have moved
 * meanwhile), evaluates again.
 */
const FIRST_LOOK_TRIGGERS = new Set(["pull_request.opened", "pull_request.synchronize", "pull_request.ready_for_review"]);

type EvalRunState = Pick<CheckRunInput, "status" | "conclusion" | "output">;

/**
 * The check run this review writes to, found with one listing: our own run for the head (its
 * `externalId` is the head SHA, and it is this app's when the app id is known). An unfinished
 * one, left by a concurrent or crashed delivery, is taken over rather than joined by a second
 * spinner; a completed one ends a first look (`alreadyReviewed`); otherwise a new run is created,
 * as GitHub expects for a re-run.
 */
async function startEvalRun(
  deps: WorkflowDeps,
  target: ReviewTarget,
  pr: PullRequestInfo,
  state: EvalRunState,
): Promise<CheckRun | { alreadyReviewed: CheckRun }> {
  const { github } = deps;
  const headSha = pr.head.sha;
  const runs = await github.listCheckRuns(target.repo, headSha, EVAL_CHECK_NAME);
  const ours = runs.find((r) => r.externalId === headSha && isOwnRun(r, deps.appId));
  if (ours?.status === "completed" && FIRST_LOOK_TRIGGERS.has(target.trigger)) return { alreadyReviewed: ours };
  if (ours && ours.status !== "completed") return github.updateCheckRun(target.repo, ours.id, state);
  return github.createCheckRun(target.repo, { name: EVAL_CHECK_NAME, headSha, externalId: headSha, ...state });
}

function alreadyReviewed(deps: WorkflowDeps, run: CheckRun, where: string): ReviewOutcome {
  deps.log.info(`Not reviewing ${where} again: check run ${run.id} already reports on this head (${run.conclusion ?? run.status}).`);
  return { status: "skipped", reason: "already-reviewed", checkRunId: run.id };
}

/** The replay recordings named by the base config, read in the same batch as the prompts. */
export async function readRecordings(
  base: TreeReader,
  file: string | undefined,
  diagnostics: Diagnostic[],
): Promise<Record<string, unknown> | undefined> {
  if (file === undefined || file.trim() === "") return undefined;
  const path = file.replace(/^\.\//, "");
  const blob = (await base.read([path])).get(path) ?? { kind: "missing" };
  const problem = (message: string) => diagnostics.push({ file: path, line: 1, column: 1, severity: "error", message, rule: "replay-file" });
  if (blob.kind !== "text") {
    problem(`providers.replay.file: ${blob.kind === "missing" ? "no such file on the base branch" : `the file is ${blob.kind}`}`);
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(blob.text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    problem("providers.replay.file: recordings must be a JSON object");
  } catch (error) {
    problem(`providers.replay.file: not valid JSON (${(error as Error).message})`);
  }
  return undefined;
}

function short(sha: string): string {
  return sha.slice(0, 7);
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}

// The ways to ask for a review again: GitHub's "Re-run" on one of our check runs or "Re-run all
// checks" on our check suite, and a `/promptops rerun` comment from someone who may push.

import type { RepoRef } from "../github/port.js";
import type { WorkflowDeps } from "./deps.js";
import { OWNERS_CHECK_NAME } from "./owners-report.js";
import { EVAL_CHECK_NAME, reviewPullRequest, type ReviewOutcome } from "./review-pull-request.js";
import { syncOwnership, type OwnershipSyncResult } from "./sync-ownership.js";

export type RerunOutcome =
  | ReviewOutcome
  | { status: "owners-synced"; owners: OwnershipSyncResult }
  | { status: "ignored"; reason: string };

export interface RerequestedCheckRun {
  repo: RepoRef;
  name: string;
  /** The app that owns the run, from the payload. */
  appId?: number;
  /** This app's id, when the host knows it. */
  ownAppId?: number;
  /** Pull requests GitHub associates with the run (empty for fork PRs: GitHub lists same-repo heads only). */
  pullRequests: readonly number[];
}

/** `promptops/eval` is evaluated again; `promptops/owners` recomputed (nobody is asked again). */
export async function rerunCheck(deps: WorkflowDeps, check: RerequestedCheckRun): Promise<RerunOutcome> {
  if (check.name !== EVAL_CHECK_NAME && check.name !== OWNERS_CHECK_NAME) {
    return { status: "ignored", reason: `check run "${check.name}" is not ${EVAL_CHECK_NAME} or ${OWNERS_CHECK_NAME}` };
  }
  if (check.ownAppId !== undefined && check.appId !== undefined && check.appId !== check.ownAppId) {
    return { status: "ignored", reason: `check run belongs to app ${check.appId}` };
  }
  const [number] = check.pullRequests;
  if (number === undefined) {
    deps.log.info(`Re-run of ${check.name} in ${check.repo.owner}/${check.repo.repo} names no pull request (a fork?); comment /promptops rerun instead.`);
    return { status: "ignored", reason: "no pull request on the check run" };
  }
  if (check.name === OWNERS_CHECK_NAME) {
    return { status: "owners-synced", owners: await syncOwnership(deps, { repo: check.repo, number, trigger: "check_run.rerequested" }) };
  }
  return reviewPullRequest(deps, { repo: check.repo, number, trigger: "check_run.rerequested" });
}

export type RerequestedCheckSuite = Omit<RerequestedCheckRun, "name">;

/**
 * "Re-run all checks" sends `check_suite.rerequested`, not one `check_run.rerequested` per run:
 * both of our checks are redone for each pull request GitHub names.
 */
export async function rerunCheckSuite(deps: WorkflowDeps, suite: RerequestedCheckSuite): Promise<RerunOutcome[]> {
  if (suite.ownAppId !== undefined && suite.appId !== undefined && suite.appId !== suite.ownAppId) {
    return [{ status: "ignored", reason: `check suite belongs to app ${suite.appId}` }];
  }
  if (suite.pullRequests.length === 0) {
    deps.log.info(`Re-run of the check suite in ${suite.repo.owner}/${suite.repo.repo} names no pull request (a fork?); comment /promptops rerun instead.`);
    return [{ status: "ignored", reason: "no pull request on the check suite" }];
  }
  const outcomes: RerunOutcome[] = [];
  for (const number of new Set(suite.pullRequests)) {
    const target = { repo: suite.repo, number, trigger: "check_suite.rerequested" };
    const [review, owners] = await Promise.all([reviewPullRequest(deps, target), syncOwnership(deps, target)]);
    outcomes.push(review, { status: "owners-synced", owners });
  }
  return outcomes;
}

export interface RerunComment {
  repo: RepoRef;
  number: number;
  /** False when the comment is on an issue rather than a pull request. */
  onPullRequest: boolean;
  body: string;
  author: string;
  authorIsBot: boolean;
}

/** Write access is what pushing a commit (and so triggering a review) takes anyway. */
const RERUN_PERMISSIONS = new Set(["admin", "maintain", "write"]);

export function isRerunCommand(body: string): boolean {
  return /^\/promptops\s+rerun$/i.test(body.trim());
}

export async function rerunFromComment(deps: WorkflowDeps, comment: RerunComment): Promise<RerunOutcome> {
  if (!comment.onPullRequest) return { status: "ignored", reason: "comment is not on a pull request" };
  if (!isRerunCommand(comment.body)) return { status: "ignored", reason: "not a /promptops command" };
  if (comment.authorIsBot) return { status: "ignored", reason: "comment is from a bot" };
  const permission = await deps.github.getPermission(comment.repo, comment.author);
  if (!RERUN_PERMISSIONS.has(permission)) {
    deps.log.info(`Ignoring /promptops rerun from @${comment.author} on #${comment.number}: permission "${permission}", write needed.`);
    return { status: "ignored", reason: `@${comment.author} has ${permission} permission` };
  }
  return reviewPullRequest(deps, { repo: comment.repo, number: comment.number, trigger: `/promptops rerun by @${comment.author}` });
}

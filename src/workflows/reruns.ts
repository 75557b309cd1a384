// The two ways to ask for a review again: GitHub's "Re-run" on our check run, and a
// `/promptops rerun` comment from someone who may push to the repository.

import type { RepoRef } from "../github/port.js";
import type { WorkflowDeps } from "./deps.js";
import { EVAL_CHECK_NAME, reviewPullRequest, type ReviewOutcome } from "./review-pull-request.js";

export type RerunOutcome = ReviewOutcome | { status: "ignored"; reason: string };

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

export async function rerunCheck(deps: WorkflowDeps, check: RerequestedCheckRun): Promise<RerunOutcome> {
  if (check.name !== EVAL_CHECK_NAME) return { status: "ignored", reason: `check run "${check.name}" is not ${EVAL_CHECK_NAME}` };
  if (check.ownAppId !== undefined && check.appId !== undefined && check.appId !== check.ownAppId) {
    return { status: "ignored", reason: `check run belongs to app ${check.appId}` };
  }
  const [number] = check.pullRequests;
  if (number === undefined) {
    deps.log.info(`Re-run of ${EVAL_CHECK_NAME} in ${check.repo.owner}/${check.repo.repo} names no pull request (a fork?); comment /promptops rerun instead.`);
    return { status: "ignored", reason: "no pull request on the check run" };
  }
  return reviewPullRequest(deps, { repo: check.repo, number, trigger: "check_run.rerequested" });
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

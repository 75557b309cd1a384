// Prompt ownership for one pull request, host-free: asks the owners of the changed prompts for a
// review and sets the `promptops/owners` check, which stays pending until each has approved.

import type { ChangedPath } from "../core/files.js";
import { currentApprovals, evaluateOwnerApprovals, teamsToCheck, type OwnerApprovalResult, type ReviewLike } from "../core/owners/approvals.js";
import { resolvePromptOwners, type PromptOwners } from "../core/owners/lookup.js";
import { planReviewRequests } from "../core/owners/requests.js";
import { detectChanges, relevantPaths, type ChangedPrompt } from "../core/prompts/detect.js";
import { escapeInline, inlineCode } from "../core/report/escape.js";
import type { GitHubPort, PullRef, PullRequestInfo, RepoRef, Review } from "../github/port.js";
import type { OwnershipRules } from "./base-rules.js";
import { toChangedPaths } from "./changed-paths.js";
import type { WorkflowDeps } from "./deps.js";
import { exclusivePerHead } from "./head-locks.js";
import { pullRequestView, type PullRequestView } from "./pull-request-view.js";
import {
  postOwnersNotices,
  publishOwnersCheck,
  renderDiagnostics,
  renderOwnersCheckSummary,
  type OwnersCheckState,
} from "./owners-report.js";

export type SyncOwnershipDeps = Pick<WorkflowDeps, "github" | "log" | "appId" | "reads" | "locks" | "configPath">;

export interface OwnershipTarget {
  repo: RepoRef;
  number: number;
  /**
   * `event.action` that caused the sync (`pull_request.opened`, `pull_request_review.submitted`). Reviewers are requested only on `pull_request.*`
   * (opened, synchronize, reopened, ready_for_review); a review event only recomputes the check.
   */
  trigger: string;
}

export interface PromptOwnership {
  promptId: string;
  path: string;
  owners: string[];
  source: PromptOwners["source"];
  approvedBy: string[];
  satisfied: boolean;
}

export interface OwnershipSyncResult {
  headSha: string;
  /** Every changed prompt had an owner's approval (or needed none). */
  satisfied: boolean;
  prompts: PromptOwnership[];
  requested: { users: string[]; teams: string[] };
  /** Markdown sentences for the check; also posted (`<!-- promptops:owners -->`) when an owner could not be asked. */
  notices: string[];
  check: { id: number; status: string; conclusion: string | null };
}

export async function syncOwnership(deps: SyncOwnershipDeps, target: OwnershipTarget): Promise<OwnershipSyncResult> {
  const { github, log } = deps;
  const ref: PullRef = { ...target.repo, number: target.number };
  const view = pullRequestView(github, deps.reads, ref, deps.configPath);
  const pr = await view.pr();
  // One set of review requests and one owners check per head, however many deliveries race.
  return exclusivePerHead(deps.locks, { pr: ref, sha: pr.head.sha, workflow: "owners" }, target.trigger, () => syncHead(deps, target, view, pr));
}

async function syncHead(deps: SyncOwnershipDeps, target: OwnershipTarget, view: PullRequestView, pr: PullRequestInfo): Promise<OwnershipSyncResult> {
  const { github, log } = deps;
  const ref: PullRef = { ...target.repo, number: target.number };
  const headSha = pr.head.sha;
  const label = `${ref.owner}/${ref.repo}#${ref.number}@${headSha.slice(0, 7)}`;
  const publish = async (state: OwnersCheckState, outcome: Partial<OwnershipSyncResult> = {}): Promise<OwnershipSyncResult> => {
    const check = await publishOwnersCheck(github, target.repo, headSha, state, deps.appId);
    return {
      headSha,
      satisfied: state.status === "completed" && state.conclusion === "success",
      prompts: [],
      requested: none(),
      notices: [],
      ...outcome,
      check: { id: check.id, status: check.status, conclusion: check.conclusion },
    };
  };

  const rules = (await view.rules()).ownership;
  if (rules.blocker) {
    log.warn(`Owners of ${label} unknown: ${rules.blocker}`);
    const summary = `${escapeInline(rules.blocker)}\n\n### Problems\n\n${renderDiagnostics(rules.diagnostics)}\n`;
    return publish({ status: "completed", conclusion: "failure", title: "Ownership rules could not be read", summary });
  }

  const listing = await view.files();
  if (listing.truncated) {
    // Prompts among the files GitHub did not list would go unowned: never pass on a partial view.
    const summary =
      "GitHub lists at most 3,000 files of a pull request, so PromptOps cannot see every changed prompt. " +
      "Split the pull request, or have an administrator review it and bypass this check.\n";
    return publish({ status: "completed", conclusion: "failure", title: "Too many changed files to check prompt owners", summary });
  }
  const changes = toChangedPaths(listing.files);
  const changed = await changedPrompts(view, rules, changes);
  if (changed.length === 0) {
    const summary = "This pull request changes no prompt, so no owner approval is needed.\n";
    return publish({ status: "completed", conclusion: "success", title: "No prompt changed", summary });
  }

  const ownership = rules.config.ownership;
  const owned = changed.map((prompt) => ({
    prompt,
    owners: resolvePromptOwners({
      path: prompt.previousPath ?? prompt.path,
      rules: rules.ownersFile.rules,
      ...(prompt.base ? { basePromptOwners: prompt.base.owners } : {}),
      ...(prompt.head ? { headPromptOwners: prompt.head.owners } : {}),
      defaultOwners: ownership.defaultOwners,
    }),
  }));
  const promptOwners = owned.map(({ prompt, owners }) => ({ promptId: prompt.id, path: prompt.path, owners: owners.owners }));

  const [reviews, alreadyRequested] = await Promise.all([github.listReviews(ref), github.listRequestedReviewers(ref)]);
  const approving = currentApprovals(reviews, pr.author);
  // Stale approvers are looked up too, so the summary can say whose approval went stale.
  const members = await teamMembers(github, teamsToCheck(promptOwners, ownership.fallbackReviewers), approving.map((r) => r.user));
  const result = evaluateOwnerApprovals({
    prompts: promptOwners,
    reviews: reviews.map(toReviewLike),
    headSha,
    dismissStale: ownership.dismissStaleApprovals,
    author: pr.author,
    teamMembers: (org, team) => members.get(teamKey(org, team)) ?? [],
    fallbackReviewers: ownership.fallbackReviewers,
  });

  const planInput = {
    author: pr.author,
    alreadyRequested,
    // A stale approval does not count, so its reviewer is asked again.
    approvedBy: approving.filter((r) => !ownership.dismissStaleApprovals || r.commitId === headSha).map((r) => r.user),
    fallbackReviewers: ownership.fallbackReviewers,
    repoOwner: target.repo.owner,
  };
  // Notices concern every changed prompt; requests only the ones still waiting, so a team whose
  // member already approved is not asked again after GitHub cleared its request.
  const overall = planReviewRequests({ ...planInput, prompts: promptOwners });
  const plan = planReviewRequests({ ...planInput, prompts: promptOwners.filter((_, i) => !result.prompts[i]!.satisfied) });
  const notices = [...overall.notices];
  const requested = none();
  const asks = mayRequest(target.trigger, pr) && ownership.requestReviews;
  let refused = 0;
  if (asks && plan.users.length + plan.teams.length > 0) {
    const outcome = await github.requestReviewers(ref, { users: plan.users, teams: plan.teams });
    requested.users = outcome.requestedUsers;
    requested.teams = outcome.requestedTeams;
    refused = outcome.failures.length;
    for (const failure of outcome.failures) {
      notices.push(`GitHub did not accept ${inlineCode(failure.reviewer)} as a reviewer: ${escapeInline(failure.message)}`);
    }
    if (requested.users.length + requested.teams.length > 0) {
      log.info(`Requested reviews on ${label} from ${[...requested.users, ...requested.teams].join(", ")}.`);
    }
  }
  // A comment only when an owner could not be asked (refused, or named by email): that needs a
  // person to act. Everything else (unowned prompts, ...) is in the check summary.
  if (asks && (refused > 0 || overall.emails.length > 0)) await postOwnersNotices(github, ref, headSha, notices);

  const ownersPath = rules.ownersFile.path;
  const summary = renderOwnersCheckSummary({
    result,
    notices,
    diagnostics: rules.diagnostics,
    ...(ownersPath ? { ownersFile: ownersPath } : {}),
    unenforced: owned
      .filter(({ owners }) => owners.unenforcedHeadOwners !== undefined)
      .map(({ prompt, owners }) => ({ promptId: prompt.id, owners: owners.unenforcedHeadOwners! })),
    editsOwnersFile: ownersPath !== undefined && changes.some((c) => c.path === ownersPath || c.previousPath === ownersPath),
  });
  const state: OwnersCheckState = result.satisfied
    ? { status: "completed", conclusion: "success", title: "Prompt owners approved", summary }
    : { status: "in_progress", title: waitingTitle(result), summary };
  return publish(state, {
    prompts: result.prompts.map((p, i) => ({ ...p, source: owned[i]!.owners.source })),
    requested,
    notices,
  });
}

/** The changed prompts, from base and head workspaces read through batched GitHub queries. */
async function changedPrompts(view: PullRequestView, rules: OwnershipRules, changes: ChangedPath[]): Promise<ChangedPrompt[]> {
  // Most pull requests touch no prompt: skip listing and reading both trees.
  if (relevantPaths(changes, rules.config).length === 0) return [];
  const { base, head } = await view.sides();
  return detectChanges({ changes, base, head, config: rules.config }).prompts;
}

const REQUESTING_TRIGGERS = new Set([
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
]);

// GitHub itself does not ask code owners to review a draft; `ready_for_review` does it then.
function mayRequest(trigger: string, pr: PullRequestInfo): boolean {
  return REQUESTING_TRIGGERS.has(trigger) && pr.state === "open" && !pr.draft;
}

/** Which approvers belong to each team: one membership call per (team, approver) pair. */
async function teamMembers(
  github: GitHubPort,
  teams: { org: string; team: string }[],
  approvers: readonly string[],
): Promise<Map<string, string[]>> {
  const members = new Map<string, string[]>();
  const checks = teams.flatMap(({ org, team }) =>
    approvers.map(async (user) => ((await github.isTeamMember(org, team, user)) ? { key: teamKey(org, team), user } : undefined)),
  );
  for (const hit of await Promise.all(checks)) {
    if (!hit) continue;
    members.set(hit.key, [...(members.get(hit.key) ?? []), hit.user]);
  }
  return members;
}

function teamKey(org: string, team: string): string {
  return `${org}/${team}`.toLowerCase();
}

function toReviewLike(review: Review): ReviewLike {
  return {
    user: review.user,
    state: review.state,
    commitId: review.commitId,
    ...(review.submittedAt !== undefined ? { submittedAt: review.submittedAt } : {}),
  };
}

function waitingTitle(result: OwnerApprovalResult): string {
  const waiting = result.prompts.filter((p) => !p.satisfied).length;
  return `Waiting for owner approval: ${waiting} of ${result.prompts.length} prompt(s)`;
}

function none(): { users: string[]; teams: string[] } {
  return { users: [], teams: [] };
}

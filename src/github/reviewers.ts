// Review requests, reviews and the permission checks owners' approval needs. A refused review
// request (422) is a result to report, never an exception.

import { githubErrorText, githubMessage, httpStatus } from "./errors.js";
import type { OctokitLike, PortLogger } from "./octokit-like.js";
import type { PullRef, RepoRef, Review, ReviewRequestResult } from "./port.js";
import type { RestPullRequest, RestReview } from "./rest-types.js";

/**
 * Requests every reviewer in one call. On 422 it retries once without the reviewers GitHub
 * names as refused; if it names none, all are reported as failures with GitHub's message.
 * Users are logins (a leading `@` is dropped); teams are slugs (`@org/team` and `org/team` give
 * `team`). Team failures are reported as `org/team`.
 */
export async function requestReviewers(
  octokit: OctokitLike,
  pr: PullRef,
  reviewers: { users: string[]; teams: string[] },
  logger?: PortLogger,
): Promise<ReviewRequestResult> {
  const users = unique(reviewers.users.map((u) => u.replace(/^@/, "")).filter(Boolean));
  const teams = unique(reviewers.teams.map(teamSlug).filter(Boolean));
  if (users.length === 0 && teams.length === 0) return { requestedUsers: [], requestedTeams: [], failures: [] };

  const first = await attempt(octokit, pr, users, teams);
  if (first === undefined) return { requestedUsers: users, requestedTeams: teams, failures: [] };

  const refused = await refusedReviewers(octokit, pr, first, users, teams);
  const retryUsers = users.filter((u) => !refused.users.has(u));
  const retryTeams = teams.filter((t) => !refused.teams.has(t));
  const message = githubMessage(first);
  if (refused.users.size + refused.teams.size === 0 || retryUsers.length + retryTeams.length === 0) {
    logger?.warn(`GitHub refused the review request on ${pr.owner}/${pr.repo}#${pr.number}: ${message}`);
    return { requestedUsers: [], requestedTeams: [], failures: failuresFor(pr, users, teams, message) };
  }

  const failures = failuresFor(pr, [...refused.users], [...refused.teams], message);
  const second = await attempt(octokit, pr, retryUsers, retryTeams);
  if (second === undefined) return { requestedUsers: retryUsers, requestedTeams: retryTeams, failures };
  logger?.warn(`GitHub refused the review request on ${pr.owner}/${pr.repo}#${pr.number} twice: ${githubMessage(second)}`);
  return {
    requestedUsers: [],
    requestedTeams: [],
    failures: [...failures, ...failuresFor(pr, retryUsers, retryTeams, githubMessage(second))],
  };
}

export async function listRequestedReviewers(octokit: OctokitLike, pr: PullRef): Promise<{ users: string[]; teams: string[] }> {
  const { data } = await octokit.rest.pulls.listRequestedReviewers({ owner: pr.owner, repo: pr.repo, pull_number: pr.number });
  const body = data as { users?: { login: string }[]; teams?: { slug: string }[] };
  return { users: (body.users ?? []).map((u) => u.login), teams: (body.teams ?? []).map((t) => t.slug) };
}

export async function listReviews(octokit: OctokitLike, pr: PullRef): Promise<Review[]> {
  const reviews = (await octokit.paginate(octokit.rest.pulls.listReviews, {
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    per_page: 100,
  })) as RestReview[];
  return reviews.map((r) => ({
    id: r.id,
    // A deleted account shows as GitHub's "ghost" user.
    user: r.user?.login ?? "ghost",
    state: r.state as Review["state"],
    commitId: r.commit_id ?? "",
    ...(r.submitted_at ? { submittedAt: r.submitted_at } : {}),
  }));
}

export async function isTeamMember(octokit: OctokitLike, org: string, team: string, user: string): Promise<boolean> {
  try {
    const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: teamSlug(team), username: user });
    // A pending invitation is not membership yet.
    return (data as { state?: string }).state === "active";
  } catch (error) {
    if (httpStatus(error) === 404) return false;
    throw error;
  }
}

const PERMISSIONS = new Set(["admin", "maintain", "write", "triage", "read", "none"]);

export async function getPermission(octokit: OctokitLike, repo: RepoRef, user: string): Promise<string> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: repo.owner, repo: repo.repo, username: user });
    const body = data as { permission?: string; role_name?: string };
    // `permission` folds maintain into write and triage into read; `role_name` keeps them,
    // but may also be an organization's custom role name.
    if (body.role_name && PERMISSIONS.has(body.role_name)) return body.role_name;
    return body.permission ?? "none";
  } catch (error) {
    if (httpStatus(error) === 404) return "none";
    throw error;
  }
}

/** `@org/team`, `org/team` or `team` -> `team`. */
export function teamSlug(team: string): string {
  const name = team.replace(/^@/, "");
  return name.slice(name.lastIndexOf("/") + 1);
}

/** Undefined on success; the 422 error otherwise (anything else is thrown). */
async function attempt(octokit: OctokitLike, pr: PullRef, users: string[], teams: string[]): Promise<unknown> {
  try {
    await octokit.rest.pulls.requestReviewers({
      owner: pr.owner,
      repo: pr.repo,
      pull_number: pr.number,
      ...(users.length > 0 ? { reviewers: users } : {}),
      ...(teams.length > 0 ? { team_reviewers: teams } : {}),
    });
    return undefined;
  } catch (error) {
    if (httpStatus(error) !== 422) throw error;
    return error;
  }
}

// Words of GitHub's own 422 messages: a reviewer whose login is one of these cannot be told
// apart from the sentence, so it is not taken as named.
const MESSAGE_WORDS = new Set(
  "reviews may only be requested from collaborators one or more of the users teams you specified is not a collaborator repository review cannot pull request author"
    .split(" "),
);

/** The reviewers a 422 names; the pull request's author when GitHub refuses "the author". */
async function refusedReviewers(
  octokit: OctokitLike,
  pr: PullRef,
  error: unknown,
  users: string[],
  teams: string[],
): Promise<{ users: Set<string>; teams: Set<string> }> {
  const text = githubErrorText(error).split(`${pr.owner}/${pr.repo}`).join(" ").toLowerCase();
  const tokens = new Set(text.split(/[^a-z0-9_.-]+/).map((t) => t.replace(/^[.-]+|[.-]+$/g, "")));
  const named = (name: string) => !MESSAGE_WORDS.has(name.toLowerCase()) && tokens.has(name.toLowerCase());
  const refused = { users: new Set(users.filter(named)), teams: new Set(teams.filter(named)) };
  if (/pull request author/i.test(text) && users.length > 0) {
    const { data } = await octokit.rest.pulls.get({ owner: pr.owner, repo: pr.repo, pull_number: pr.number });
    const author = (data as RestPullRequest).user?.login?.toLowerCase();
    for (const u of users) if (u.toLowerCase() === author) refused.users.add(u);
  }
  return refused;
}

function failuresFor(pr: PullRef, users: string[], teams: string[], message: string): { reviewer: string; message: string }[] {
  return [...users.map((reviewer) => ({ reviewer, message })), ...teams.map((t) => ({ reviewer: `${pr.owner}/${t}`, message }))];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

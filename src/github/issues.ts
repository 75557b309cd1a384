// Issues the scheduled checks keep (one per subject, found again by a hidden marker), and the
// repository's default branch they read from.

import { EmptyRepositoryError, httpStatus } from "./errors.js";
import type { OctokitLike } from "./octokit-like.js";
import type { IssueInfo, RepoRef } from "./port.js";

interface RestIssue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  html_url: string;
  pull_request?: unknown;
  user?: { login: string; type?: string } | null;
  labels: (string | { name?: string })[];
}

function toIssue(data: RestIssue): IssueInfo {
  return {
    number: data.number,
    title: data.title,
    body: data.body ?? "",
    state: data.state === "closed" ? "closed" : "open",
    htmlUrl: data.html_url,
    author: data.user?.login ?? "ghost",
    labels: data.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))).filter(Boolean),
  };
}

/** Open issues with `label`, oldest first; pull requests (which the issues API also lists) left out. */
export async function listOpenIssues(octokit: OctokitLike, repo: RepoRef, label: string): Promise<IssueInfo[]> {
  const issues = (await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner: repo.owner,
    repo: repo.repo,
    state: "open",
    labels: label,
    per_page: 100,
  })) as RestIssue[];
  return issues.filter((i) => !i.pull_request).map(toIssue).sort((a, b) => a.number - b.number);
}

export async function createIssue(octokit: OctokitLike, repo: RepoRef, input: { title: string; body: string; labels: string[] }): Promise<IssueInfo> {
  const { data } = await octokit.rest.issues.create({ owner: repo.owner, repo: repo.repo, title: input.title, body: input.body, labels: input.labels });
  return toIssue(data as RestIssue);
}

export async function updateIssue(
  octokit: OctokitLike,
  repo: RepoRef,
  number: number,
  input: { title?: string; body?: string; state?: "open" | "closed" },
): Promise<IssueInfo> {
  const { data } = await octokit.rest.issues.update({ owner: repo.owner, repo: repo.repo, issue_number: number, ...input });
  return toIssue(data as RestIssue);
}

export async function getDefaultBranch(octokit: OctokitLike, repo: RepoRef): Promise<{ name: string; sha: string }> {
  const { data } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.repo });
  const name = (data as { default_branch: string }).default_branch;
  let branch;
  try {
    branch = await octokit.rest.repos.getBranch({ owner: repo.owner, repo: repo.repo, branch: name });
  } catch (error) {
    // The repository was read a moment ago: its default branch missing means no commit yet.
    if (httpStatus(error) === 404) throw new EmptyRepositoryError(name);
    throw error;
  }
  return { name, sha: (branch.data as { commit: { sha: string } }).commit.sha };
}

/** An issue's comment as the audit log reads it: who wrote it, and what. */
export interface IssueComment {
  author: string;
  body: string;
}

/**
 * Every issue (open or closed) with `label`, oldest first, each with its comments in order: the
 * drift issues the audit log reads its `drift.*` events from.
 */
export async function listLabelledIssuesWithComments(octokit: OctokitLike, repo: RepoRef, label: string): Promise<{ issue: IssueInfo; comments: IssueComment[] }[]> {
  const issues = (await octokit.paginate(octokit.rest.issues.listForRepo, { owner: repo.owner, repo: repo.repo, state: "all", labels: label, per_page: 100 })) as RestIssue[];
  const found = issues.filter((i) => !i.pull_request).map(toIssue).sort((a, b) => a.number - b.number);
  return Promise.all(
    found.map(async (issue) => {
      const comments = (await octokit.paginate(octokit.rest.issues.listComments, { owner: repo.owner, repo: repo.repo, issue_number: issue.number, per_page: 100 })) as {
        body?: string | null;
        user?: { login: string } | null;
      }[];
      return { issue, comments: comments.map((c) => ({ author: c.user?.login ?? "ghost", body: c.body ?? "" })) };
    }),
  );
}

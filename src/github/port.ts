// The port to GitHub: every read and write a workflow needs, as one interface. The workflows
// depend on this, never on Octokit; `octokit.ts` implements it for Probot's Octokit and for
// `@actions/github`'s.

import type { FileBlob } from "../core/files.js";
import type { Annotation } from "../core/report/check-run.js";

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface PullRef extends RepoRef {
  number: number;
}

export type FileStatus = "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";

export interface ChangedFile {
  path: string;
  status: FileStatus;
  /** For renames: the path on the base. */
  previousPath?: string;
}

export interface PullRequestFiles {
  files: ChangedFile[];
  /** GitHub lists at most 3,000 files per pull request; true when that limit was hit. */
  truncated: boolean;
}

export interface PullRequestInfo extends PullRef {
  title: string;
  author: string;
  draft: boolean;
  state: "open" | "closed";
  merged: boolean;
  mergeCommitSha?: string;
  mergedBy?: string;
  htmlUrl: string;
  labels: string[];
  /** GitHub's count of changed files; more than `listPullRequestFiles` returns when it hit the limit. */
  changedFiles?: number;
  base: { ref: string; sha: string; repo: RepoRef };
  head: { ref: string; sha: string; repo: RepoRef };
}

/** One file at one commit, for batched reads. */
export interface FileAt {
  sha: string;
  path: string;
}

export type CheckStatus = "queued" | "in_progress" | "completed";
export type CheckConclusion = "success" | "failure" | "neutral" | "cancelled" | "skipped" | "timed_out" | "action_required";

/** An annotation as GitHub's Checks API takes it; the report layer produces them. */
export type CheckAnnotation = Annotation;

export interface CheckOutput {
  title: string;
  /** At most 65,535 UTF-8 bytes (longer text is cut with a note). */
  summary: string;
  /** At most 65,535 UTF-8 bytes (longer text is cut with a note). */
  text?: string;
  /** Any number: the implementation sends them 50 per request. */
  annotations?: CheckAnnotation[];
}

export interface CheckRunInput {
  name: string;
  headSha: string;
  status: CheckStatus;
  conclusion?: CheckConclusion;
  output?: CheckOutput;
  detailsUrl?: string;
  /** Stored by GitHub with the run; used to find our own run again. */
  externalId?: string;
}

export interface CheckRun {
  id: number;
  name: string;
  headSha: string;
  status: CheckStatus;
  conclusion: CheckConclusion | null;
  htmlUrl: string;
  externalId?: string;
  /** The GitHub App that created the run (GitHub Actions' own app for runs made with GITHUB_TOKEN). */
  appId?: number;
  output: { title: string | null; summary: string | null; text?: string | null };
}

export interface Review {
  id: number;
  user: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
  commitId: string;
  submittedAt?: string;
}

export interface ReviewRequestResult {
  requestedUsers: string[];
  requestedTeams: string[];
  /** Reviewers GitHub refused (e.g. 422: not a collaborator), with its message. */
  failures: { reviewer: string; message: string }[];
}

export interface TagRef {
  name: string;
  /** The commit the tag points to (peeled through an annotated tag object). */
  commitSha: string;
  /** The tag object's SHA for annotated tags. */
  tagSha?: string;
  /** The annotated tag's message, when annotated. */
  message?: string;
}

export interface IssueInfo {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  htmlUrl: string;
  author: string;
  labels: string[];
}

/**
 * Who this host writes to GitHub as, so it edits and deletes only what it wrote itself: the
 * GitHub App's id (GitHub records it on every comment the App's tokens write, as
 * `performed_via_github_app`) and/or the login of the token's user (`<app-slug>[bot]`,
 * `github-actions[bot]` for a workflow's GITHUB_TOKEN, or a person for a personal token).
 */
export interface WriterIdentity {
  appId?: number;
  login?: string;
}

/** A workflow's GITHUB_TOKEN writes as GitHub Actions' own app (id 15368), login `github-actions[bot]`. */
export const GITHUB_ACTIONS_IDENTITY: WriterIdentity = { appId: 15368, login: "github-actions[bot]" };

export interface GitHubPort {
  getPullRequest(pr: PullRef): Promise<PullRequestInfo>;
  /** The merged pull requests a commit belongs to (a push to the default branch: the merge, squash or rebase result). */
  listMergedPullRequestsForCommit(repo: RepoRef, sha: string): Promise<number[]>;
  /** Paginated; renames carry `previousPath`; stops at GitHub's 3,000-file limit and says so. */
  listPullRequestFiles(pr: PullRef): Promise<PullRequestFiles>;
  /**
   * Every file path at a commit (one recursive tree read). When GitHub truncates the tree, the
   * Octokit implementation throws `TreeTruncatedError` (src/github/errors.ts) carrying the partial list.
   */
  listTree(repo: RepoRef, sha: string): Promise<string[]>;
  /** Many files at many commits in one GraphQL query. Keys are `${sha}:${path}`. */
  readFiles(repo: RepoRef, files: readonly FileAt[]): Promise<Map<string, FileBlob>>;

  /**
   * Creates the comment holding `marker`, or edits it in place; never leaves two. Only comments
   * written by this host's identity count: a person quoting the marker is never edited or deleted.
   */
  upsertComment(pr: PullRef, marker: string, body: string): Promise<{ id: number; created: boolean }>;
  /** Edits this host's comment holding `marker` when there is one; never creates one. */
  editComment(pr: PullRef, marker: string, body: string): Promise<{ id: number } | undefined>;
  createComment(pr: PullRef, body: string): Promise<{ id: number }>;

  createCheckRun(repo: RepoRef, input: CheckRunInput): Promise<CheckRun>;
  updateCheckRun(repo: RepoRef, id: number, input: Partial<CheckRunInput>): Promise<CheckRun>;
  /** Check runs with this name on a commit, newest first. */
  listCheckRuns(repo: RepoRef, sha: string, name: string): Promise<CheckRun[]>;

  requestReviewers(pr: PullRef, reviewers: { users: string[]; teams: string[] }): Promise<ReviewRequestResult>;
  listRequestedReviewers(pr: PullRef): Promise<{ users: string[]; teams: string[] }>;
  listReviews(pr: PullRef): Promise<Review[]>;
  /** `team` is the slug; org is the team's organization. */
  isTeamMember(org: string, team: string, user: string): Promise<boolean>;
  /** `admin` | `maintain` | `write` | `triage` | `read` | `none`. */
  getPermission(repo: RepoRef, user: string): Promise<string>;

  getTag(repo: RepoRef, name: string): Promise<TagRef | null>;
  listTags(repo: RepoRef, prefix: string): Promise<TagRef[]>;
  /** Creates an annotated tag object and its ref. Fails (does not move) when the ref exists. */
  createAnnotatedTag(repo: RepoRef, input: { name: string; message: string; commitSha: string }): Promise<TagRef>;
  createRelease(repo: RepoRef, input: { tag: string; name: string; body: string }): Promise<{ htmlUrl: string }>;

  /** The default branch and the commit it points to now. */
  getDefaultBranch(repo: RepoRef): Promise<{ name: string; sha: string }>;
  /** Open issues (not pull requests) with this label, oldest first. */
  listOpenIssues(repo: RepoRef, label: string): Promise<IssueInfo[]>;
  createIssue(repo: RepoRef, input: { title: string; body: string; labels: string[] }): Promise<IssueInfo>;
  updateIssue(repo: RepoRef, number: number, input: { title?: string; body?: string; state?: "open" | "closed" }): Promise<IssueInfo>;
}

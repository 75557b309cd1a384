// The GitHubPort over an Octokit instance: Probot's `context.octokit`, `@actions/github`'s
// `getOctokit()`, or `createOctokit()` from `client.ts`. All URLs come from that instance's
// baseUrl, so GitHub Enterprise Server works unchanged.

import { NO_REDACTION, type Redactor } from "../core/redact.js";
import { createCheckRun, listCheckRuns, updateCheckRun } from "./check-runs.js";
import { TreeTruncatedError } from "./errors.js";
import type { OctokitLike, PortLogger } from "./octokit-like.js";
import type { ChangedFile, CheckRunInput, FileStatus, GitHubPort, PullRef, PullRequestFiles, PullRequestInfo, RepoRef, WriterIdentity } from "./port.js";
import { createIssue, getDefaultBranch, listOpenIssues, updateIssue } from "./issues.js";
import { readFiles } from "./read-files.js";
import type { RestComment, RestPullFile, RestPullRequest, RestTree } from "./rest-types.js";
import { getPermission, isTeamMember, listRequestedReviewers, listReviews, requestReviewers } from "./reviewers.js";
import { clipCommentBody, CommentOwnership, editComment, upsertComment } from "./sticky-comment.js";
import { createAnnotatedTag, createRelease, getTag, listTags } from "./tags.js";

export type { OctokitLike, PortLogger } from "./octokit-like.js";
export { EmptyRepositoryError, TagExistsError, TreeTruncatedError } from "./errors.js";

/** GitHub's pull request files endpoint stops at this many files. */
export const PULL_REQUEST_FILE_LIMIT = 3000;

export interface GitHubPortOptions {
  logger?: PortLogger;
  /** Files larger than this are read as `too-large` (default: MAX_FILE_BYTES, 1 MiB). */
  maxFileBytes?: number;
  /**
   * Who this host writes as: only comments by this identity are edited or deleted. Without one,
   * only comments this port itself created are recognised.
   */
  identity?: WriterIdentity;
  /** Masks secrets in everything written to GitHub: comments, check runs, tags, releases. */
  redactor?: Redactor;
}

/**
 * `listTree` throws `TreeTruncatedError` (carrying the partial list) when GitHub truncates the
 * tree; `createAnnotatedTag` throws `TagExistsError` when the tag exists. Other GitHub errors
 * propagate as Octokit's RequestError.
 */
export function createGitHubPort(octokit: OctokitLike, options: GitHubPortOptions = {}): GitHubPort {
  const { logger } = options;
  const ownership = new CommentOwnership(options.identity);
  const redactor = options.redactor ?? NO_REDACTION;
  const clean = (text: string) => redactor.redact(text);
  // `changed_files` from getPullRequest, to tell whether the file list was cut short.
  const changedFiles = new Map<string, number>();
  const prKey = (pr: PullRef) => `${pr.owner}/${pr.repo}#${pr.number}`;

  return {
    async getPullRequest(pr) {
      const { data } = await octokit.rest.pulls.get({ owner: pr.owner, repo: pr.repo, pull_number: pr.number });
      const info = toPullRequestInfo(pr, data as RestPullRequest);
      if (info.changedFiles !== undefined) changedFiles.set(prKey(pr), info.changedFiles);
      return info;
    },

    async listMergedPullRequestsForCommit(repo, sha) {
      const pulls = (await octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
        owner: repo.owner,
        repo: repo.repo,
        commit_sha: sha,
        per_page: 100,
      })) as { number: number; merged_at?: string | null }[];
      // An open pull request that contains the commit is listed too; only merged ones are the commit's origin.
      return pulls.filter((p) => Boolean(p.merged_at)).map((p) => p.number);
    },

    async listPullRequestFiles(pr): Promise<PullRequestFiles> {
      const rest = (await octokit.paginate(octokit.rest.pulls.listFiles, {
        owner: pr.owner,
        repo: pr.repo,
        pull_number: pr.number,
        per_page: 100,
      })) as RestPullFile[];
      const files = rest.map(toChangedFile);
      const expected = changedFiles.get(prKey(pr));
      const truncated = files.length >= PULL_REQUEST_FILE_LIMIT || (expected !== undefined && expected > files.length);
      if (truncated) logger?.warn(`GitHub listed ${files.length} of ${expected ?? "3,000+"} changed files on ${prKey(pr)}.`);
      return { files, truncated };
    },

    async listTree(repo, sha) {
      const { data } = await octokit.rest.git.getTree({ owner: repo.owner, repo: repo.repo, tree_sha: sha, recursive: "1" });
      const tree = data as RestTree;
      const paths = tree.tree
        .filter((e) => e.type === "blob" && typeof e.path === "string")
        .map((e) => e.path as string)
        .sort();
      if (tree.truncated) throw new TreeTruncatedError(sha, paths);
      return paths;
    },

    readFiles: (repo, files) => readFiles(octokit, repo, files, options),

    upsertComment: (pr, marker, body) => upsertComment(octokit, pr, marker, clean(body), { ownership, ...(logger ? { logger } : {}) }),
    editComment: (pr, marker, body) => editComment(octokit, pr, marker, clean(body), ownership),

    async createComment(pr, body) {
      const { data } = await octokit.rest.issues.createComment({ owner: pr.owner, repo: pr.repo, issue_number: pr.number, body: clipCommentBody(clean(body)) });
      ownership.learn(data as RestComment);
      return { id: (data as { id: number }).id };
    },

    createCheckRun: (repo, input) => createCheckRun(octokit, repo, redactRun(input, clean)),
    updateCheckRun: (repo, id, input) => updateCheckRun(octokit, repo, id, redactRun(input, clean)),
    listCheckRuns: (repo, sha, name) => listCheckRuns(octokit, repo, sha, name),

    requestReviewers: (pr, reviewers) => requestReviewers(octokit, pr, reviewers, logger),
    listRequestedReviewers: (pr) => listRequestedReviewers(octokit, pr),
    listReviews: (pr) => listReviews(octokit, pr),
    isTeamMember: (org, team, user) => isTeamMember(octokit, org, team, user),
    getPermission: (repo, user) => getPermission(octokit, repo, user),

    getTag: (repo, name) => getTag(octokit, repo, name),
    listTags: (repo, prefix) => listTags(octokit, repo, prefix),
    createAnnotatedTag: (repo, input) => createAnnotatedTag(octokit, repo, { ...input, message: clean(input.message) }),
    createRelease: (repo, input) => createRelease(octokit, repo, { ...input, name: clean(input.name), body: clean(input.body) }),

    getDefaultBranch: (repo) => getDefaultBranch(octokit, repo),
    listOpenIssues: (repo, label) => listOpenIssues(octokit, repo, label),
    createIssue: (repo, input) => createIssue(octokit, repo, { ...input, title: clean(input.title), body: clean(input.body) }),
    updateIssue: (repo, number, input) =>
      updateIssue(octokit, repo, number, {
        ...input,
        ...(input.title !== undefined ? { title: clean(input.title) } : {}),
        ...(input.body !== undefined ? { body: clean(input.body) } : {}),
      }),
  };
}

/** A check run's text fields with secrets masked. */
function redactRun<T extends Partial<CheckRunInput>>(input: T, clean: (text: string) => string): T {
  const output = input.output;
  if (!output) return input;
  return {
    ...input,
    output: {
      ...output,
      title: clean(output.title),
      summary: clean(output.summary),
      ...(output.text !== undefined ? { text: clean(output.text) } : {}),
      ...(output.annotations
        ? {
            annotations: output.annotations.map((a) => ({
              ...a,
              message: clean(a.message),
              ...(a.title !== undefined ? { title: clean(a.title) } : {}),
              ...(a.raw_details !== undefined ? { raw_details: clean(a.raw_details) } : {}),
            })),
          }
        : {}),
    },
  };
}

function toPullRequestInfo(pr: PullRef, data: RestPullRequest): PullRequestInfo {
  const baseRepo: RepoRef = { owner: data.base.repo.owner.login, repo: data.base.repo.name };
  // A fork deleted after opening the pull request leaves `head.repo` null.
  const headRepo: RepoRef = data.head.repo
    ? { owner: data.head.repo.owner.login, repo: data.head.repo.name }
    : { owner: data.head.user?.login ?? baseRepo.owner, repo: baseRepo.repo };
  const merged = data.merged ?? Boolean(data.merged_at);
  return {
    owner: pr.owner,
    repo: pr.repo,
    number: data.number,
    title: data.title,
    author: data.user?.login ?? "ghost",
    draft: data.draft ?? false,
    state: data.state === "closed" ? "closed" : "open",
    merged,
    // Before the merge this is GitHub's test merge commit, which nothing should be tagged on.
    ...(merged && data.merge_commit_sha ? { mergeCommitSha: data.merge_commit_sha } : {}),
    ...(data.merged_by?.login ? { mergedBy: data.merged_by.login } : {}),
    htmlUrl: data.html_url,
    labels: data.labels.map((l) => l.name ?? "").filter(Boolean),
    ...(typeof data.changed_files === "number" ? { changedFiles: data.changed_files } : {}),
    base: { ref: data.base.ref, sha: data.base.sha, repo: baseRepo },
    head: { ref: data.head.ref, sha: data.head.sha, repo: headRepo },
  };
}

function toChangedFile(file: RestPullFile): ChangedFile {
  return {
    path: file.filename,
    status: file.status as FileStatus,
    ...(file.previous_filename ? { previousPath: file.previous_filename } : {}),
  };
}

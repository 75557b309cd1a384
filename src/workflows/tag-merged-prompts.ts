// On a merged pull request: an annotated tag, carrying an audit record, for each changed prompt
// version that met the base branch's rules; one comment says what was tagged and what was not.

import { formatDiagnostic } from "../core/diagnostics.js";
import { detectChanges } from "../core/prompts/detect.js";
import { renderAuditRecord, type AuditRecord } from "../core/versions/audit.js";
import type { PlannedTag } from "../core/versions/plan.js";
import { TagExistsError, githubMessage } from "../github/errors.js";
import type { CheckRun, GitHubPort, PullRef, PullRequestInfo, RepoRef } from "../github/port.js";
import { toChangedPaths } from "./changed-paths.js";
import { isOwnRun, type WorkflowDeps, type WorkflowLog } from "./deps.js";
import { exclusivePerHead } from "./head-locks.js";
import { pullRequestView, type PullRequestView } from "./pull-request-view.js";
import { OWNERS_CHECK_NAME } from "./owners-report.js";
import { EVAL_CHECK_NAME } from "./review-pull-request.js";
import { decideTags, tagPrefix } from "./tags-candidates.js";
import { renderTagsComment, TAGS_MARKER, type TaggedVersion, type UntaggedPrompt } from "./tags-comment.js";
import { approvalsOf, approversOf, checkConclusion, evalScoresFrom } from "./tags-evidence.js";

export { TAGS_MARKER } from "./tags-comment.js";

export interface TagMergedPromptsDeps {
  github: GitHubPort;
  log: WorkflowLog;
  /** Wall-clock time for the audit record (`WorkflowDeps.now` is a monotonic timer, not a date). */
  clock?: () => Date;
  /** This app's id: approval and eval evidence is taken only from its own check runs. */
  appId?: number;
  reads?: WorkflowDeps["reads"];
  locks?: WorkflowDeps["locks"];
  configPath?: WorkflowDeps["configPath"];
}

export interface CreatedTag extends TaggedVersion {
  commitSha: string;
  message: string;
  releaseUrl?: string;
}

export interface TagMergedResult {
  /** Set when the pull request was not looked at further (not merged, no changed prompt). */
  skipped?: string;
  /** Tags this delivery created. */
  created: CreatedTag[];
  /** Tags that already pointed at the merge commit (an earlier or concurrent delivery made them). */
  alreadyTagged: TaggedVersion[];
  notTagged: UntaggedPrompt[];
  /** Tags created whose GitHub release could not be. */
  releaseFailures: { tag: string; message: string }[];
  comment?: { id: number; created: boolean };
}

/**
 * For `pull_request.closed` with `merged: true`. Rules come from the PR's base commit, content
 * and fingerprints from the merge commit (that is what gets tagged), approval and eval from
 * the `promptops/owners` and `promptops/eval` check runs on the PR's head commit. Existing
 * tags are never moved; a re-delivered webhook creates nothing and leaves the comment as is.
 */
export async function tagMergedPrompts(deps: TagMergedPromptsDeps, target: PullRef): Promise<TagMergedResult> {
  const { github, log } = deps;
  const result: TagMergedResult = { created: [], alreadyTagged: [], notTagged: [], releaseFailures: [] };
  const view = pullRequestView(github, deps.reads, target, deps.configPath);
  const pr = await view.pr();
  if (!pr.merged || !pr.mergeCommitSha) return { ...result, skipped: `#${pr.number} was closed without being merged` };
  // Concurrent deliveries of the merge take turns: the second finds the tags and comment made.
  return exclusivePerHead(deps.locks, { pr: target, sha: pr.mergeCommitSha, workflow: "tags" }, "merged", () => tagMerge(deps, target, view, pr, result));
}

async function tagMerge(
  deps: TagMergedPromptsDeps,
  target: PullRef,
  view: PullRequestView,
  pr: PullRequestInfo,
  result: TagMergedResult,
): Promise<TagMergedResult> {
  const { github, log } = deps;
  const mergeSha = pr.mergeCommitSha!;
  const repo: RepoRef = { owner: target.owner, repo: target.repo };

  // Rules from the base commit, content from the merge commit: that is what gets tagged.
  const [rules, prFiles] = await Promise.all([view.rules(), view.files()]);
  const { config, configDiagnostics: configProblems } = rules;
  const notes: string[] = [];
  if (prFiles.truncated) notes.push("GitHub listed only part of this pull request's files; prompts among the rest were not considered for tagging.");

  const sides = await view.sides({ base: pr.base.sha, head: mergeSha });
  for (const sha of sides.truncatedTrees) log.warn(`GitHub truncated the file tree of ${sha}; prompts beyond it are not seen.`);
  const { base, head } = sides;
  const changes = detectChanges({ changes: toChangedPaths(prFiles.files), base, head, config }).prompts.filter((c) => c.change !== "removed");
  if (changes.length === 0) return { ...result, skipped: "no changed prompt" };

  if (configProblems.some((d) => d.severity === "error")) {
    // Defaults in place of a broken config could tag what the repository's rules forbid.
    const first = configProblems.find((d) => d.severity === "error")!;
    result.notTagged = changes.map((c) => ({ promptId: c.id, path: c.path, reason: `the base branch's config is invalid (${formatDiagnostic(first)})` }));
    result.comment = await github.upsertComment(target, TAGS_MARKER, renderTagsComment({ tagged: [], notTagged: result.notTagged, mergeCommitSha: mergeSha, notes }));
    return result;
  }

  const { versioning } = config;
  // Anyone who can create check runs (another app, a workflow's GITHUB_TOKEN) can name one
  // `promptops/owners`; only this app's count as evidence.
  const ownRuns = async (name: string) => (await github.listCheckRuns(repo, pr.head.sha, name)).filter((r) => isOwnRun(r, deps.appId));
  const [existingTags, ownerRuns, evalRuns, reviews] = await Promise.all([
    github.listTags(repo, tagPrefix(versioning.tag)),
    versioning.requireApproval ? ownRuns(OWNERS_CHECK_NAME) : Promise.resolve([] as CheckRun[]),
    ownRuns(EVAL_CHECK_NAME),
    github.listReviews(target),
  ]);
  const approved = checkConclusion(ownerRuns) === "success";
  const evalRun = evalRuns[0];
  const evalConclusion = checkConclusion(evalRuns);

  const decision = decideTags({ changes, config, existingTags, mergeSha, labels: pr.labels, gates: { approved, ...(evalConclusion !== undefined && { evalConclusion }) } });
  result.alreadyTagged.push(...decision.alreadyTagged);
  result.notTagged.push(...decision.notTagged);
  const plan = decision.plan;

  const approvers = approversOf(reviews, pr.author);
  const approvals = approvalsOf(reviews, pr.author);
  const createdAt = (deps.clock ?? (() => new Date()))().toISOString();
  for (const planned of plan.create) {
    const record = auditRecord(pr, planned, { approvers, approvals, evalRun, evalConclusion, createdAt });
    const message = renderAuditRecord(record);
    try {
      await github.createAnnotatedTag(repo, { name: planned.tag, message, commitSha: mergeSha });
    } catch (error) {
      const outcome = await afterCreateFailure(github, repo, planned, mergeSha, error);
      if (outcome === "already-tagged") result.alreadyTagged.push(tagged(planned));
      else result.notTagged.push({ promptId: planned.promptId, path: planned.path, reason: outcome.reason });
      continue;
    }
    const created: CreatedTag = { ...tagged(planned), commitSha: mergeSha, message };
    result.created.push(created);
    log.info(`Tagged ${planned.promptId} v${planned.version} as ${planned.tag} on ${mergeSha}.`);
    if (versioning.release) {
      try {
        created.releaseUrl = (await github.createRelease(repo, { tag: planned.tag, name: `${planned.promptId} v${planned.version}`, body: message })).htmlUrl;
      } catch (error) {
        result.releaseFailures.push({ tag: planned.tag, message: githubMessage(error) });
        log.warn(`Tag ${planned.tag} was created but its release was not: ${githubMessage(error)}`);
      }
    }
  }

  for (const failure of result.releaseFailures) notes.push(`The release for tag ${failure.tag} could not be created: ${failure.message}`);
  const order = (a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path);
  const body = renderTagsComment({
    tagged: [...result.created, ...result.alreadyTagged].map(tagged).sort(order),
    notTagged: [...result.notTagged].sort(order),
    mergeCommitSha: mergeSha,
    repoUrl: repoUrlOf(pr),
    notes,
  });
  result.comment = await github.upsertComment(target, TAGS_MARKER, body);
  return result;
}

function tagged(t: TaggedVersion): TaggedVersion {
  return { promptId: t.promptId, path: t.path, version: t.version, tag: t.tag };
}

function auditRecord(
  pr: PullRequestInfo,
  planned: PlannedTag,
  evidence: { approvers: string[]; approvals: { login: string; commitSha?: string }[]; evalRun?: CheckRun; evalConclusion?: string; createdAt: string },
): AuditRecord {
  const { evalRun } = evidence;
  return {
    promptId: planned.promptId,
    version: planned.version,
    path: planned.path,
    contentSha256: planned.fingerprint,
    pr: { number: pr.number, url: pr.htmlUrl },
    author: pr.author,
    ...(pr.mergedBy !== undefined && { mergedBy: pr.mergedBy }),
    approvers: evidence.approvers,
    approvals: evidence.approvals,
    baseSha: pr.base.sha,
    scores: evalScoresFrom(evalRun, planned.promptId),
    verdict: evidence.evalConclusion ?? "not evaluated",
    ...(evalRun?.htmlUrl && { checkRunUrl: evalRun.htmlUrl }),
    mergeCommitSha: planned.commitSha,
    createdAt: evidence.createdAt,
  };
}

/**
 * A create that failed: the tag appeared since it was listed (a concurrent delivery, which
 * counts as tagged when it is on the merge commit; anything else is left where it is), or
 * GitHub refused (permissions, a protected tag pattern), which is reported, not thrown, so the
 * other prompts still get theirs.
 */
async function afterCreateFailure(
  github: GitHubPort,
  repo: RepoRef,
  planned: PlannedTag,
  mergeSha: string,
  error: unknown,
): Promise<"already-tagged" | { reason: string }> {
  if (!(error instanceof TagExistsError)) return { reason: `GitHub refused to create tag ${planned.tag}: ${githubMessage(error)}` };
  const existing = await github.getTag(repo, planned.tag).catch(() => null);
  if (existing?.commitSha === mergeSha) return "already-tagged";
  return { reason: `tag ${planned.tag} exists${existing ? ` on ${existing.commitSha}` : ""}, not moved` };
}

/** `https://github.com/o/r` from the pull request's page, so GitHub Enterprise links stay on the same host. */
function repoUrlOf(pr: PullRequestInfo): string | undefined {
  const m = /^(https?:\/\/.+)\/pull\/\d+\/?$/.exec(pr.htmlUrl);
  return m ? m[1] : undefined;
}

// On a merged pull request that moved pins: the promotion's record (the pins it moved, who
// approved it and on which commit, who merged it) as an annotated tag on the merge commit, so
// the audit log can list a promotion's approvals from git alone. Existing tags are never moved.

import { pinChanges } from "../core/environments/changes.js";
import { loadEnvironments } from "../core/environments/load.js";
import { promotionTagName, renderPromotionRecord, type PromotionRecord } from "../core/environments/promotion-record.js";
import type { FileBlob } from "../core/files.js";
import { githubMessage, TagExistsError } from "../github/errors.js";
import type { PullRef } from "../github/port.js";
import type { WorkflowDeps } from "./deps.js";
import { exclusivePerHead } from "./head-locks.js";
import { pullRequestView } from "./pull-request-view.js";
import { approvalsOf } from "./tags-evidence.js";

export interface RecordPromotionDeps extends Pick<WorkflowDeps, "github" | "log" | "reads" | "locks" | "configPath"> {
  /** Wall-clock time for the record. */
  clock?: () => Date;
  /** Who writes the record. */
  source?: "app" | "action";
}

export interface RecordPromotionResult {
  /** Set when there is nothing to record (not merged, no pin moved). */
  skipped?: string;
  status: "recorded" | "already-recorded" | "not-recorded" | "skipped";
  tag?: string;
  /** Why GitHub did not take the tag. */
  reason?: string;
  record?: PromotionRecord;
}

export async function recordPromotion(deps: RecordPromotionDeps, target: PullRef): Promise<RecordPromotionResult> {
  const { github, log } = deps;
  const view = pullRequestView(github, deps.reads, target, deps.configPath);
  const pr = await view.pr();
  if (!pr.merged || !pr.mergeCommitSha) return { status: "skipped", skipped: `#${pr.number} was closed without being merged` };
  const mergeSha = pr.mergeCommitSha;
  const rules = await view.rules();
  // Without the base's config the pins file's path is unknown.
  if (rules.configDiagnostics.some((d) => d.severity === "error")) return { status: "skipped", skipped: "the base branch's config is invalid" };
  const file = rules.config.environments.file;
  const listing = await view.files();
  if (!listing.files.some((f) => f.path === file || f.previousPath === file) && !listing.truncated) return { status: "skipped", skipped: `${file} is not changed` };

  return exclusivePerHead(deps.locks, { pr: target, sha: mergeSha, workflow: "promotion-record" }, "merged", async () => {
    // What the pull request moved (base -> head), as its promotion check judged it.
    const blobs = await github.readFiles(target, [
      { sha: pr.base.sha, path: file },
      { sha: pr.head.sha, path: file },
    ]);
    const before = loadEnvironments(textOf(blobs.get(`${pr.base.sha}:${file}`)), file);
    const after = loadEnvironments(textOf(blobs.get(`${pr.head.sha}:${file}`)), file);
    const changes = pinChanges(before.environments, after.environments);
    if (changes.length === 0) return { status: "skipped", skipped: "no pin moved" };

    const tag = promotionTagName(pr.number);
    const afterExisting = (commit: string | undefined): RecordPromotionResult =>
      commit === mergeSha ? { status: "already-recorded", tag } : { status: "not-recorded", tag, reason: `tag ${tag} exists${commit ? ` on ${commit}` : ""}, not moved` };
    const reviews = await github.listReviews(target);
    const record: PromotionRecord = {
      pr: { number: pr.number, url: pr.htmlUrl },
      file,
      changes: changes.map((c) => ({ environment: c.environment, promptId: c.promptId, ...(c.from !== undefined && { from: c.from }), ...(c.to !== undefined && { to: c.to }) })),
      author: pr.author,
      ...(pr.mergedBy !== undefined && { mergedBy: pr.mergedBy }),
      approvals: approvalsOf(reviews, pr.author),
      ...(deps.source && { source: deps.source }),
      baseSha: pr.base.sha,
      headSha: pr.head.sha,
      mergeCommitSha: mergeSha,
      createdAt: (deps.clock ?? (() => new Date()))().toISOString(),
    };
    // A redelivery finds the record made: nothing is written (not even a dangling tag object).
    const existing = await github.getTag(target, tag);
    if (existing) return afterExisting(existing.commitSha);
    try {
      await github.createAnnotatedTag(target, { name: tag, message: renderPromotionRecord(record), commitSha: mergeSha });
    } catch (error) {
      // A concurrent delivery made it between the read and the write.
      if (error instanceof TagExistsError) return afterExisting((await github.getTag(target, tag).catch(() => null))?.commitSha);
      // The promotion is merged whatever happens here; the audit log then lists it without approvals.
      const reason = `GitHub refused to create tag ${tag}: ${githubMessage(error)}`;
      log.warn(`The promotion record of #${pr.number} was not written: ${reason}`);
      return { status: "not-recorded", tag, reason };
    }
    log.info(`Recorded promotion #${pr.number} as ${tag} on ${mergeSha}.`);
    return { status: "recorded", tag, record };
  });
}

function textOf(blob: FileBlob | undefined): string | undefined {
  return blob?.kind === "text" ? blob.text : undefined;
}

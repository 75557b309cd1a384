// Reviews the prompts changed between two revisions of a checked-out repository (the Action's
// `workflow_dispatch` with `base` and `head`): the CLI's local review, with the host's model
// access (its keys, cache and spending cap). Nothing is posted: the host reports the result.

import type { Diagnostic } from "../core/diagnostics.js";
import type { ReviewResult } from "../core/eval/model.js";
import { reviewChanges } from "../core/review.js";
import { gitTree, isGitRepo, resolveRef } from "../cli/git.js";
import { loadRevisions } from "../cli/revisions.js";
import type { WorkflowDeps } from "./deps.js";
import { readRecordings } from "./review-pull-request.js";

export interface RefsTarget {
  /** The repository checked out on disk. */
  workspace: string;
  base: string;
  head: string;
}

export type RefsReviewOutcome =
  | { status: "reviewed"; base: string; head: string; review: ReviewResult }
  | { status: "config-error"; base: string; head: string; message: string };

export async function reviewBetweenRefs(deps: WorkflowDeps, target: RefsTarget): Promise<RefsReviewOutcome> {
  const problems: string[] = [];
  const io = {
    cwd: target.workspace,
    env: {},
    stdout: (text: string) => deps.log.info(text.trimEnd()),
    stderr: (text: string) => void problems.push(text.trimEnd()),
    isTTY: false,
    setExitCode: () => undefined,
  };
  // Rules come from the base, as on a pull request.
  const revisions = await loadRevisions(io, target.base, target.head, deps.configPath !== undefined ? { configPath: deps.configPath } : {});
  if (!revisions) {
    for (const problem of problems) deps.log.error(problem);
    return { status: "config-error", base: target.base, head: target.head, message: problems.join("\n") };
  }
  const diagnostics: Diagnostic[] = [];
  const recordings = await readRecordings(gitTree(revisions.root, revisions.base), revisions.config.providers.replay.file, diagnostics);
  const review = await reviewChanges({
    config: revisions.config,
    base: revisions.baseWorkspace,
    head: revisions.headWorkspace,
    changes: revisions.changes,
    models: deps.models(revisions.config, recordings ? { recordings } : {}),
    baseRef: revisions.base,
    headRef: revisions.head,
    now: deps.now,
    diagnostics,
  });
  deps.log.info(`Reviewed ${target.base}..${target.head}: ${review.verdict.conclusion} (${review.verdict.title}).`);
  return { status: "reviewed", base: revisions.base, head: revisions.head, review };
}

/** Why `ref` cannot be reviewed in `workspace`, or undefined when it can (a checkout holding that commit). */
export async function unreachable(workspace: string | undefined, ref: string): Promise<string | undefined> {
  if (workspace === undefined || !(await isGitRepo(workspace))) return "no checkout of the repository";
  try {
    await resolveRef(workspace, ref);
    return undefined;
  } catch {
    return `the checkout does not have ${ref.slice(0, 12)} (fetch more history)`;
  }
}

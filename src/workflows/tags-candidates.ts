// Which changed prompts have a new version to tag, and which version: shared by the merge
// workflow and `promptops tag --dry-run`, so a preview says exactly what a merge would do.

import type { PromptOpsConfig } from "../core/config/model.js";
import type { ChangedPrompt } from "../core/workspace/detect.js";
import { nextVersion } from "../core/versions/bump.js";
import { contentFingerprint } from "../core/versions/fingerprint.js";
import { planTags, type TagCandidate, type TagPlan } from "../core/versions/plan.js";
import { latestTaggedVersion, tagNameFor } from "../core/versions/tags.js";
import type { TaggedVersion, UntaggedPrompt } from "./tags-comment.js";

export interface ExistingTag {
  name: string;
  commitSha: string;
}

export interface VersionGates {
  /** Owners approved (the `promptops/owners` conclusion was success). */
  approved: boolean;
  /** The `promptops/eval` conclusion, or the run's status while it is not completed. */
  evalConclusion?: string;
}

export interface TagDecision {
  plan: TagPlan;
  /** Candidates whose planned tag already points at the merge commit: done before. */
  alreadyTagged: TaggedVersion[];
  notTagged: UntaggedPrompt[];
}

/**
 * The tag plan for a merge: removed prompts are left out, prompts without a new version are
 * reported with the reason, the rest go through `planTags`. In auto mode a prompt already tagged
 * on `mergeSha` keeps that version, so a re-delivery plans the same tag instead of the next one.
 */
export function decideTags(input: {
  changes: readonly ChangedPrompt[];
  config: PromptOpsConfig;
  existingTags: readonly ExistingTag[];
  mergeSha: string;
  labels: readonly string[];
  gates: VersionGates;
}): TagDecision {
  const { config, existingTags, mergeSha, gates } = input;
  const { versioning } = config;
  const notTagged: UntaggedPrompt[] = [];
  const candidates: TagCandidate[] = [];
  for (const change of input.changes) {
    if (change.change === "removed") continue;
    const prompt = change.head;
    if (!prompt) {
      notTagged.push({ promptId: change.id, path: change.path, reason: "the prompt file does not parse at the merge commit" });
      continue;
    }
    const fingerprint = contentFingerprint(prompt);
    const unchanged = noNewVersion(change, fingerprint, config);
    if (unchanged) {
      notTagged.push({ promptId: prompt.id, path: prompt.path, reason: unchanged });
      continue;
    }
    const version = versioning.mode === "auto" ? autoVersion(versioning.tag, prompt.id, existingTags, mergeSha, input.labels) : prompt.version;
    candidates.push({
      promptId: prompt.id,
      path: prompt.path,
      ...(version !== undefined && { version }),
      fingerprint,
      approved: gates.approved,
      ...(gates.evalConclusion !== undefined && { evalConclusion: gates.evalConclusion }),
    });
  }

  const plan = planTags({
    prompts: candidates,
    template: versioning.tag,
    requireApproval: versioning.requireApproval,
    requirePassingEval: versioning.requirePassingEval,
    existingTags,
    mergeCommitSha: mergeSha,
  });

  // planTags answers once per candidate, in order, and a skip carries only the id (which two
  // files may share): pair them back by position.
  const plannedPaths = new Set(plan.create.map((p) => p.path));
  const skippedCandidates = candidates.filter((c) => !plannedPaths.has(c.path));
  const alreadyTagged: TaggedVersion[] = [];
  plan.skipped.forEach((skip, i) => {
    const candidate = skippedCandidates[i]!;
    if (skip.reason === "already tagged") {
      const version = candidate.version!;
      alreadyTagged.push({ promptId: candidate.promptId, path: candidate.path, version, tag: tagNameFor(versioning.tag, candidate.promptId, version) });
    } else {
      notTagged.push({ promptId: candidate.promptId, path: candidate.path, reason: skip.reason });
    }
  });
  return { plan, alreadyTagged, notTagged };
}

/**
 * Why a changed prompt has no new version to tag, or undefined when it may have one. Manual
 * mode: the file's version and its content fingerprint are both as on the base (metadata, a
 * golden set or an unbumped partial changed). Auto mode: the content is unchanged and no
 * partial changed, so there is no new behaviour to version.
 */
function noNewVersion(change: ChangedPrompt, fingerprint: string, config: PromptOpsConfig): string | undefined {
  const { base, head } = change;
  if (!base || !head || contentFingerprint(base) !== fingerprint) return undefined;
  const why = change.reasons.length > 0 ? ` (${change.reasons.join("; ")})` : "";
  if (config.versioning.mode === "auto") {
    if (change.reasons.some((r) => r.startsWith("partial "))) return undefined;
    return `no new version: the prompt's content is unchanged${why}`;
  }
  if (head.version !== base.version) return undefined;
  return `no new version: content and version ${head.version ?? "(none)"} are unchanged${why}`;
}

function autoVersion(template: string, id: string, existing: readonly ExistingTag[], mergeSha: string, labels: readonly string[]): string {
  const onMerge = latestTaggedVersion(template, id, existing.filter((t) => t.commitSha === mergeSha).map((t) => t.name));
  return onMerge ?? nextVersion(latestTaggedVersion(template, id, existing.map((t) => t.name)), labels);
}

/** The literal start of every tag the template makes, so one listing finds them all. */
export function tagPrefix(template: string): string {
  const brace = template.indexOf("{");
  return brace < 0 ? template : template.slice(0, brace);
}

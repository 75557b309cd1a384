// Which prompt versions get a tag when a pull request is merged. Existing tags are never
// moved, so a re-delivered webhook plans nothing new.

import { isValidVersion } from "./bump.js";
import { checkRefFormat, tagNameFor } from "./tags.js";

export interface TagCandidate {
  promptId: string;
  path: string;
  /** The version to tag (the file's in manual mode, `nextVersion` in auto mode). */
  version?: string;
  fingerprint: string;
  /** Owners approved (the `promptops/owners` decision). */
  approved: boolean;
  /** Conclusion of the eval gate on the merged head: `success`, `failure`, `neutral`; undefined when none ran. */
  evalConclusion?: string;
}

export interface TagPlanInput {
  prompts: readonly TagCandidate[];
  /** `versioning.tag`, e.g. `prompts/{id}/v{version}`. */
  template: string;
  requireApproval: boolean;
  requirePassingEval: boolean;
  /** Tags that already exist (at least those the planned names could collide with). */
  existingTags: readonly { name: string; commitSha: string }[];
  mergeCommitSha: string;
}

export interface PlannedTag {
  promptId: string;
  path: string;
  version: string;
  tag: string;
  fingerprint: string;
  /** The commit to tag: the merge commit. */
  commitSha: string;
}

export interface TagPlan {
  create: PlannedTag[];
  skipped: { promptId: string; reason: string }[];
}

export function planTags(input: TagPlanInput): TagPlan {
  const plan: TagPlan = { create: [], skipped: [] };
  const existing = new Map(input.existingTags.map((t) => [t.name, t.commitSha]));
  const planned = new Map<string, string>();
  const skip = (promptId: string, reason: string) => plan.skipped.push({ promptId, reason });

  for (const p of input.prompts) {
    if (p.version === undefined || p.version === "") {
      skip(p.promptId, "no version");
      continue;
    }
    if (!isValidVersion(p.version)) {
      skip(p.promptId, `invalid version "${p.version}" (not semver)`);
      continue;
    }
    const tag = tagNameFor(input.template, p.promptId, p.version);
    const invalid = checkRefFormat(tag);
    if (invalid) {
      skip(p.promptId, `invalid tag name "${tag}": ${invalid}`);
      continue;
    }
    // Checked before approval and eval so a re-delivery reports what actually happened.
    const taggedAt = existing.get(tag);
    if (taggedAt !== undefined) {
      skip(p.promptId, taggedAt === input.mergeCommitSha ? "already tagged" : `tag exists on ${taggedAt}, not moved`);
      continue;
    }
    const claimedBy = planned.get(tag);
    if (claimedBy !== undefined) {
      skip(p.promptId, `tag "${tag}" is already planned for ${claimedBy}`);
      continue;
    }
    if (input.requireApproval && !p.approved) {
      skip(p.promptId, "not approved by its owners");
      continue;
    }
    if (input.requirePassingEval && p.evalConclusion !== "success") {
      skip(
        p.promptId,
        p.evalConclusion === undefined ? "no eval result on the merged head" : `eval did not pass (${p.evalConclusion})`,
      );
      continue;
    }
    planned.set(tag, p.promptId);
    plan.create.push({
      promptId: p.promptId,
      path: p.path,
      version: p.version,
      tag,
      fingerprint: p.fingerprint,
      commitSha: input.mergeCommitSha,
    });
  }
  return plan;
}

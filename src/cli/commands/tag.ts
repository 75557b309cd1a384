// `promptops tag --base REF [--head REF]`: the annotated tags a merge of HEAD into BASE gets,
// decided by the same rules the App applies on merge and carrying the same audit record, for
// teams that tag outside GitHub. `--dry-run` only shows them.

import type { Command } from "commander";
import { detectChanges } from "../../core/workspace/detect.js";
import { reviewChanges } from "../../core/review.js";
import { renderAuditRecord, type AuditRecord } from "../../core/versions/audit.js";
import { decideTags } from "../../workflows/tags-candidates.js";
import { git } from "../git.js";
import { EXIT, UsageError, type CliIO } from "../io.js";
import { cliModels } from "../local-review.js";
import { loadRevisions } from "../revisions.js";
import { localTags } from "./versions.js";

const ASSUMPTION = "Owner approval and a passing eval are assumed here; on merge the App checks both.";

interface TagOptions {
  dryRun?: boolean;
  base?: string;
  head: string;
  label: string[];
  approvedBy: string[];
  json?: boolean;
  cache: boolean;
  replay?: string;
}

export function register(program: Command, io: CliIO): void {
  program
    .command("tag")
    .description("Create the annotated prompt version tags a merge would create, with their audit records (--dry-run: only show them)")
    .option("--dry-run", "show what would be tagged, create nothing")
    .option("--base <ref>", "the branch merged into (e.g. main)")
    .option("--head <ref>", "the revision being merged (the tags go on it)", "HEAD")
    .option("--label <name>", "a pull request label, for automatic versioning (prompt:minor, prompt:major); repeatable", collect, [])
    .option("--approved-by <login>", "an owner who approved the change, recorded in the tag; repeatable", collect, [])
    .option("--no-cache", "do not read or write the response cache (.promptops/cache)")
    .option("--replay <file>", "answer every model request from a recordings file (offline)")
    .option("--json", "print JSON")
    .action(async (options: TagOptions) => {
      if (options.base === undefined) throw new UsageError("--base <ref> is required (the branch the change would be merged into)");
      // The rules in force are the base's, as on merge.
      const revisions = await loadRevisions(io, options.base, options.head);
      if (!revisions) {
        io.setExitCode(EXIT.error);
        return;
      }
      if (options.dryRun) return dryRun(io, options, revisions);
      await createTags(io, options, revisions);
    });
}

type Revisions = NonNullable<Awaited<ReturnType<typeof loadRevisions>>>;

async function dryRun(io: CliIO, options: TagOptions, revisions: Revisions): Promise<void> {
  const { base, head, config } = revisions;
  const tags = await localTags(revisions.root);
  const { prompts } = detectChanges({ changes: revisions.changes, base: revisions.baseWorkspace, head: revisions.headWorkspace, config });
  // The merge commit does not exist yet; the head stands in for it, so tags already on the
  // head count as done.
  const decision = decideTags({
    changes: prompts,
    config,
    existingTags: tags,
    mergeSha: head,
    labels: options.label,
    gates: { approved: true, evalConclusion: "success" },
  });
  const wouldTag = decision.plan.create.map((t) => ({ promptId: t.promptId, path: t.path, version: t.version, tag: t.tag }));

  if (options.json) {
    const out = { dryRun: true, assumed: { approved: true, evalConclusion: "success" }, base, head, mode: config.versioning.mode, wouldTag, alreadyTagged: decision.alreadyTagged, notTagged: decision.notTagged };
    io.stdout(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const lines = [`Dry run: tags for merging ${options.head} into ${options.base} (nothing is created).`, ASSUMPTION];
  if (wouldTag.length + decision.alreadyTagged.length + decision.notTagged.length === 0) {
    lines.push("", `No changed prompt between ${options.base} and ${options.head}: nothing to tag.`);
  }
  if (wouldTag.length > 0) {
    lines.push("", "Would tag:", ...wouldTag.map((t) => `  ${t.tag}  (${t.promptId} ${t.version}, ${t.path})`));
  }
  if (decision.alreadyTagged.length > 0) {
    lines.push("", `Already tagged on ${options.head}:`, ...decision.alreadyTagged.map((t) => `  ${t.tag}  (${t.path})`));
  }
  if (decision.notTagged.length > 0) {
    lines.push("", "Would not tag:", ...decision.notTagged.map((p) => `  ${p.promptId} (${p.path}): ${p.reason}`));
  }
  io.stdout(`${lines.join("\n")}\n`);
}

/**
 * The real thing: the changed prompts are evaluated base vs head (the same review as
 * `promptops review`), the approvals are the ones named with --approved-by, and each version
 * that meets the base's versioning rules gets an annotated tag on the head whose message is the
 * audit record the App would write. Existing tags are never moved.
 */
async function createTags(io: CliIO, options: TagOptions, revisions: Revisions): Promise<void> {
  const { root, base, head, config } = revisions;
  const { models, finish } = await cliModels(io, root, config, { cache: options.cache, ...(options.replay !== undefined && { replay: options.replay }) });
  let review;
  try {
    review = await reviewChanges({
      config,
      base: revisions.baseWorkspace,
      head: revisions.headWorkspace,
      changes: revisions.changes,
      models,
      baseRef: options.base!,
      headRef: options.head,
      now: () => performance.now(),
    });
  } finally {
    await finish();
  }
  const approvers = [...new Set(options.approvedBy.map((l) => l.replace(/^@/, "")))].sort((a, b) => a.localeCompare(b));
  const evalConclusion = review.comparisons.length > 0 ? review.verdict.conclusion : undefined;
  const decision = decideTags({
    changes: review.changeSet.prompts,
    config,
    existingTags: await localTags(root),
    mergeSha: head,
    labels: options.label,
    gates: { approved: approvers.length > 0, ...(evalConclusion !== undefined && { evalConclusion }) },
  });
  const author = (await git(root, ["log", "-1", "--format=%an", head])).trim();
  const createdAt = new Date().toISOString();
  const created: { promptId: string; path: string; version: string; tag: string }[] = [];
  for (const planned of decision.plan.create) {
    const comparison = review.comparisons.find((c) => c.promptId === planned.promptId);
    const model = comparison?.head?.model;
    const record: AuditRecord = {
      promptId: planned.promptId,
      version: planned.version,
      path: planned.path,
      contentSha256: planned.fingerprint,
      author,
      approvers,
      approvals: approvers.map((login) => ({ login, commitSha: head })),
      source: "cli",
      baseSha: base,
      ...(model !== undefined && { model }),
      ...(comparison?.interval && { interval: { low: comparison.interval.low, high: comparison.interval.high } }),
      scores: {
        ...(comparison?.base?.meanScore !== undefined && { base: comparison.base.meanScore }),
        ...(comparison?.head?.meanScore !== undefined && { head: comparison.head.meanScore }),
      },
      verdict: evalConclusion ?? "not evaluated",
      mergeCommitSha: head,
      createdAt,
    };
    // `tag -a` without `-f` refuses an existing name: a tag is never moved.
    await git(root, ["tag", "-a", "--cleanup=verbatim", "-m", renderAuditRecord(record), "--end-of-options", planned.tag, head]);
    created.push({ promptId: planned.promptId, path: planned.path, version: planned.version, tag: planned.tag });
  }

  if (options.json) {
    io.stdout(`${JSON.stringify({ base, head, verdict: evalConclusion ?? null, approvers, created, alreadyTagged: decision.alreadyTagged, notTagged: decision.notTagged }, null, 2)}\n`);
  } else {
    const lines = [`Tags for merging ${options.head} into ${options.base}, on ${head.slice(0, 12)}.`];
    if (created.length + decision.alreadyTagged.length + decision.notTagged.length === 0) lines.push("", "No changed prompt: nothing to tag.");
    if (created.length > 0) lines.push("", "Tagged:", ...created.map((t) => `  ${t.tag}  (${t.promptId} ${t.version}, ${t.path})`));
    if (decision.alreadyTagged.length > 0) lines.push("", "Already tagged:", ...decision.alreadyTagged.map((t) => `  ${t.tag}  (${t.path})`));
    if (decision.notTagged.length > 0) {
      const hint = approvers.length === 0 && config.versioning.requireApproval ? " (name the approving owners with --approved-by)" : "";
      lines.push("", "Not tagged:", ...decision.notTagged.map((p) => `  ${p.promptId} (${p.path}): ${p.reason}${p.reason.startsWith("not approved") ? hint : ""}`));
    }
    io.stdout(`${lines.join("\n")}\n`);
  }
  if (decision.notTagged.length > 0 && created.length === 0 && decision.alreadyTagged.length === 0) io.setExitCode(EXIT.failed);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

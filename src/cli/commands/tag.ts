// `promptops tag --dry-run --base REF [--head REF]`: what merging HEAD into BASE would tag,
// decided by the same rules the App applies on merge. Only a preview: real tags
// carry the owners' approvals and the eval result, which exist only on GitHub.

import type { Command } from "commander";
import { detectChanges } from "../../core/prompts/detect.js";
import { decideTags } from "../../workflows/tags-candidates.js";
import { EXIT, UsageError, type CliIO } from "../io.js";
import { loadRevisions } from "../revisions.js";
import { localTags } from "./versions.js";

export const NOT_A_DRY_RUN =
  "promptops tag only previews; run it with --dry-run. Tags are created by the PromptOps App when a pull request is merged, " +
  "so that each tag's audit record holds the owners' approvals and the eval result.";

const ASSUMPTION = "Owner approval and a passing eval are assumed here; on merge the App checks both.";

interface TagOptions {
  dryRun?: boolean;
  base?: string;
  head: string;
  label: string[];
  json?: boolean;
}

export function register(program: Command, io: CliIO): void {
  program
    .command("tag")
    .description("Preview the prompt version tags a merge would create (--dry-run)")
    .option("--dry-run", "show what would be tagged, create nothing")
    .option("--base <ref>", "the branch merged into (e.g. main)")
    .option("--head <ref>", "the revision being merged", "HEAD")
    .option("--label <name>", "a pull request label, for automatic versioning (prompt:minor, prompt:major); repeatable", collect, [])
    .option("--json", "print JSON")
    .action(async (options: TagOptions) => {
      if (!options.dryRun) throw new UsageError(NOT_A_DRY_RUN);
      if (options.base === undefined) throw new UsageError("--base <ref> is required (the branch the change would be merged into)");
      // The rules in force are the base's, as on merge.
      const revisions = await loadRevisions(io, options.base, options.head);
      if (!revisions) {
        io.setExitCode(EXIT.error);
        return;
      }
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
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

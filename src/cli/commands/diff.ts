// `promptops diff --base REF [--head REF]`: the prompts that changed between two revisions of
// the current repository (directly or through a partial or golden set), with message diffs
// and a table of model and parameter changes.

import type { Command } from "commander";
import { detectChanges, type ChangedPrompt } from "../../core/workspace/detect.js";
import { messageDiffs, type PromptDiff } from "../../core/report/diff.js";
import { EXIT, type CliIO } from "../io.js";
import { loadRevisions } from "../revisions.js";

export function register(program: Command, io: CliIO): void {
  program
    .command("diff")
    .description("Show the prompts changed between two git revisions")
    .requiredOption("--base <ref>", "the base revision (e.g. main)")
    .option("--head <ref>", "the head revision", "HEAD")
    .option("--json", "print JSON")
    .action(async (options: { base: string; head: string; json?: boolean }) => {
      const revisions = await loadRevisions(io, options.base, options.head);
      if (!revisions) {
        io.setExitCode(EXIT.error);
        return;
      }
      const { base, head, config } = revisions;
      const { prompts } = detectChanges({ changes: revisions.changes, base: revisions.baseWorkspace, head: revisions.headWorkspace, config });
      const diffs = prompts.map((p) => ({ prompt: p, diff: messageDiffs(p.base, p.head) }));

      if (options.json) {
        const out = diffs.map(({ prompt: p, diff }) => ({
          id: p.id,
          path: p.path,
          ...(p.previousPath !== undefined && { previousPath: p.previousPath }),
          change: p.change,
          reasons: p.reasons,
          fields: diff.fields,
          messages: diff.messages.filter((m) => m.change !== "unchanged"),
        }));
        io.stdout(`${JSON.stringify({ base, head, prompts: out }, null, 2)}\n`);
        return;
      }
      if (prompts.length === 0) {
        io.stdout(`No prompt changed between ${options.base} and ${options.head}.\n`);
        return;
      }
      io.stdout(`${prompts.length} ${prompts.length === 1 ? "prompt" : "prompts"} changed between ${options.base} and ${options.head}:\n`);
      for (const { prompt, diff } of diffs) io.stdout(`\n${describe(prompt, diff)}`);
    });
}

function describe(p: ChangedPrompt, diff: PromptDiff): string {
  const where = p.previousPath ? `${p.previousPath} -> ${p.path}` : p.path;
  const lines = [`== ${p.id} (${p.change}) ${where}`, ...p.reasons.map((r) => `   ${r}`)];
  if (diff.fields.length > 0) {
    lines.push("", ...table([["field", "base", "head"], ...diff.fields.map((f) => [f.field, f.before ?? "-", f.after ?? "-"])]));
  }
  for (const m of diff.messages) {
    if (m.change === "unchanged") continue;
    lines.push("", `-- message ${m.index + 1} (${m.role}) ${m.change}`, m.diff.replace(/\n$/, ""));
  }
  return `${lines.join("\n")}\n`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => `   ${r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()}`);
}

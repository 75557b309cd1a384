// `promptops diff --base REF [--head REF]`: the prompts that changed between two revisions of
// the current repository (directly or through a partial or golden set), with message diffs
// and a table of model and parameter changes.

import type { Command } from "commander";
import { readConfig } from "../../core/config/load.js";
import { formatDiagnostic } from "../../core/diagnostics.js";
import { detectChanges, type ChangedPrompt } from "../../core/prompts/detect.js";
import { messageDiffs, type PromptDiff } from "../../core/report/diff.js";
import { loadWorkspace } from "../../core/workspace.js";
import { changedPaths, gitTree, repoRoot, resolveRef } from "../git.js";
import { EXIT, UsageError, type CliIO } from "../io.js";

export function register(program: Command, io: CliIO): void {
  program
    .command("diff")
    .description("Show the prompts changed between two git revisions")
    .requiredOption("--base <ref>", "the base revision (e.g. main)")
    .option("--head <ref>", "the head revision", "HEAD")
    .option("--json", "print JSON")
    .action(async (options: { base: string; head: string; json?: boolean }) => {
      const root = await repoRoot(io.cwd);
      if (root === undefined) throw new UsageError(`not a git repository: ${io.cwd}`);
      const [base, head] = await Promise.all([resolveRef(root, options.base), resolveRef(root, options.head)]);
      const baseTree = gitTree(root, base);
      const headTree = gitTree(root, head);
      // The base's rules apply, as in a pull request review.
      const { config, diagnostics } = await readConfig(baseTree);
      if (diagnostics.length > 0) {
        for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)} (at ${options.base})\n`);
        io.setExitCode(EXIT.error);
        return;
      }
      const [changes, baseWs, headWs] = await Promise.all([
        changedPaths(root, base, head),
        loadWorkspace(baseTree, config),
        loadWorkspace(headTree, config),
      ]);
      const { prompts } = detectChanges({ changes, base: baseWs, head: headWs, config });
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

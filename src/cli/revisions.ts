// Two revisions of the repository at the current folder, as the CLI's diff, review and tag
// commands compare them: the base's rules (config), both workspaces and the changed paths.

import { readConfig } from "../core/config/load.js";
import type { PromptOpsConfig } from "../core/config/model.js";
import { formatDiagnostic } from "../core/diagnostics.js";
import type { ChangedPath } from "../core/files.js";
import { loadWorkspace, type Workspace } from "../core/workspace.js";
import { changedPaths, gitTree, repoRoot, resolveRef } from "./git.js";
import { UsageError, type CliIO } from "./io.js";

export interface Revisions {
  root: string;
  /** Commit SHAs. */
  base: string;
  head: string;
  /** From the base: a change never sets its own rules. */
  config: PromptOpsConfig;
  baseWorkspace: Workspace;
  headWorkspace: Workspace;
  changes: ChangedPath[];
}

/**
 * Loads `baseRef` and `headRef` of the repository at `io.cwd`. When the base's config has
 * errors they are printed (`file:line:col ... (at REF)`) and the result is undefined.
 */
export async function loadRevisions(io: CliIO, baseRef: string, headRef: string, options: { configPath?: string } = {}): Promise<Revisions | undefined> {
  const root = await repoRoot(io.cwd);
  if (root === undefined) throw new UsageError(`not a git repository: ${io.cwd}`);
  const [base, head] = await Promise.all([resolveRef(root, baseRef), resolveRef(root, headRef)]);
  const baseTree = gitTree(root, base);
  const headTree = gitTree(root, head);
  const { config, diagnostics } = await readConfig(baseTree, options.configPath);
  const errors = diagnostics.filter((d) => d.severity === "error");
  for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)} (at ${baseRef})\n`);
  if (errors.length > 0) return undefined;
  const [changes, baseWorkspace, headWorkspace] = await Promise.all([
    changedPaths(root, base, head),
    loadWorkspace(baseTree, config),
    loadWorkspace(headTree, config),
  ]);
  return { root, base, head, config, baseWorkspace, headWorkspace, changes };
}

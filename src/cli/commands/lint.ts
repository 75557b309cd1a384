// `promptops lint [paths...]`: lints the prompts of the working tree (or of the given files and
// folders) and prints `file:line:col: severity: message [rule]`; exit 1 on errors.

import type { Command } from "commander";
import { realpath, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { readConfig } from "../../core/config/load.js";
import type { PromptOpsConfig } from "../../core/config/model.js";
import { formatDiagnostic, hasErrors, sortDiagnostics, type Diagnostic } from "../../core/diagnostics.js";
import { isPartialPath, promptFormatOf } from "../../core/prompts/formats.js";
import { lintWorkspace } from "../../core/prompts/lint.js";
import { loadWorkspace, type Workspace } from "../../core/workspace.js";
import { findProjectRoot, gitTree, resolveRef, workingTree } from "../git.js";
import { EXIT, UsageError, type CliIO } from "../io.js";

export interface LocalProject {
  /** Absolute folder that config, partials and golden paths are relative to. */
  root: string;
  config: PromptOpsConfig;
  configDiagnostics: Diagnostic[];
  workspace: Workspace;
}

/** Loads the project a path belongs to, from the files on disk. `scope` limits the prompts (root-relative). */
export async function loadLocalProject(root: string, scope?: string[]): Promise<LocalProject> {
  const tree = workingTree(root);
  const { config, diagnostics } = await readConfig(tree);
  const workspace = await loadWorkspace(tree, config, scope ? { paths: scope } : {});
  return { root, config, configDiagnostics: diagnostics, workspace };
}

/** Groups the command-line paths by the project root each belongs to. */
export async function projectsFor(cwd: string, paths: string[]): Promise<Map<string, string[] | undefined>> {
  const groups = new Map<string, string[] | undefined>();
  if (paths.length === 0) {
    groups.set(await findProjectRoot(cwd), undefined);
    return groups;
  }
  for (const p of paths) {
    const abs = isAbsolute(p) ? p : resolve(cwd, p);
    let isDir: boolean;
    try {
      isDir = (await stat(abs)).isDirectory();
    } catch {
      throw new UsageError(`no such file or directory: ${p}`);
    }
    const root = await findProjectRoot(isDir ? abs : dirname(abs));
    const rel = relative(root, await realpath(abs)).split(sep).join("/");
    if (rel.startsWith("../")) throw new UsageError(`${p} is outside the project at ${root}`);
    const scope = groups.has(root) ? groups.get(root) : [];
    // An undefined scope means "the whole project".
    if (scope === undefined || rel === "") groups.set(root, undefined);
    else groups.set(root, [...scope, rel]);
  }
  return groups;
}

/** Rewrites root-relative diagnostic paths as paths relative to where the user ran the command. */
export function relativeToCwd(cwd: string, root: string, diagnostics: Diagnostic[]): Diagnostic[] {
  const prefix = relative(cwd, root).split(sep).join("/");
  if (prefix === "") return diagnostics;
  return diagnostics.map((d) => ({ ...d, file: `${prefix}/${d.file}` }));
}

export function register(program: Command, io: CliIO): void {
  program
    .command("lint")
    .description("Check prompt files, partials and golden sets for errors (exit 1 when there are errors)")
    .argument("[paths...]", "files or folders to lint (default: the whole project)")
    .option("--json", "print the diagnostics as a JSON array")
    .option("--base <ref>", "also run the checks that compare with a base revision (version bump, removed golden cases)")
    .action(async (paths: string[], options: { json?: boolean; base?: string }) => {
      const all: Diagnostic[] = [];
      let configBroken = false;
      let prompts = 0;
      for (const [root, scope] of await projectsFor(io.cwd, paths)) {
        const project = await loadLocalProject(root, scope);
        if (project.configDiagnostics.length > 0) {
          configBroken = true;
          all.push(...relativeToCwd(io.cwd, root, project.configDiagnostics));
          continue;
        }
        prompts += project.workspace.prompts.size;
        const base = options.base
          ? await loadWorkspace(gitTree(root, await resolveRef(root, options.base)), project.config)
          : undefined;
        const found = [...lintWorkspace(project.workspace, project.config, { base }), ...(await unreadNamedFiles(project, scope ?? []))];
        all.push(...relativeToCwd(io.cwd, root, found));
      }
      const sorted = sortDiagnostics(all);
      if (options.json) io.stdout(`${JSON.stringify(sorted, null, 2)}\n`);
      else for (const d of sorted) io.stdout(`${formatDiagnostic(d)}\n`);

      const errors = sorted.filter((d) => d.severity === "error").length;
      const warnings = sorted.filter((d) => d.severity === "warning").length;
      if (configBroken) {
        io.stderr("promptops: fix the config file errors above; prompts under a broken config are not linted\n");
        io.setExitCode(EXIT.error);
        return;
      }
      if (!options.json) {
        io.stderr(`${prompts} ${prompts === 1 ? "prompt" : "prompts"} checked: ${count(errors, "error")}, ${count(warnings, "warning")}\n`);
      }
      io.setExitCode(hasErrors(sorted) ? EXIT.failed : EXIT.ok);
    });
}

/**
 * Files named on the command line that were not linted as prompts, golden sets or partials: an
 * error with the reason, so `lint notes.yml` never reads as "0 prompts checked, clean".
 */
async function unreadNamedFiles(project: LocalProject, scope: string[]): Promise<Diagnostic[]> {
  const { workspace, config } = project;
  const golden = new Set(workspace.goldenPaths.values());
  const reported = new Set(workspace.diagnostics.map((d) => d.file));
  const out: Diagnostic[] = [];
  for (const rel of scope) {
    if (workspace.prompts.has(rel) || golden.has(rel) || reported.has(rel) || isPartialPath(rel, config.prompts.partials)) continue;
    // A folder's prompts, if any, were linted.
    if (!(await stat(join(project.root, rel))).isFile()) continue;
    const message = promptFormatOf(rel) === undefined
      ? "not a prompt file: PromptOps reads .prompt.yml, .prompt.yaml, .prompt, .prompty and .prompt.md files (rename it, e.g. to name.prompt.yml)"
      : `not linted: the file is not matched by \`prompts.include\` (${config.prompts.include.join(", ")}) or is matched by \`prompts.exclude\``;
    out.push({ file: rel, line: 1, column: 1, severity: "error", message, rule: "not-a-prompt" });
  }
  return out;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

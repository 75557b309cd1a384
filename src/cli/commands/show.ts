// `promptops show FILE [--json]`: one prompt as PromptOps understands it, whatever its format:
// id, version, model, messages, variables, golden cases, evaluators and owners.

import type { Command } from "commander";
import { readFile, realpath, stat } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { formatDiagnostic, sortDiagnostics } from "../../core/diagnostics.js";
import { OWNERS_FILE_CANDIDATES, resolvePromptOwners, selectOwnersFile } from "../../core/owners/lookup.js";
import type { Prompt, PromptFormat } from "../../core/prompts/model.js";
import { parsePrompt } from "../../core/prompts/parse.js";
import { readReferencedFiles } from "../../core/prompts/references.js";
import { promptTemplateRefs } from "../../core/prompts/template.js";
import { findProjectRoot, workingTree } from "../git.js";
import { EXIT, UsageError, type CliIO } from "../io.js";
import { loadLocalProject, relativeToCwd } from "./lint.js";

/** The JSON shape of `promptops show --json`; every key is always present. */
export interface ShownPrompt {
  id: string;
  name: string | null;
  version: string | null;
  format: PromptFormat;
  model: string | null;
  parameters: Record<string, unknown>;
  messages: { role: string; content: string }[];
  variables: string[];
  testCases: number;
  evaluators: string[];
  owners: string[];
}

/** Declared variables, or the ones the template reads when none are declared. */
export function variableNames(prompt: Prompt): string[] {
  if (prompt.variables.length > 0) return prompt.variables.map((v) => v.name);
  return [...new Set(promptTemplateRefs(prompt).variables.map((v) => v.name))];
}

export function register(program: Command, io: CliIO): void {
  program
    .command("show")
    .description("Show a prompt file as PromptOps reads it (any format)")
    .argument("<file>", "a prompt file")
    .option("--json", "print JSON")
    .action(async (file: string, options: { json?: boolean }) => {
      const abs = isAbsolute(file) ? file : resolve(io.cwd, file);
      try {
        if (!(await stat(abs)).isFile()) throw new Error();
      } catch {
        throw new UsageError(`no such file: ${file}`);
      }
      const root = await findProjectRoot(dirname(abs));
      const rel = relative(root, await realpath(abs)).split(sep).join("/");
      const project = await loadLocalProject(root, [rel]);
      if (project.configDiagnostics.length > 0) {
        for (const d of relativeToCwd(io.cwd, root, project.configDiagnostics)) io.stderr(`${formatDiagnostic(d)}\n`);
        io.setExitCode(EXIT.error);
        return;
      }

      // A file outside the prompt globs can still be shown.
      let prompt = project.workspace.prompts.get(rel);
      let problems = project.workspace.diagnostics.filter((d) => d.file === rel);
      if (!prompt && problems.length === 0) {
        const text = await readFile(abs, "utf8");
        const files = await readReferencedFiles(workingTree(root), [[rel, { kind: "text", text, size: text.length }]]);
        const parsed = parsePrompt(rel, text, { files });
        prompt = parsed.prompt;
        problems = parsed.diagnostics;
      }
      for (const d of sortDiagnostics(relativeToCwd(io.cwd, root, problems))) io.stderr(`${formatDiagnostic(d)}\n`);
      if (!prompt) {
        io.setExitCode(EXIT.failed);
        return;
      }

      const ownersBlobs = await workingTree(root).read(OWNERS_FILE_CANDIDATES(project.config.ownership.useCodeowners));
      const { rules } = selectOwnersFile(project.config.ownership.useCodeowners, ownersBlobs);
      const owners = resolvePromptOwners({
        path: rel,
        rules,
        basePromptOwners: prompt.owners,
        defaultOwners: project.config.ownership.defaultOwners,
      }).owners;
      const golden = project.workspace.golden.get(rel);
      const shown: ShownPrompt = {
        id: prompt.id,
        name: prompt.name ?? null,
        version: prompt.version ?? null,
        format: prompt.format,
        model: prompt.model ?? project.config.providers.defaultModel ?? null,
        parameters: prompt.parameters,
        messages: prompt.messages.map((m) => ({ role: m.role, content: m.content })),
        variables: variableNames(prompt),
        testCases: golden?.size ?? 0,
        evaluators: prompt.evaluators.map((e) => e.name),
        owners,
      };
      if (options.json) {
        io.stdout(`${JSON.stringify(shown, null, 2)}\n`);
        return;
      }
      const display = (p: string) => relative(io.cwd, resolve(root, p)).split(sep).join("/");
      io.stdout(readable(shown, display(rel), golden && golden.file !== rel ? display(golden.file) : undefined));
    });
}

function readable(p: ShownPrompt, path: string, goldenFile: string | undefined): string {
  const params = Object.entries(p.parameters).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ");
  const rows: [string, string][] = [
    ["id", p.id],
    ["file", `${path} (${p.format})`],
    ["name", p.name ?? "-"],
    ["version", p.version ?? "-"],
    ["model", [p.model ?? "-", params].filter(Boolean).join("  ")],
    ["variables", p.variables.join(", ") || "-"],
    ["test cases", goldenFile ? `${p.testCases} (${goldenFile})` : String(p.testCases)],
    ["evaluators", p.evaluators.join(", ") || "-"],
    ["owners", p.owners.join(", ") || "-"],
  ];
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  const head = rows.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`).join("\n");
  const messages = p.messages.map((m) => `--- ${m.role} ---\n${m.content.replace(/\n*$/, "")}`).join("\n\n");
  return `${head}\n\n${messages}\n`;
}

// `promptops eval PROMPT...`: one side only: runs each prompt's golden set against the prompt as
// it is in the working tree, scores and gates it (no base to compare with).

import type { Command } from "commander";
import { formatDiagnostic } from "../../core/diagnostics.js";
import { evaluatePrompts } from "../../core/review.js";
import { EXIT, type CliIO } from "../io.js";
import { cliModels, type ModelOptions } from "../local-review.js";
import { withReportAndModelOptions, writeReport, type ReportFormat } from "../report-output.js";
import { loadLocalProject, projectsFor, relativeToCwd } from "./lint.js";

interface EvalFlags extends ModelOptions {
  format: ReportFormat;
  out?: string;
}

export function register(program: Command, io: CliIO): void {
  const command = program
    .command("eval")
    .description("Evaluate prompts on their golden sets as they are in the working tree (exit 0 pass, 1 gate failed, 2 error)")
    .argument("<prompts...>", "prompt files (or folders of prompts)");
  withReportAndModelOptions(command).action(async (paths: string[], flags: EvalFlags) => {
      const projects = await projectsFor(io.cwd, paths);
      if (projects.size > 1) {
        io.stderr("promptops: eval takes prompts of one project at a time (they have different .github/promptops.yml)\n");
        io.setExitCode(EXIT.error);
        return;
      }
      const [[root, scope]] = [...projects];
      const project = await loadLocalProject(root!, scope);
      if (project.configDiagnostics.length > 0) {
        for (const d of relativeToCwd(io.cwd, root!, project.configDiagnostics)) io.stderr(`${formatDiagnostic(d)}\n`);
        io.setExitCode(EXIT.error);
        return;
      }
      if (project.workspace.prompts.size === 0) {
        for (const d of relativeToCwd(io.cwd, root!, project.workspace.diagnostics)) io.stderr(`${formatDiagnostic(d)}\n`);
        io.stderr(`promptops: no prompt file found in ${paths.join(", ")}\n`);
        io.setExitCode(EXIT.error);
        return;
      }
      const { models, finish } = await cliModels(io, root!, project.config, flags);
      let result;
      try {
        result = await evaluatePrompts({
          config: project.config,
          workspace: project.workspace,
          paths: [...project.workspace.prompts.keys()],
          models,
          ref: "working tree",
          now: () => performance.now(),
        });
      } finally {
        await finish();
      }
      await writeReport(io, { ...result, diagnostics: relativeToCwd(io.cwd, root!, result.diagnostics) }, flags);
    });
}

// `promptops review --base REF --head REF`: the whole pull-request review on a laptop.

import type { Command } from "commander";
import { EXIT, type CliIO } from "../io.js";
import { runLocalReview } from "../local-review.js";
import { withReportAndModelOptions, writeReport, type ReportFormat } from "../report-output.js";

interface ReviewFlags {
  base: string;
  head: string;
  format: ReportFormat;
  out?: string;
  concurrency?: number;
  cache: boolean;
  replay?: string;
  record?: string;
}

export function register(program: Command, io: CliIO): void {
  const command = program
    .command("review")
    .description("Review the prompts changed between two git revisions: lint, evaluate both sides, compare, gate (exit 0 pass, 1 gate failed, 2 error)")
    .requiredOption("--base <ref>", "the base revision (e.g. main)")
    .option("--head <ref>", "the head revision", "HEAD");
  withReportAndModelOptions(command).action(async (flags: ReviewFlags) => {
      const review = await runLocalReview(io, flags);
      if (!review) {
        io.setExitCode(EXIT.error);
        return;
      }
      await writeReport(io, review, flags);
    });
}

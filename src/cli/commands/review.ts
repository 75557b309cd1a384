// `promptops review --base REF --head REF`: the whole pull-request review on a laptop.

import type { Command } from "commander";
import { EXIT, type CliIO } from "../io.js";
import { parseConcurrency, runLocalReview } from "../local-review.js";
import { parseFormat, writeReport, type ReportFormat } from "../report-output.js";

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
  program
    .command("review")
    .description("Review the prompts changed between two git revisions: lint, evaluate both sides, compare, gate (exit 0 pass, 1 gate failed, 2 error)")
    .requiredOption("--base <ref>", "the base revision (e.g. main)")
    .option("--head <ref>", "the head revision", "HEAD")
    .option("--format <format>", "md, json or junit", parseFormat, "md")
    .option("--out <file>", "write the report to a file instead of stdout")
    .option("--concurrency <n>", "concurrent model requests per provider (overrides the config)", parseConcurrency)
    .option("--no-cache", "do not read or write the response cache (.promptops/cache)")
    .option("--replay <file>", "answer every model request from a recordings file (offline)")
    .option("--record <file>", "write every model response to a recordings file, for --replay")
    .action(async (flags: ReviewFlags) => {
      const review = await runLocalReview(io, flags);
      if (!review) {
        io.setExitCode(EXIT.error);
        return;
      }
      await writeReport(io, review, flags);
    });
}

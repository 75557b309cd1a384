// `promptops demo`: the whole review, offline, on the bundled example prompt library: a temporary
// repository with a base and a head commit, model answers replayed from demo/replay.json.

import type { Command } from "commander";
import { createDemoRepo, DEMO_REPLAY } from "../demo-repo.js";
import { EXIT, type CliIO } from "../io.js";
import { runLocalReview } from "../local-review.js";
import { parseFormat, render, type ReportFormat } from "../report-output.js";

export function register(program: Command, io: CliIO): void {
  program
    .command("demo")
    .description("Run a review offline on the bundled example prompts (base vs head, recorded model answers)")
    .option("--format <format>", "md, json or junit", parseFormat, "md")
    .option("--keep", "keep the temporary demo repository and print its path")
    .action(async (flags: { format: ReportFormat; keep?: boolean }) => {
      const repo = await createDemoRepo();
      try {
        const review = await runLocalReview({ ...io, cwd: repo.dir }, { base: "HEAD~1", head: "HEAD", replay: DEMO_REPLAY, cache: false });
        if (!review) {
          io.setExitCode(EXIT.error);
          return;
        }
        io.stdout(`${render(review, flags.format).trimEnd()}\n`);
        const errors = review.comparisons.reduce((n, c) => n + (c.base?.errors ?? 0) + (c.head?.errors ?? 0), 0);
        io.stderr(`\nDemo verdict: ${review.verdict.conclusion}: ${review.verdict.title}\n`);
        io.stderr(`(\`promptops review\` exits 1 on a failed gate; the demo exits 0 when the review ran.)\n`);
        if (flags.keep) io.stderr(`Demo repository kept at ${repo.dir}\n`);
        // Replayed answers cover every request; a case error means the recordings are stale.
        if (errors > 0) {
          io.stderr(`${errors} case evaluations had no recorded answer: run \`npm run demo:record\`\n`);
          io.setExitCode(EXIT.error);
        }
      } finally {
        if (!flags.keep) await repo.remove();
      }
    });
}

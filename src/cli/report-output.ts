// Writes a review in the format asked for (`--format md|json|junit`, `--out FILE`) and turns its
// verdict into the exit code: 0 pass, 1 gate failed, 2 could not evaluate.

import type { Command } from "commander";
import { createWriteStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { once } from "node:events";
import { resolve } from "node:path";
import { formatDiagnostic } from "../core/diagnostics.js";
import { createRedactor, secretsFrom } from "../core/redact.js";
import type { ReviewResult } from "../core/eval/model.js";
import { renderComment, renderJson, renderJsonChunks, renderJUnit } from "../core/report/index.js";
import { EXIT, UsageError, type CliIO } from "./io.js";
import { parseConcurrency } from "./local-review.js";

export const FORMATS = ["md", "json", "junit"] as const;
export type ReportFormat = (typeof FORMATS)[number];

export function parseFormat(value: string): ReportFormat {
  if ((FORMATS as readonly string[]).includes(value)) return value as ReportFormat;
  throw new UsageError(`--format takes one of ${FORMATS.join(", ")}, not "${value}"`);
}

/** The options `eval` and `review` share: report format and destination, and model access. */
export function withReportAndModelOptions(command: Command): Command {
  return command
    .option("--format <format>", "md, json or junit", parseFormat, "md")
    .option("--out <file>", "write the report to a file instead of stdout")
    .option("--concurrency <n>", "concurrent model requests per provider (overrides the config)", parseConcurrency)
    .option("--no-cache", "do not read or write the response cache (.promptops/cache)")
    .option("--replay <file>", "answer every model request from a recordings file (offline)")
    .option("--record <file>", "write every model response to a recordings file, for --replay")
    .option(
      "--trust-endpoint <host>",
      "let a model endpoint set by the repository's config (providers.<name>.baseUrl) on this host receive your API key (repeatable; also PROMPTOPS_TRUST_ENDPOINTS=host,host)",
      (host: string, previous: string[] = []) => [...previous, host],
    );
}

export function render(result: ReviewResult, format: ReportFormat): string {
  switch (format) {
    case "json":
      return renderJson(result);
    case "junit":
      return renderJUnit(result);
    case "md":
      return renderComment(result);
  }
}

export async function writeReport(io: CliIO, result: ReviewResult, options: { format: ReportFormat; out?: string }): Promise<void> {
  // Diagnostics go to stderr in the compiler-style form editors understand.
  for (const d of result.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
  // The terminal streams are masked by `main`; a report file is masked here.
  const redactor = createRedactor(secretsFrom(io.env));
  if (options.format === "json") {
    // Streamed: a 100,000-case report is never one string in memory. Each piece is whole JSON
    // values, so a secret is never split between two pieces.
    await writeChunks(io, mapChunks(renderJsonChunks(result), (chunk) => redactor.redact(chunk)), options.out);
  } else {
    const text = redactor.redact(render(result, options.format));
    if (options.out) await writeFile(resolve(io.cwd, options.out), text.endsWith("\n") ? text : `${text}\n`);
    else io.stdout(text.endsWith("\n") ? text : `${text}\n`);
  }
  if (options.out) io.stderr(`Wrote the ${options.format} report to ${options.out}\n`);
  io.stderr(`${result.verdict.conclusion}: ${result.verdict.title}\n`);
  for (const reason of result.verdict.reasons) io.stderr(`  ${reason}\n`);
  io.setExitCode(exitCodeFor(result));
}

function* mapChunks(chunks: Iterable<string>, fn: (chunk: string) => string): Iterable<string> {
  for (const chunk of chunks) yield fn(chunk);
}

/** Writes text pieces to `out` (or stdout) in blocks of about 64 KiB, waiting when the file lags. */
async function writeChunks(io: CliIO, chunks: Iterable<string>, out: string | undefined): Promise<void> {
  const file = out ? createWriteStream(resolve(io.cwd, out)) : undefined;
  const failed = file ? once(file, "error").then(([error]) => Promise.reject(error as Error)) : undefined;
  failed?.catch(() => undefined);
  let block = "";
  const flush = async () => {
    if (!file) io.stdout(block);
    else if (!file.write(block)) await Promise.race([once(file, "drain"), failed]);
    block = "";
  };
  for (const chunk of chunks) {
    block += chunk;
    if (block.length >= 65_536) await flush();
  }
  if (block) await flush();
  if (file) {
    file.end();
    await Promise.race([once(file, "finish"), failed]);
  }
}

/** A review that could not be completed (neutral) is never a pass. */
export function exitCodeFor(result: ReviewResult): number {
  switch (result.verdict.conclusion) {
    case "success":
      return EXIT.ok;
    case "failure":
      return EXIT.failed;
    default:
      return EXIT.error;
  }
}
